// The composer's controls, worked out from the chosen model's capabilities (electron/shared/providers.ts, the one
// place for models, limits and prices): which controls show, what they offer, how settings are fitted to a model
// when the user switches (saying what changed, never silently), what is sent and what it is expected to cost.
// Pure functions: no DOM, no store, so they are tested on their own (test/renderer/features/composer/).
import type { InvokeRequest } from '../../../../electron/shared/contract'
import {
  type AspectRatio,
  type CostEstimate,
  defaultModel,
  estimateCost,
  findModel,
  isProviderId,
  type ModelInfo,
  nearestRatio,
  PROVIDERS,
  type ProviderId,
  providerInfo,
  type Resolution,
} from '../../../../electron/shared/providers'

/** The composer's settings that depend on the model (the prompt and images are kept as they are). */
export interface ModelSettings {
  provider: ProviderId
  model: string
  mode: 'text' | 'image'
  duration: number
  resolution: Resolution
  aspectRatio: AspectRatio
  style: string
  /** The seed as typed (digits), '' for random. */
  seed: string
  seedLocked: boolean
  cameraFixed: boolean
  audio: boolean
  /** A last frame is chosen (first + last frame). */
  hasLastImage: boolean
}

export interface Controls {
  model: ModelInfo
  /** Image to video is offered (the model takes a first frame). */
  image: boolean
  /** The last-frame drop target (the model takes a first and a last frame). */
  lastFrame: boolean
  durations: { min: number; max: number }
  resolutions: readonly Resolution[]
  ratios: readonly AspectRatio[]
  seed: boolean
  cameraFixed: boolean
  audio: boolean
  style: boolean
  motion: boolean
}

/** The model, or the provider's default when the id is not (or no longer) in the catalog. */
export function modelFor(provider: ProviderId, model: string): ModelInfo {
  return findModel(provider, model) ?? defaultModel(provider)
}

/**
 * What engine:status names as the default door and model. Read defensively: before issue 10's Settings land, the
 * status says only 'sandbox' | 'cloud', and the guide's API with its one model is the default.
 */
export function engineDefault(status: { provider?: unknown; model?: unknown } | null | undefined): {
  provider: ProviderId
  model: string
} {
  const provider = status?.provider
  if (isProviderId(provider)) {
    const model = typeof status?.model === 'string' ? findModel(provider, status.model) : null
    return { provider, model: (model ?? defaultModel(provider)).id }
  }
  return { provider: 'seedance', model: defaultModel('seedance').id }
}

/**
 * The controls a model offers. `adaptive` (follow the source image) only with an image: without one, each door
 * reads it differently (the guide's API has none, 2.x lets the model choose), so it is not offered.
 */
export function controlsFor(provider: ProviderId, modelId: string, mode: 'text' | 'image'): Controls {
  const model = modelFor(provider, modelId)
  const image = model.modes.includes('first-frame')
  return {
    model,
    image,
    lastFrame: image && mode === 'image' && model.modes.includes('first-last-frame'),
    durations: { min: model.durations.min, max: model.durations.max },
    resolutions: model.resolutions,
    ratios: model.ratios.filter((r) => r !== 'adaptive' || mode === 'image'),
    seed: model.seed,
    cameraFixed: model.cameraFixed,
    audio: model.audio,
    style: model.style,
    motion: model.motionIntensity && mode === 'image',
  }
}

/** "BytePlus ModelArk · Seedance 1.0 Pro"; a model not in the catalog is shown by its id. */
export function modelLabel(provider: ProviderId | undefined, model: string | undefined): string {
  const p = provider ?? 'seedance'
  const m = findModel(p, model ?? defaultModel(p).id)
  return `${providerInfo(p).label} · ${m?.label ?? model}`
}

/** Every provider's models, for the pickers (current models first, older ones after). */
export function modelChoices(provider: ProviderId): ModelInfo[] {
  const models = [...providerInfo(provider).models]
  return [...models.filter((m) => !m.legacy), ...models.filter((m) => m.legacy)]
}

