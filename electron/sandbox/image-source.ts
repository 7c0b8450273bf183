// Loads the source image of an image-to-video request (inline base64 or fetched from image_url, with a
// size and time limit, from public addresses only: see outbound.ts), checks it against the API's rules, and
// prepares the pixels the camera moves over.
import sharp from 'sharp'
import { checkImage, IMAGE_RULES, type ImageInfo, ImageRuleError } from '../node/image-rules'
import { ApiFailure, badRequest } from './errors'
import { type OutboundPolicy, OutboundRefused, type OutboundResponse, outboundRequest } from './outbound'
import { canvasSize } from './render/camera'
import type { ImageSource } from './validation'

function invalid(message: string): ApiFailure {
  return badRequest('INVALID_IMAGE', message)
}

function decodeBase64(data: string): Uint8Array {
  const payload = data.replace(/^data:image\/[a-z0-9.+-]+;base64,/i, '').replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(payload) || payload.length === 0) {
    throw invalid('image_base64 is not valid base64 data.')
  }
  // Check the size before decoding a huge string: 4 base64 characters carry 3 bytes.
  if (Math.floor((payload.length * 3) / 4) > IMAGE_RULES.maxBytes + 2) {
    throw invalid(`Image is larger than the ${IMAGE_RULES.maxBytes / 1024 / 1024} MB limit.`)
  }
  return Buffer.from(payload, 'base64')
}

async function fetchImage(url: string, timeoutMs: number, policy: OutboundPolicy): Promise<Uint8Array> {
  const signal = AbortSignal.timeout(timeoutMs)
  let res: OutboundResponse
  try {
    res = await outboundRequest(url, { signal, policy })
  } catch (error) {
    if (error instanceof OutboundRefused) throw invalid(`image_url is refused: ${error.message}`)
    throw invalid(
      signal.aborted
        ? `image_url did not answer within ${timeoutMs / 1000} s.`
        : `image_url could not be fetched (${(error as Error).message}).`,
    )
  }
  if (res.status < 200 || res.status > 299) {
    res.body.destroy()
    throw invalid(`image_url answered HTTP ${res.status}.`)
  }
  const declared = Number(res.headers['content-length'])
  if (declared > IMAGE_RULES.maxBytes) {
    res.body.destroy()
    throw invalid(`Image is ${(declared / 1024 / 1024).toFixed(1)} MB; the limit is 10.0 MB.`)
  }
  const chunks: Uint8Array[] = []
  let total = 0
  try {
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      total += chunk.length
      if (total > IMAGE_RULES.maxBytes) {
        res.body.destroy()
        throw invalid('Image is larger than the 10 MB limit.')
      }
      chunks.push(chunk)
    }
  } catch (error) {
    if (error instanceof ApiFailure) throw error
    throw invalid(
      signal.aborted ? `image_url did not finish within ${timeoutMs / 1000} s.` : 'image_url stopped sending data.',
    )
  }
  return Buffer.concat(chunks)
}

export async function loadImage(
  source: ImageSource,
  timeoutMs: number,
  policy: OutboundPolicy,
): Promise<{ data: Uint8Array; info: ImageInfo }> {
  const data = source.kind === 'base64' ? decodeBase64(source.data) : await fetchImage(source.url, timeoutMs, policy)
  try {
    return { data, info: await checkImage(data) }
  } catch (error) {
    if (error instanceof ImageRuleError) throw invalid(error.message)
    throw error
  }
}

/** The picture as RGBA pixels, cropped to the frame's aspect and a little larger, in shared memory for the workers. */
export async function prepareCanvas(
  data: Uint8Array,
  width: number,
  height: number,
  motion: number,
): Promise<{ canvas: SharedArrayBuffer; canvasWidth: number; canvasHeight: number }> {
  const size = canvasSize(width, height, motion)
  const pixels = await sharp(data)
    .rotate()
    .resize(size.width, size.height, { fit: 'cover', position: 'centre' })
    .removeAlpha()
    .ensureAlpha()
    .raw()
    .toBuffer()
  const canvas = new SharedArrayBuffer(pixels.length)
  new Uint8Array(canvas).set(pixels)
  return { canvas, canvasWidth: size.width, canvasHeight: size.height }
}
