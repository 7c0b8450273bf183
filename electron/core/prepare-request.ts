// A request checked against its model before anything is sent (issue 10, point 1): the door and model, the prompt
// and every setting against what the model can do (providers/capabilities.ts, reading shared/providers.ts), and the
// source images (a file, bytes or an https URL) against the model's image rules. A file's bytes are checked, hashed
// and kept in the data folder, so the job can be resent after a restart and its settings reused.
import { createHash } from 'node:crypto'
import { mkdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { checkImage, formatList, ImageRuleError, type ImageRulesLike } from '../node/image-rules'
import type { AspectRatio, GenerationRequest, Resolution, SourceImage } from '../shared/model'
import {
  findModel,
  isProviderId,
  type ModelInfo,
  PROVIDER_IDS,
  type ProviderId,
  type ProviderInfo,
  providerInfo,
} from '../shared/providers'
import { modelName, requestProblem } from '../shared/request-rules'
import { isLoopbackHost } from '../shared/service-url'
import { EngineError } from './engine-error'
import { confineToFolder } from './jobs/batch'
import { writeFileAtomic } from './util/atomic-write'

export interface RequestInput {
  /** The door (shared/providers.ts); default: the guide's API. */
  provider?: ProviderId
  /** The model of that door; default: the door's defaultModel. */
  model?: string
  prompt: string
  /** The source image (first frame), as a file (CLI) … */
  imagePath?: string | null
  /** … which, when set (a CSV's image column), must be inside this folder: see confineToFolder. */
  imageRoot?: string | null
  /** … or as bytes (the app: dropped, pasted or picked) … */
  image?: { name: string; data: Uint8Array } | null
  /** … or as an https URL the service fetches itself (image_url). */
  imageUrl?: string | null
  /** The last frame (first + last frame mode, where the model has it), as bytes or a file; needs a first frame. */
  lastImage?: { name: string; data: Uint8Array } | null
  lastImagePath?: string | null
  /** Whole seconds; 0: auto (the model chooses), where the model has it. Default: the model's. */
  duration?: number
  resolution?: Resolution
  aspectRatio?: AspectRatio | null
  style?: string | null
  motionIntensity?: number | null
  /** A fixed seed, where the model takes one; null: random. */
  seed?: number | null
  cameraFixed?: boolean | null
  audio?: boolean | null
}

/** The model a request is for: its door and model, or UNKNOWN_PROVIDER / UNKNOWN_MODEL naming what there is. */
export function resolveModel(input: Pick<RequestInput, 'provider' | 'model'>): {
  provider: ProviderInfo
  model: ModelInfo
} {
  const id: unknown = input.provider ?? 'seedance'
  if (!isProviderId(id))
    throw new EngineError(
      'UNKNOWN_PROVIDER',
      `There is no provider "${String(id)}"; there are ${PROVIDER_IDS.join(', ')}.`,
    )
  const provider = providerInfo(id)
  const model = findModel(id, input.model ?? provider.defaultModel)
  if (!model)
    throw new EngineError(
      'UNKNOWN_MODEL',
      `${provider.label} has no model "${input.model}"; it has ${provider.models.map((m) => m.id).join(', ')}.`,
    )
  return { provider, model }
}

async function confineImage(root: string, value: string): Promise<string> {
  try {
    return await confineToFolder(root, value)
  } catch (error) {
    throw new EngineError('INVALID_IMAGE', (error as Error).message)
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

function tooLarge(file: string, bytes: number, limit: number, name: string): EngineError {
  return new EngineError(
    'INVALID_IMAGE',
    `${file}: the image is ${mb(bytes)}; the limit is ${limit / 1024 / 1024} MB for ${name}.`,
  )
}

/**
 * A source image file, read only when it is a file within the model's size limit: stat first, so a huge file (or a
 * device, or a FIFO) is refused before anything is read.
 */
async function readImageFile(file: string, maxBytes: number, name: string): Promise<Uint8Array> {
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
  if (info.size > maxBytes) throw tooLarge(file, info.size, maxBytes, name)
  const data = await readFile(file).catch((error: unknown) => {
    throw cannotRead(error)
  })
  // The file may have grown since the stat; checkImage would refuse it too, but without naming the file.
  if (data.length > maxBytes) throw tooLarge(file, data.length, maxBytes, name)
  return data
}

/** Check an image's bytes against the model's rules and keep them (by hash) in the data folder. */
async function keepImage(
  source: { name: string; data: Uint8Array } | { path: string; root: string | null },
  rules: ImageRulesLike,
  name: string,
  imagesDir: string,
): Promise<SourceImage> {
  let label: string
  let shown: string
  let data: Uint8Array
  if ('data' in source) {
    label = source.name
    shown = source.name
    data = source.data
  } else {
    // A CSV's image stays inside the CSV's folder (issue 9); the checked real path is the one read and copied.
    const file = source.root ? await confineImage(source.root, source.path) : source.path
    label = path.basename(file)
    shown = file
    data = await readImageFile(file, rules.maxBytes, name)
  }
  let info: Awaited<ReturnType<typeof checkImage>>
  try {
    info = await checkImage(data, rules)
  } catch (error) {
    // Name the file, the formats taken and the model (issue 9): "not an image" alone leaves a batch user guessing.
    const message = (error as Error).message
    const formats =
      error instanceof ImageRuleError && error.rule === 'format' ? '' : ` Use a ${formatList(rules.formats)} image.`
    throw new EngineError('INVALID_IMAGE', `${shown}: ${message}${formats} (${name})`)
  }
  const sha256 = createHash('sha256').update(data).digest('hex')
  await mkdir(imagesDir, { recursive: true })
  const copy = path.join(imagesDir, `${sha256}.${info.format === 'jpeg' ? 'jpg' : info.format}`)
  // The bytes checked and hashed are the ones kept (issue 9, point 7): copying the file again from disk would keep
  // whatever was swapped in meanwhile, unchecked.
  await writeFileAtomic(copy, data)
  return { path: copy, sha256, name: label }
}

/** An https URL (plain http only to this machine's own servers: the Sandbox, tests), or INVALID_IMAGE. */
function imageUrl(value: string): string {
  let url: URL | null = null
  try {
    url = new URL(value)
  } catch {
    url = null
  }
  const local = url?.protocol === 'http:' && isLoopbackHost(url.hostname)
  if (!url || (url.protocol !== 'https:' && !local))
    throw new EngineError('INVALID_IMAGE', 'The image URL must start with https://.')
  return url.href
}

const PLACEHOLDER: SourceImage = { path: '', sha256: '', name: '' }

export async function prepareRequest(input: RequestInput, imagesDir: string): Promise<GenerationRequest> {
  const { provider, model } = resolveModel(input)
  const name = modelName(provider, model)
  const hasFirst = Boolean(input.imageUrl || input.imagePath || input.image)
  const hasLast = Boolean(input.lastImage || input.lastImagePath)
  if (hasLast && !hasFirst)
    throw new EngineError('INVALID_IMAGE', 'A last frame needs a first frame image: give both, or neither.')
  const mode = hasFirst ? 'image' : 'text'
  const style = input.style?.trim() || null
  if (style && style.length > 100) throw new EngineError('INVALID_STYLE', 'Style must be at most 100 characters.')
  // Motion intensity is the guide's image setting: 0.5 unless given, on the models that have it (a model without it
  // refuses one given); a text job has none.
  const givenMotion = input.motionIntensity ?? null
  const motion = mode === 'text' ? null : model.motionIntensity ? (givenMotion ?? 0.5) : givenMotion
  const duration = input.duration ?? model.defaultDuration
  const draft: GenerationRequest = {
    provider: provider.id,
    model: model.id,
    mode,
    prompt: input.prompt?.trim() ?? '',
    duration,
    resolution: input.resolution ?? model.defaultResolution,
    // A text job has a shape; an image job follows its image unless one is chosen.
    aspectRatio: input.aspectRatio ?? (mode === 'text' ? model.defaultRatio : null),
    style,
    motionIntensity: motion,
    image: hasFirst && !input.imageUrl ? PLACEHOLDER : null,
    ...(input.imageUrl ? { imageUrl: input.imageUrl } : {}),
    ...(hasLast ? { lastImage: PLACEHOLDER } : {}),
    ...(input.seed !== undefined && input.seed !== null ? { seed: input.seed } : {}),
    ...(input.cameraFixed ? { cameraFixed: true } : {}),
    ...(input.audio !== undefined && input.audio !== null ? { audio: input.audio } : {}),
  }
  // Everything the model cannot do is refused before any file is read or anything is sent.
  const problem = requestProblem(draft, provider, model)
  if (problem) {
    // The CLI's and the app's words for a duration (kept from issue 9's messages).
    if (problem.code === 'INVALID_DURATION') {
      const { min, max, auto } = model.durations
      throw new EngineError(
        problem.code,
        `Duration must be a whole number of seconds from ${min} to ${max}${auto ? ' (or 0 for auto)' : ''} for ${name}; ${duration} is not.`,
      )
    }
    throw new EngineError(problem.code, problem.message)
  }
  if (motion !== null && !(motion >= 0 && motion <= 1))
    throw new EngineError('INVALID_MOTION_INTENSITY', 'Motion intensity must be from 0 to 1.')
  if (mode === 'text') return draft
  if (input.imageUrl) {
    const url = imageUrl(input.imageUrl)
    const lastImage = hasLast ? await lastFrame(input, model, name, imagesDir) : undefined
    return { ...draft, image: null, imageUrl: url, ...(lastImage ? { lastImage } : {}) }
  }
  const image = await keepImage(
    input.image ?? { path: input.imagePath as string, root: input.imageRoot ?? null },
    model.image,
    name,
    imagesDir,
  )
  const lastImage = hasLast ? await lastFrame(input, model, name, imagesDir) : undefined
  const { lastImage: _placeholder, ...rest } = draft
  return { ...rest, image, ...(lastImage ? { lastImage } : {}) }
}

function lastFrame(input: RequestInput, model: ModelInfo, name: string, imagesDir: string): Promise<SourceImage> {
  return keepImage(
    input.lastImage ?? { path: input.lastImagePath as string, root: input.imageRoot ?? null },
    model.image,
    name,
    imagesDir,
  )
}
