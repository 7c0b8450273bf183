// A request as the API would check it, before anything is sent: the prompt and settings, and the source image
// (a file, bytes or an https URL). A file's bytes are checked, hashed and kept in the data folder, so the job
// can be resent after a restart and its settings reused.
import { createHash } from 'node:crypto'
import { mkdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { checkImage, IMAGE_RULES } from '../node/image-rules'
import type { AspectRatio, GenerationRequest, Resolution } from '../shared/model'
import type { ProviderId } from '../shared/providers'
import { isLoopbackHost } from '../shared/service-url'
import { EngineError } from './engine-error'
import { confineToFolder } from './jobs/batch'
import { writeFileAtomic } from './util/atomic-write'

export interface RequestInput {
  /** The door and model (shared/providers.ts); default: the guide's API and its one model. */
  provider?: ProviderId
  model?: string
  prompt: string
  /** The source image, as a file (CLI) … */
  imagePath?: string | null
  /** … which, when set (a CSV's image column), must be inside this folder: see confineToFolder. */
  imageRoot?: string | null
  /** … or as bytes (the app: dropped, pasted or picked) … */
  image?: { name: string; data: Uint8Array } | null
  /** … or as an https URL the service fetches itself (image_url). */
  imageUrl?: string | null
  duration?: number
  resolution?: Resolution
  aspectRatio?: AspectRatio | null
  style?: string | null
  motionIntensity?: number | null
}

const RESOLUTIONS: Resolution[] = ['720p', '1080p']
const ASPECTS: AspectRatio[] = ['16:9', '9:16', '1:1']

async function confineImage(root: string, value: string): Promise<string> {
  try {
    return await confineToFolder(root, value)
  } catch (error) {
    throw new EngineError('INVALID_IMAGE', (error as Error).message)
  }
}

const LIMIT = `${IMAGE_RULES.maxBytes / 1024 / 1024} MB`

function tooLarge(file: string, bytes: number): EngineError {
  return new EngineError(
    'INVALID_IMAGE',
    `${file}: the image is ${(bytes / 1024 / 1024).toFixed(1)} MB; the limit is ${LIMIT} (the API's image limit).`,
  )
}

/**
 * A source image file, read only when it is a file within the API's size limit: stat first, so a huge file (or a
 * device, or a FIFO) is refused before anything is read.
 */
async function readImageFile(file: string): Promise<Uint8Array> {
  const cannotRead = (error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code ?? String(error)
    return new EngineError(
      'INVALID_IMAGE',
      code === 'ENOENT' ? `Image not found: ${file}` : `Cannot read the image ${file} (${code}).`,
    )
  }
  const info = await stat(file).catch((error: unknown) => {
    throw cannotRead(error)
  })
  if (!info.isFile()) throw new EngineError('INVALID_IMAGE', `${file} is not a file.`)
  if (info.size > IMAGE_RULES.maxBytes) throw tooLarge(file, info.size)
  const data = await readFile(file).catch((error: unknown) => {
    throw cannotRead(error)
  })
  // The file may have grown since the stat; checkImage would refuse it too, but without naming the file.
  if (data.length > IMAGE_RULES.maxBytes) throw tooLarge(file, data.length)
  return data
}

export async function prepareRequest(input: RequestInput, imagesDir: string): Promise<GenerationRequest> {
  const target = { provider: input.provider ?? 'seedance', model: input.model ?? 'standard' }
  const prompt = input.prompt?.trim() ?? ''
  if (!prompt) throw new EngineError('INVALID_PROMPT', 'The prompt is empty.')
  if (prompt.length > 2000)
    throw new EngineError('INVALID_PROMPT', `The prompt is ${prompt.length} characters; the limit is 2,000.`)
  const duration = input.duration ?? 8
  if (!Number.isInteger(duration) || duration < 1 || duration > 8)
    throw new EngineError('INVALID_DURATION', 'Duration must be a whole number of seconds from 1 to 8.')
  const resolution = input.resolution ?? '1080p'
  if (!RESOLUTIONS.includes(resolution))
    throw new EngineError('INVALID_RESOLUTION', 'Resolution must be 720p or 1080p.')
  const aspectRatio = input.aspectRatio ?? null
  if (aspectRatio !== null && !ASPECTS.includes(aspectRatio))
    throw new EngineError('INVALID_ASPECT_RATIO', 'Aspect ratio must be 16:9, 9:16 or 1:1.')
  const style = input.style?.trim() || null
  if (style && style.length > 100) throw new EngineError('INVALID_STYLE', 'Style must be at most 100 characters.')
  if (!input.imageUrl && !input.imagePath && !input.image)
    return {
      ...target,
      mode: 'text',
      prompt,
      duration,
      resolution,
      aspectRatio: aspectRatio ?? '16:9',
      style,
      motionIntensity: null,
      image: null,
    }
  // Image to video, from a URL, a file or bytes: one motion check for all three.
  const motion = input.motionIntensity ?? 0.5
  if (!(motion >= 0 && motion <= 1))
    throw new EngineError('INVALID_MOTION_INTENSITY', 'Motion intensity must be from 0 to 1.')
  if (input.imageUrl) {
    let url: URL | null = null
    try {
      url = new URL(input.imageUrl)
    } catch {
      url = null
    }
    // https only; plain http is allowed for this machine's own servers (the Sandbox, tests).
    const local = url?.protocol === 'http:' && isLoopbackHost(url.hostname)
    if (!url || (url.protocol !== 'https:' && !local))
      throw new EngineError('INVALID_IMAGE', 'The image URL must start with https://.')
    return {
      ...target,
      mode: 'image',
      prompt,
      duration,
      resolution,
      aspectRatio,
      style,
      motionIntensity: motion,
      image: null,
      imageUrl: url.href,
    }
  }
  // A CSV's image stays inside the CSV's folder (issue 9); the checked real path is the one read and copied.
  const imagePath =
    input.imagePath && input.imageRoot ? await confineImage(input.imageRoot, input.imagePath) : input.imagePath
  const data = input.image ? input.image.data : await readImageFile(imagePath as string)
  let info: Awaited<ReturnType<typeof checkImage>>
  try {
    info = await checkImage(data)
  } catch (error) {
    // Name the file and the formats accepted (issue 9): "not an image" alone leaves a batch user guessing.
    const message = (error as Error).message
    const formats = /JPEG, PNG or WebP/.test(message) ? '' : ' Use a JPEG, PNG or WebP image.'
    throw new EngineError('INVALID_IMAGE', `${input.image?.name ?? imagePath}: ${message}${formats}`)
  }
  const sha256 = createHash('sha256').update(data).digest('hex')
  await mkdir(imagesDir, { recursive: true })
  const copy = path.join(imagesDir, `${sha256}.${info.format === 'jpeg' ? 'jpg' : info.format}`)
  // The bytes checked and hashed are the ones kept (issue 9, point 7): copying the file again from disk would
  // keep whatever was swapped in meanwhile, unchecked.
  await writeFileAtomic(copy, data)
  return {
    ...target,
    mode: 'image',
    prompt,
    duration,
    resolution,
    aspectRatio,
    style,
    motionIntensity: motion,
    image: { path: copy, sha256, name: input.image?.name ?? path.basename(imagePath as string) },
  }
}
