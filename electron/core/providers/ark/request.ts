// The app's request → Ark's create body (providers.md A1), after refusing what the model cannot do: nothing that
// would be refused (or silently ignored) by Ark leaves the machine. Body fields only, never prompt text commands.
import { type ModelInfo, providerInfo } from '../../../shared/providers'
import { ApiError } from '../errors'
import { PROVIDER_ERROR, type ProviderSubmission } from '../port'
import { checkPrompt } from '../prompt-rule'
import type { ArkContentItem, ArkCreateTaskRequest } from './wire-types'

/** Volcengine (cn-beijing) knows the models as `doubao-…` (providers.md A5), BytePlus without it (2.x: `dreamina-…`). */
export function wireModelId(modelId: string, region: string | null | undefined): string {
  return region === 'cn-beijing' ? `doubao-${modelId.replace(/^dreamina-/, '')}` : modelId
}

/** The catalog id of a model id Ark echoes (either region's form); the echoed id itself when unknown. */
export function catalogModelId(wireId: string): string {
  const bare = wireId.replace(/^doubao-/, '')
  const known = providerInfo('ark').models.find((m) => m.id === wireId || m.id.replace(/^dreamina-/, '') === bare)
  return known?.id ?? wireId
}

function unsupported(message: string): ApiError {
  return new ApiError({ code: PROVIDER_ERROR.unsupported, message })
}

function dataUri(image: { data: Uint8Array; mime: string }, model: ModelInfo): string {
  if (image.data.length > model.image.maxBytes)
    throw new ApiError({
      code: PROVIDER_ERROR.invalidImage,
      message: `The image is ${(image.data.length / 1024 / 1024).toFixed(1)} MB; Ark takes at most ${model.image.maxBytes / 1024 / 1024} MB.`,
    })
  // "data:image/<format lowercase>;base64,…" (create doc).
  return `data:${image.mime.toLowerCase()};base64,${Buffer.from(image.data).toString('base64')}`
}

/** Refuse, before any request, what `model` cannot do; then build the documented body. */
export function buildCreateBody(
  model: ModelInfo,
  submission: ProviderSubmission,
  region: string | null | undefined,
): ArkCreateTaskRequest {
  const r = submission.request
  const prompt = r.prompt.trim()
  // Ark takes a first frame alone with no prompt; a text job's empty prompt is refused below, by mode.
  checkPrompt(prompt, model, model.label, true)
  const lastFrame = r.mode === 'image' && Boolean(r.lastImage)
  const mode = r.mode === 'text' ? 'text' : lastFrame ? 'first-last-frame' : 'first-frame'
  if (!model.modes.includes(mode))
    throw unsupported(
      `${model.label} cannot start from ${mode === 'text' ? 'a prompt alone' : mode === 'first-frame' ? 'a first frame' : 'a first and a last frame'}.`,
    )
  if (mode === 'text' && !prompt)
    throw new ApiError({ code: PROVIDER_ERROR.invalidPrompt, message: 'The prompt is empty.' })
  const auto = r.duration <= 0
  if (auto ? !model.durations.auto : !Number.isInteger(r.duration))
    throw unsupported(`${model.label} takes a whole number of seconds${model.durations.auto ? ' or auto' : ''}.`)
  if (!auto && (r.duration < model.durations.min || r.duration > model.durations.max))
    throw unsupported(
      `${model.label} makes ${model.durations.min}–${model.durations.max} s videos (asked: ${r.duration} s).`,
    )
  if (!model.resolutions.includes(r.resolution))
    throw unsupported(`${model.label} renders at ${model.resolutions.join(', ')} (asked: ${r.resolution}).`)
  if (r.aspectRatio !== null && !model.ratios.includes(r.aspectRatio))
    throw unsupported(`${model.label} takes the ratios ${model.ratios.join(', ')} (asked: ${r.aspectRatio}).`)
  if (r.style || (r.motionIntensity ?? null) !== null)
    throw unsupported('Style and motion intensity are the Seedance API’s controls; Ark does not take them.')
  if (r.seed !== null && r.seed !== undefined) {
    if (!model.seed) throw unsupported(`${model.label} does not take a seed.`)
    if (!Number.isInteger(r.seed) || r.seed < 0 || r.seed > 2 ** 32 - 1)
      throw unsupported(`A seed is a whole number from 0 to ${(2 ** 32 - 1).toLocaleString('en-US')}.`)
  }
  if (r.cameraFixed && !model.cameraFixed) throw unsupported(`${model.label} cannot keep the camera fixed.`)
  if (r.audio && !model.audio) throw unsupported(`${model.label} does not make sound.`)

  const content: ArkContentItem[] = []
  if (prompt) content.push({ type: 'text', text: prompt })
  if (mode !== 'text') {
    const first = submission.firstFrame ? dataUri(submission.firstFrame, model) : (r.imageUrl ?? null)
    if (!first) throw unsupported('An image-to-video job needs its first frame (a file or an image URL).')
    content.push({ type: 'image_url', image_url: { url: first }, role: 'first_frame' })
  }
  if (mode === 'first-last-frame') {
    if (!submission.lastFrame) throw unsupported('A first + last frame job needs its last frame image.')
    content.push({ type: 'image_url', image_url: { url: dataUri(submission.lastFrame, model) }, role: 'last_frame' })
  }
  return {
    model: wireModelId(model.id, region),
    content,
    resolution: r.resolution,
    // No ratio chosen: Ark's own default (16:9 from a prompt, `adaptive` from an image).
    ...(r.aspectRatio !== null ? { ratio: r.aspectRatio } : {}),
    duration: auto ? -1 : r.duration,
    ...(model.seed ? { seed: r.seed ?? -1 } : {}),
    ...(model.cameraFixed ? { camera_fixed: r.cameraFixed ?? false } : {}),
    // CHOSEN: sound only when asked for: it costs twice as much on 1.5 pro (A5), and audio moderation failures
    // otherwise kill silent jobs (Comfy-Org/ComfyUI#13883).
    ...(model.audio ? { generate_audio: r.audio ?? false } : {}),
    watermark: false,
    // The last frame is the thumbnail (Ark has none) and the start of a continuation.
    return_last_frame: true,
  }
}