export const PROVIDER_CHOICES = PROVIDERS.map((p) => ({ id: p.id, label: p.label }))

/** The resolution kept when a model lacks the current one: the highest it has at or below it, else its lowest. */
function fitResolution(current: Resolution, model: ModelInfo): Resolution {
  if (model.resolutions.includes(current)) return current
  const order: Resolution[] = ['480p', '720p', '1080p']
  const below = model.resolutions.filter((r) => order.indexOf(r) <= order.indexOf(current))
  return below.at(-1) ?? model.resolutions[0] ?? model.defaultResolution
}

/**
 * Fit settings to a model: every value it cannot take is changed to one it can, and each change is described in
 * words for the notice under the picker ("Duration 12 s → 8 s: …").
 */
export function fitToModel(settings: ModelSettings): { settings: ModelSettings; changes: string[] } {
  const model = modelFor(settings.provider, settings.model)
  const name = model.label
  const changes: string[] = []
  const next: ModelSettings = { ...settings, model: model.id }
  // '' asks for the provider's default model (a new door picked): nothing to report.
  if (settings.model && model.id !== settings.model)
    changes.push(`Model “${settings.model}” is not offered any more: using ${name}.`)
  if (next.mode === 'image' && !model.modes.includes('first-frame')) {
    next.mode = 'text'
    changes.push(`${name} makes videos from text only: switched to text to video.`)
  }
  const { min, max } = model.durations
  if (next.duration > max || next.duration < min) {
    const to = Math.min(max, Math.max(min, next.duration))
    changes.push(`Duration ${next.duration} s → ${to} s: ${name} makes ${min}–${max} s.`)
    next.duration = to
  }
  const resolution = fitResolution(next.resolution, model)
  if (resolution !== next.resolution) {
    changes.push(`Resolution ${next.resolution} → ${resolution}: ${name} makes ${model.resolutions.join(', ')}.`)
    next.resolution = resolution
  }
  const ratios = controlsFor(next.provider, model.id, next.mode).ratios
  if (!ratios.includes(next.aspectRatio)) {
    const to = ratios.includes(model.defaultRatio) ? model.defaultRatio : (ratios[0] as AspectRatio)
    changes.push(
      next.aspectRatio === 'adaptive' && model.ratios.includes('adaptive')
        ? `Aspect ratio adaptive → ${to}: adaptive follows a source image.`
        : `Aspect ratio ${next.aspectRatio} → ${to}: ${name} makes ${ratios.join(', ')}.`,
    )
    next.aspectRatio = to
  }
  if (next.style.trim() && !model.style) {
    changes.push(`Style “${next.style.trim()}” removed: ${name} has no style setting.`)
    next.style = ''
  }
  if ((next.seed !== '' || next.seedLocked) && !model.seed) {
    changes.push(`Seed ${next.seed ? `${next.seed} ` : ''}not used: ${name} does not take a seed.`)
    next.seed = ''
    next.seedLocked = false
  }
  if (next.cameraFixed && !model.cameraFixed) {
    changes.push(`Fixed camera turned off: ${name} does not take it.`)
    next.cameraFixed = false
  }
  if (next.audio && !model.audio) {
    changes.push(`Sound turned off: ${name} makes silent videos.`)
    next.audio = false
  }
  if (next.hasLastImage && next.mode === 'image' && !model.modes.includes('first-last-frame')) {
    changes.push(`Last frame removed: ${name} takes a first frame only.`)
    next.hasLastImage = false
  }
  return { settings: next, changes }
}

/** Seeds every door takes: Ark's [-1, 2^32 − 1]; CHOSEN: draw within 2^31 − 1 so signed 32-bit fields take it too. */
export const SEED_MAX = 4_294_967_295
const DRAW_MAX = 2_147_483_647

