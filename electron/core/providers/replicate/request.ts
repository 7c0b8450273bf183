// A submission → the body of POST /models/<owner>/<name>/predictions, after refusing (before any request) what the
// model cannot do: the catalog's capabilities (shared/providers.ts) and the model's input schema (wire-types.ts).
import type { ModelInfo } from '../../../shared/providers'
import { ApiError } from '../errors'
import { PROVIDER_ERROR, type ProviderSubmission } from '../port'
import { checkPrompt } from '../prompt-rule'
import { inlineImage } from './images'
import { MAX_DATA_URI_BYTES, MODEL_WIRE, type SeedanceInput } from './wire-types'

/** Seeds Seedance takes (Ark documents [-1, 2^32 - 1]); Replicate's schema gives no bound. */
const MAX_SEED = 4_294_967_295

function refuse(code: string, message: string): never {
  throw new ApiError({ code, message })
}

/** Refuse, before any request, what `model` on Replicate cannot do. */
export function checkSubmission(submission: ProviderSubmission, model: ModelInfo): void {
  const r = submission.request
  const name = `${model.label} on Replicate`
  checkPrompt(r.prompt, model, name)
  const first = submission.firstFrame !== null || Boolean(r.imageUrl)
  const last = submission.lastFrame !== null
  if (r.mode === 'text' && (first || last))
    refuse(PROVIDER_ERROR.unsupported, 'A text-to-video request carries an image.')
  if (r.mode === 'image' && !first)
    refuse(PROVIDER_ERROR.invalidImage, 'An image-to-video request needs a first frame.')
  if (r.mode === 'image' && !model.modes.includes('first-frame'))
    refuse(PROVIDER_ERROR.unsupported, `${name} cannot start from an image.`)
  if (r.mode === 'text' && !model.modes.includes('text'))
    refuse(PROVIDER_ERROR.unsupported, `${name} needs a first frame image.`)
  if (last && !model.modes.includes('first-last-frame'))
    refuse(PROVIDER_ERROR.unsupported, `${name} cannot end on a last frame image.`)
  const { min, max, auto } = model.durations
  const d = r.duration
  if (!(Number.isInteger(d) && ((d >= min && d <= max) || (d === 0 && auto))))
    refuse(PROVIDER_ERROR.unsupported, `${name} makes ${min}–${max} s videos${auto ? ' (or auto)' : ''}, not ${d} s.`)
  if (!model.resolutions.includes(r.resolution))
    refuse(PROVIDER_ERROR.unsupported, `${name} makes ${model.resolutions.join(', ')} videos, not ${r.resolution}.`)
  if (r.aspectRatio !== null && !model.ratios.includes(r.aspectRatio))
    refuse(PROVIDER_ERROR.unsupported, `${name} has no ${r.aspectRatio} shape.`)
  const seed = r.seed ?? null
  if (seed !== null && !model.seed) refuse(PROVIDER_ERROR.unsupported, `${name} does not take a seed.`)
  if (seed !== null && !(Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED))
    refuse(PROVIDER_ERROR.invalidRequest, `The seed must be a whole number from 0 to ${MAX_SEED}.`)
  if (r.cameraFixed === true && !model.cameraFixed)
    refuse(PROVIDER_ERROR.unsupported, `${name} cannot keep the camera fixed.`)
  if (r.audio === true && !model.audio) refuse(PROVIDER_ERROR.unsupported, `${name} makes silent videos.`)
  if (r.style) refuse(PROVIDER_ERROR.unsupported, `${name} has no style setting; describe the style in the prompt.`)
  if (r.motionIntensity !== null && r.mode === 'image')
    refuse(PROVIDER_ERROR.unsupported, `${name} has no motion intensity setting.`)
}

/** The prediction's input: only the fields this model's schema has (C1). */
export async function buildInput(submission: ProviderSubmission, model: ModelInfo): Promise<SeedanceInput> {
  const r = submission.request
  const wire = MODEL_WIRE[model.id]
  if (!wire) throw new ApiError({ code: PROVIDER_ERROR.modelNotEnabled, message: `No Replicate model ${model.id}.` })
  const input: SeedanceInput = {
    prompt: r.prompt.trim(),
    duration: r.duration === 0 ? -1 : r.duration,
    resolution: r.resolution,
  }
  const image = submission.firstFrame ? await inlineImage(submission.firstFrame) : (r.imageUrl ?? null)
  const lastImage = submission.lastFrame ? await inlineImage(submission.lastFrame) : null
  if ((submission.firstFrame && !image) || (submission.lastFrame && !lastImage))
    refuse(PROVIDER_ERROR.invalidImage, 'The image could not be made small enough to send inline.')
  let inlineBytes = 0
  for (const uri of [image, lastImage]) if (uri?.startsWith('data:')) inlineBytes += (uri.length * 3) / 4
  if (inlineBytes > MAX_DATA_URI_BYTES)
    refuse(PROVIDER_ERROR.invalidImage, 'The images are larger than Replicate takes inline (10 MB).')
  if (image) input.image = image
  if (lastImage) input.last_frame_image = lastImage
  // `adaptive`: a 2.x value; 1.x follows the image (its aspect_ratio is ignored then) or makes 16:9 from text.
  if (r.aspectRatio !== null && (r.aspectRatio !== 'adaptive' || wire.adaptiveRatio)) input.aspect_ratio = r.aspectRatio
  if (wire.fps) input.fps = 24
  if (model.cameraFixed) input.camera_fixed = r.cameraFixed === true
  if (model.seed && r.seed !== null && r.seed !== undefined) input.seed = r.seed
  // 2.x defaults generate_audio to true (C1): always say, so sound is made (and paid) only when asked.
  if (model.audio) input.generate_audio = r.audio === true
  return input
}
