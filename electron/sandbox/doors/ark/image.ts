// An image in Ark's content[] (a data URI or a public URL), checked against the model's image rules as Ark's create
// doc states them (providers.md A1: formats, < 30 MB, sides and aspect ratio in open intervals). Sharp cannot
// decode BMP, so a BMP Ark would take is refused here as undecodable.
import sharp, { type Metadata } from 'sharp'
import type { ImageRules } from '../../../shared/providers'
import { OutboundRefused, type OutboundResponse, outboundRequest } from '../../outbound'
import type { DoorContext } from '../door'
import { ArkFailure, invalid } from './wire'

async function fetchBytes(url: string, rules: ImageRules, ctx: DoorContext, param: string): Promise<Uint8Array> {
  const signal = AbortSignal.timeout(ctx.options.imageFetchTimeoutMs)
  let res: OutboundResponse
  try {
    res = await outboundRequest(url, { signal, policy: ctx.policy })
  } catch (error) {
    const why = error instanceof OutboundRefused ? `refused: ${error.message}` : 'timeout while fetching resource'
    throw invalid(param, `The image url could not be fetched (${why}).`)
  }
  const chunks: Buffer[] = []
  let total = 0
  try {
    if (res.status < 200 || res.status > 299) throw invalid(param, `The image url answered HTTP ${res.status}.`)
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      total += chunk.length
      if (total > rules.maxBytes) throw invalid(param, `The image is larger than ${rules.maxBytes / 1024 / 1024} MB.`)
      chunks.push(chunk)
    }
  } catch (error) {
    res.body.destroy()
    if (error instanceof ArkFailure) throw error
    throw invalid(param, 'timeout while fetching resource')
  }
  return Buffer.concat(chunks)
}

/** An image_url (data URI or public URL) checked against the model's image rules (create doc; providers.md A1). */
export async function loadArkImage(
  url: string,
  rules: ImageRules,
  ctx: DoorContext,
  param: string,
): Promise<{ data: Uint8Array; width: number; height: number }> {
  let data: Uint8Array
  const m = /^data:image\/([a-z0-9.+-]+);base64,(.*)$/s.exec(url)
  if (m) {
    const payload = (m[2] as string).replace(/\s+/g, '')
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(payload) || !payload)
      throw invalid(param, 'The image data URI is not valid base64.')
    if (Math.floor((payload.length * 3) / 4) > rules.maxBytes + 2)
      throw invalid(param, `The image is larger than ${rules.maxBytes / 1024 / 1024} MB.`)
    data = Buffer.from(payload, 'base64')
  } else if (/^https?:\/\//i.test(url)) {
    data = await fetchBytes(url, rules, ctx, param)
  } else {
    throw invalid(param, 'The image url must be an http(s) URL or a data:image/<format>;base64 URI.')
  }
  let meta: Metadata
  try {
    meta = await sharp(data).metadata()
    // A full decode: metadata alone does not notice a truncated file.
    await sharp(data, { failOn: 'truncated' }).resize(32, 32, { fit: 'inside' }).raw().toBuffer()
  } catch {
    throw invalid(param, 'The image could not be decoded.')
  }
  if (!rules.formats.includes(meta.format ?? ''))
    throw invalid(param, `The image format ${meta.format ?? 'unknown'} is not supported (${rules.formats.join(', ')}).`)
  const rotated = (meta.orientation ?? 1) >= 5
  const width = (rotated ? meta.height : meta.width) ?? 0
  const height = (rotated ? meta.width : meta.height) ?? 0
  if (width <= rules.minSide || height <= rules.minSide || width >= rules.maxSide || height >= rules.maxSide)
    throw invalid(
      param,
      `The image is ${width}×${height}; each side must be in (${rules.minSide}, ${rules.maxSide}) px.`,
    )
  const aspect = width / height
  if (aspect <= rules.minAspect || aspect >= rules.maxAspect)
    throw invalid(
      param,
      `The image aspect ratio ${aspect.toFixed(2)} must be in (${rules.minAspect}, ${rules.maxAspect}).`,
    )
  return { data, width, height }
}
