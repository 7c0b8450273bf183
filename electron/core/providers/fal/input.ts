// The app's request → fal's raw input for the model's endpoint, refusing before any request what the model cannot do
// (issue 10: the rule for every adapter). A duration of 0 means "auto" where the model has it (the engine's convention).
import type { ModelInfo } from '../../../shared/providers'
import { findModel, providerInfo } from '../../../shared/providers'
import { PROVIDER_ERROR, ProviderError, type ProviderSubmission } from '../port'
import { checkPrompt } from '../prompt-rule'
import { endpointId, type FalInput, wireFacts } from './wire-types'

/** fal's seeds: a 32-bit integer (-1 = random, which the app sends as no seed). */
const MAX_SEED = 4_294_967_295

function refuse(code: string, message: string): never {
  throw new ProviderError({ code, message })
}

function dataUri(image: { data: Uint8Array; mime: string }): string {
  return `data:${image.mime};base64,${Buffer.from(image.data).toString('base64')}`
}

/** The model a request names on fal, or an UNSUPPORTED_SETTING refusal. */
export function falModel(id: string): ModelInfo {
  return findModel('fal', id) ?? refuse(PROVIDER_ERROR.unsupported, `fal.ai has no model "${id}" in this app.`)
}

/** The endpoint id and body to POST, or a ProviderError saying what the model cannot do. */
export function falInput(submission: ProviderSubmission): { endpoint: string; input: FalInput } {
  const { request, firstFrame, lastFrame } = submission
  if (request.provider !== 'fal') refuse(PROVIDER_ERROR.unsupported, `This job is for ${request.provider}, not fal.ai.`)
  const model = falModel(request.model)
  const name = `${model.label} on ${providerInfo('fal').label}`
  checkPrompt(request.prompt, model, name)
  const prompt = request.prompt.trim()
  if (request.style) refuse(PROVIDER_ERROR.unsupported, `${name} has no style setting; describe it in the prompt.`)
  if (request.mode === 'image' && request.motionIntensity !== null && !model.motionIntensity)
    refuse(PROVIDER_ERROR.unsupported, `${name} has no motion intensity setting; describe the motion in the prompt.`)

  const input: FalInput = { prompt }
  if (request.mode === 'image') {
    if (!model.modes.includes('first-frame')) refuse(PROVIDER_ERROR.unsupported, `${name} cannot start from an image.`)
    const first = firstFrame ? dataUri(firstFrame) : (request.imageUrl ?? null)
    if (!first)
      refuse(
        PROVIDER_ERROR.invalidImage,
        request.image ? 'The first frame image was not read.' : 'An image-to-video job needs a first frame image.',
      )
    input.image_url = first
    if (lastFrame || request.lastImage) {
      if (!model.modes.includes('first-last-frame'))
        refuse(PROVIDER_ERROR.unsupported, `${name} cannot end on a last frame image; leave the last frame out.`)
      if (!lastFrame) refuse(PROVIDER_ERROR.invalidImage, 'The last frame image was not read.')
      input.end_image_url = dataUri(lastFrame)
    }
  } else if (firstFrame || lastFrame || request.imageUrl || request.image || request.lastImage) {
    refuse(PROVIDER_ERROR.unsupported, 'A text-to-video job carries an image.')
  } else if (!model.modes.includes('text')) {
    refuse(PROVIDER_ERROR.unsupported, `${name} needs a first frame image.`)
  }

  const { min, max, auto } = model.durations
  const d = request.duration
  if (!(Number.isInteger(d) && ((d >= min && d <= max) || (d === 0 && auto))))
    refuse(
      PROVIDER_ERROR.unsupported,
      `${name} makes videos of ${min}–${max} s${auto ? ' or auto' : ''}; ${d === 0 ? 'auto' : `${d} s`} is not one of them.`,
    )
  // fal's duration is a string enum (types/endpoints.ts), "auto" where the model may choose.
  input.duration = d === 0 ? 'auto' : String(d)
  if (!model.resolutions.includes(request.resolution))
    refuse(
      PROVIDER_ERROR.unsupported,
      `${name} makes ${model.resolutions.join(', ')} videos, not ${request.resolution}.`,
    )
  input.resolution = request.resolution

  const ratio = request.aspectRatio
  if (ratio !== null) {
    if (!model.ratios.includes(ratio))
      refuse(PROVIDER_ERROR.unsupported, `${name} makes ${model.ratios.join(', ')} videos, not ${ratio}.`)
    if (ratio === 'adaptive') {
      // "auto": follow the image (image-to-video), or let the model choose (text, where the endpoint allows it).
      if (request.mode === 'text' && !wireFacts(model.id).autoRatioOnText)
        refuse(PROVIDER_ERROR.unsupported, `${name} cannot choose the shape of a text-to-video job; pick a ratio.`)
      input.aspect_ratio = 'auto'
    } else input.aspect_ratio = ratio
  }

  const seed = request.seed ?? null
  if (seed !== null) {
    if (!model.seed) refuse(PROVIDER_ERROR.unsupported, `${name} does not take a seed.`)
    if (!(Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED))
      refuse(PROVIDER_ERROR.unsupported, `The seed must be a whole number from 0 to ${MAX_SEED}; ${seed} is not.`)
    input.seed = seed
  }
  if (request.cameraFixed === true && !model.cameraFixed)
    refuse(PROVIDER_ERROR.unsupported, `${name} cannot keep the camera fixed.`)
  if (model.cameraFixed && request.cameraFixed !== null && request.cameraFixed !== undefined)
    input.camera_fixed = request.cameraFixed
  if (request.audio === true && !model.audio) refuse(PROVIDER_ERROR.unsupported, `${name} makes silent videos.`)
  // generate_audio defaults to true on 1.5 and 2.0 (types/endpoints.ts): say what the user chose, sound or not.
  if (model.audio) input.generate_audio = request.audio === true
  // Never switched off by the app; sent where the endpoint has it so the checker's state is explicit.
  if (wireFacts(model.id).safetyChecker) input.enable_safety_checker = true
  return { endpoint: endpointId(model.id, request.mode), input }
}