/** A typed seed, or a problem to show under the field; '' is random. */
export function parseSeed(text: string): { seed: number | null; problem: string | null } {
  const t = text.trim()
  if (t === '') return { seed: null, problem: null }
  if (!/^\d+$/.test(t)) return { seed: null, problem: 'The seed is a whole number (or empty for a random one).' }
  const n = Number(t)
  return n > SEED_MAX
    ? { seed: null, problem: `The seed is at most ${SEED_MAX.toLocaleString('en')}.` }
    : { seed: n, problem: null }
}

/**
 * The seed to send, and the seed field after the generation: a typed seed is sent; a lock keeps it for the next
 * generations (and, with no seed typed, draws one to keep); without a lock the field empties, so the next one is
 * random again. `random` is passed in ([0, 1)), so tests choose it.
 */
export function seedForSubmit(
  settings: Pick<ModelSettings, 'seed' | 'seedLocked'>,
  takesSeed: boolean,
  random: () => number,
): { send: number | null; after: string } {
  if (!takesSeed) return { send: null, after: '' }
  const typed = parseSeed(settings.seed).seed
  const send = typed ?? (settings.seedLocked ? Math.floor(random() * (DRAW_MAX + 1)) : null)
  return { send, after: settings.seedLocked && send !== null ? String(send) : '' }
}

type SubmitRequest = InvokeRequest<'jobs:submit'>
interface Bytes {
  name: string
  data: Uint8Array<ArrayBuffer>
}

/**
 * The jobs:submit payload for the settings: only what the model takes (a control it lacks is sent as null, so the
 * engine and the service never see a setting the user could not see).
 */
export function submitPayload(
  s: Omit<ModelSettings, 'hasLastImage'> & { prompt: string; motion: number; imageUrl: string },
  images: { image: Bytes | null; lastImage: Bytes | null },
  seed: number | null,
  force: boolean,
): SubmitRequest {
  const c = controlsFor(s.provider, s.model, s.mode)
  const image = s.mode === 'image'
  const url = s.imageUrl.trim()
  return {
    provider: s.provider,
    model: c.model.id,
    prompt: s.prompt,
    duration: s.duration,
    resolution: s.resolution,
    aspectRatio: s.aspectRatio,
    style: c.style ? s.style.trim() || null : null,
    motionIntensity: c.motion ? s.motion : null,
    seed: c.seed ? seed : null,
    cameraFixed: c.cameraFixed ? s.cameraFixed : null,
    audio: c.audio ? s.audio : null,
    image: image && images.image ? images.image : null,
    imageUrl: image && !images.image && url ? url : null,
    lastImage: c.lastFrame && images.image && images.lastImage ? images.lastImage : null,
    force,
  }
}

const UNIT: Record<CostEstimate['unit'], [string, string]> = {
  credits: ['credit', 'credits'],
  tokens: ['token', 'tokens'],
  seconds: ['second', 'seconds'],
}

/**
 * The expected cost in the provider's unit and in USD where a price is published. `adaptive` is costed at the
 * ratio nearest the source image (what the model will make).
 */
export function costLines(
  s: Pick<ModelSettings, 'provider' | 'model' | 'duration' | 'resolution' | 'aspectRatio' | 'audio'>,
  image: { width: number; height: number } | null,
): { amount: string; usd: string; estimate: CostEstimate } {
  const model = modelFor(s.provider, s.model)
  const ratio = s.aspectRatio === 'adaptive' && image ? nearestRatio(image.width, image.height) : s.aspectRatio
  const estimate = estimateCost(s.provider, model, {
    duration: s.duration,
    resolution: s.resolution,
    aspectRatio: ratio,
    audio: model.audio ? s.audio : null,
  })
  const [one, many] = UNIT[estimate.unit]
  const amount = `≈ ${estimate.amount.toLocaleString('en')} ${estimate.amount === 1 ? one : many}`
  const usd =
    estimate.usd === null
      ? 'price not published'
      : `≈ $${estimate.usd < 0.01 ? estimate.usd.toFixed(4) : estimate.usd.toFixed(2)}`
  return { amount, usd, estimate }
}
