// What a model can do, checked against a request before anything is sent (issue 10, points 1 and 2): by
// prepare-request (the app and the CLI, with the user's words) and again by every adapter (the last line before the
// wire). One checker, reading the one catalog (shared/providers.ts), so the two can never disagree. Pure: no I/O.
import type { GenerationRequest } from './model'
import type { ModelInfo, ProviderInfo } from './providers'

export interface RequestProblem {
  /** INVALID_PROMPT, INVALID_DURATION, INVALID_RESOLUTION, INVALID_ASPECT_RATIO, INVALID_SEED, UNSUPPORTED_SETTING… */
  code: string
  message: string
}

/**
 * Seedance's prompt text commands (`--rs 720p`, `--dur 5`): some services read them out of the prompt and let them
 * override the settings sent beside it, so a prompt carrying one could make a video other than the one chosen (and
 * priced). The app sends each setting in its own field, never in the prompt (issue 10: the rule for every adapter).
 */
export const PROMPT_FLAGS = [
  'ratio',
  'rt',
  'resolution',
  'rs',
  'duration',
  'dur',
  'frames',
  'framespersecond',
  'framepersecond',
  'fps',
  'seed',
  'camerafixed',
  'cf',
  'watermark',
  'wm',
] as const

const FLAG = new RegExp(`(?:^|\\s)--(${PROMPT_FLAGS.join('|')})(?=\\s|=|$)`, 'i')

/** The first text flag a prompt carries (`--rs`), or null. */
export function promptFlag(prompt: string): string | null {
  const match = FLAG.exec(prompt)
  return match ? `--${match[1]?.toLowerCase()}` : null
}

/** Seeds the services take: Ark documents [-1, 2^32 - 1], -1 meaning random (sent as no seed here). */
export const MAX_SEED = 4_294_967_295

const list = (values: readonly (string | number)[]) => values.join(', ')

/** "Seedance 1.0 Pro on BytePlus ModelArk": how a message names the model. */
export function modelName(provider: ProviderInfo, model: ModelInfo): string {
  return `${model.label} on ${provider.label}`
}

/** The durations a model takes, in words ("2–12 s", "4–15 s or auto"). */
export function durationsText(model: ModelInfo): string {
  const { min, max, auto } = model.durations
  return `${min}–${max} s${auto ? ' or auto' : ''}`
}

/**
 * The first thing in `request` that `model` cannot do, or null. A duration of 0 means "auto" (the model chooses),
 * where the model has it. Settings left null/false are always fine; only asking for something counts.
 */
export function requestProblem(
  request: GenerationRequest,
  provider: ProviderInfo,
  model: ModelInfo,
): RequestProblem | null {
  const name = modelName(provider, model)
  const prompt = request.prompt.trim()
  if (!prompt) return { code: 'INVALID_PROMPT', message: 'The prompt is empty.' }
  if (prompt.length > model.promptMax)
    return {
      code: 'INVALID_PROMPT',
      message: `The prompt is ${prompt.length.toLocaleString('en-US')} characters; ${name} takes at most ${model.promptMax.toLocaleString('en-US')}.`,
    }
  const flag = promptFlag(prompt)
  if (flag)
    return {
      code: 'INVALID_PROMPT',
      message: `The prompt holds the text flag "${flag}". Settings are chosen with their own controls (duration, resolution, shape, seed…), never in the prompt: remove "${flag}" and its value.`,
    }
  const firstFrame = request.image !== null || Boolean(request.imageUrl)
  const lastFrame = Boolean(request.lastImage)
  if (request.mode === 'text' && (firstFrame || lastFrame))
    return { code: 'UNSUPPORTED_SETTING', message: 'A text-to-video request carries an image.' }
  if (request.mode === 'text' && !model.modes.includes('text'))
    return {
      code: 'UNSUPPORTED_SETTING',
      message: `${name} needs a first frame image; it cannot start from text alone.`,
    }
  if (request.mode === 'image' && !firstFrame)
    return { code: 'INVALID_IMAGE', message: 'An image-to-video request needs a first frame image.' }
  if (request.mode === 'image' && !model.modes.includes('first-frame'))
    return { code: 'UNSUPPORTED_SETTING', message: `${name} cannot start from an image; it makes videos from text.` }
  if (lastFrame && !model.modes.includes('first-last-frame'))
    return {
      code: 'UNSUPPORTED_SETTING',
      message: `${name} cannot end on a last frame image; choose a model with first + last frame, or leave the last frame out.`,
    }
  const { min, max, auto } = model.durations
  const d = request.duration
  if (!(Number.isInteger(d) && ((d >= min && d <= max) || (d === 0 && auto))))
    return {
      code: 'INVALID_DURATION',
      message: `${name} makes videos of ${durationsText(model)} (whole seconds); ${d === 0 ? 'auto' : `${d} s`} is not one of them.`,
    }
  if (!model.resolutions.includes(request.resolution))
    return {
      code: 'INVALID_RESOLUTION',
      message: `${name} makes ${list(model.resolutions)} videos, not ${request.resolution}.`,
    }
  if (request.aspectRatio !== null && !model.ratios.includes(request.aspectRatio))
    return {
      code: 'INVALID_ASPECT_RATIO',
      message: `${name} makes videos of shape ${list(model.ratios)}, not ${request.aspectRatio}.`,
    }
  const seed = request.seed ?? null
  if (seed !== null && !model.seed)
    return { code: 'UNSUPPORTED_SETTING', message: `${name} does not take a seed; leave it random.` }
  if (seed !== null && !(Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED))
    return {
      code: 'INVALID_SEED',
      message: `The seed must be a whole number from 0 to ${MAX_SEED.toLocaleString('en-US')}; ${seed} is not.`,
    }
  if (request.cameraFixed === true && !model.cameraFixed)
    return { code: 'UNSUPPORTED_SETTING', message: `${name} cannot keep the camera fixed.` }
  if (request.audio === true && !model.audio)
    return { code: 'UNSUPPORTED_SETTING', message: `${name} makes silent videos; it cannot generate sound.` }
  if (request.style && !model.style)
    return {
      code: 'UNSUPPORTED_SETTING',
      message: `${name} has no style setting; describe the style in the prompt.`,
    }
  if (request.motionIntensity !== null && request.mode === 'image' && !model.motionIntensity)
    return { code: 'UNSUPPORTED_SETTING', message: `${name} has no motion intensity setting.` }
  return null
}
