// The composer's form: owned by the renderer. Its settings follow the chosen model's capabilities
// (features/composer/capabilities.ts); "Reuse settings" fills it from a library entry.
import { create } from 'zustand'
import type { AspectRatio, LibraryEntry, ProviderId, Resolution } from '../../../electron/shared/model'
import { fitToModel, type ModelSettings, modelFor } from '../features/composer/capabilities'

export interface ComposerImage {
  name: string
  data: Uint8Array<ArrayBuffer>
  /** An object URL for the preview. */
  preview: string
  width: number
  height: number
}

export type ImageSlot = 'image' | 'lastImage'

interface ComposerState {
  provider: ProviderId
  model: string
  /** The user chose the door and model here (or reused a video's): the engine's default no longer moves them. */
  chosen: boolean
  mode: 'text' | 'image'
  prompt: string
  duration: number
  resolution: Resolution
  aspectRatio: AspectRatio
  style: string
  motion: number
  /** Digits, or '' for a random seed. */
  seed: string
  /** Keep the same seed across generations. */
  seedLocked: boolean
  cameraFixed: boolean
  audio: boolean
  image: ComposerImage | null
  /** Or an https URL the service fetches (image_url). */
  imageUrl: string
  /** A rule the image breaks, shown on the drop zone. */
  imageError: string | null
  /** The last frame (first + last frame), where the model has that mode. */
  lastImage: ComposerImage | null
  lastImageError: string | null
  /** What was changed to fit the model last chosen, in words (shown until the next choice). */
  fitNotice: string[]
  /** Where a seed drawn for a lock comes from, in [0, 1) (passed in: tests choose it). */
  random: () => number
  patch(p: Partial<Omit<ComposerState, 'patch' | 'reuse' | 'setImage' | 'chooseModel'>>): void
  setImage(image: ComposerImage | null, error?: string | null, slot?: ImageSlot): void
  /** Switch door and model, fitting every setting to it. `byUser: false`: following the engine's default. */
  chooseModel(provider: ProviderId, model: string, byUser?: boolean): void
  reuse(entry: LibraryEntry): void
}

export const PROMPT_LIMIT = 2000

/** A fresh composer: the guide's API and its one model until engine:status names the default. */
export const COMPOSER_DEFAULTS = {
  provider: 'seedance',
  model: 'standard',
  chosen: false,
  mode: 'text',
  prompt: '',
  duration: 5,
  resolution: '1080p',
  aspectRatio: '16:9',
  style: '',
  motion: 0.5,
  seed: '',
  seedLocked: false,
  cameraFixed: false,
  audio: false,
  image: null,
  imageUrl: '',
  imageError: null,
  lastImage: null,
  lastImageError: null,
  fitNotice: [],
  random: Math.random,
} satisfies Partial<ComposerState>

function modelSettings(s: ComposerState): ModelSettings {
  return {
    provider: s.provider,
    model: s.model,
    mode: s.mode,
    duration: s.duration,
    resolution: s.resolution,
    aspectRatio: s.aspectRatio,
    style: s.style,
    seed: s.seed,
    seedLocked: s.seedLocked,
    cameraFixed: s.cameraFixed,
    audio: s.audio,
    hasLastImage: s.lastImage !== null,
  }
}

export const useComposer = create<ComposerState>((set, get) => ({
  ...COMPOSER_DEFAULTS,
  patch: (p) => set(p),
  setImage(image, error = null, slot = 'image') {
    const old = get()[slot]
    if (old && old !== image) URL.revokeObjectURL(old.preview)
    set(slot === 'image' ? { image, imageError: error } : { lastImage: image, lastImageError: error })
  },
  chooseModel(provider, model, byUser = true) {
    const state = get()
    const { settings, changes } = fitToModel({ ...modelSettings(state), provider, model })
    const { hasLastImage, ...fitted } = settings
    if (!hasLastImage && state.lastImage) get().setImage(null, null, 'lastImage')
    set({ ...fitted, chosen: state.chosen || byUser, fitNotice: changes })
  },
  reuse(entry) {
    const provider = entry.provider ?? 'seedance'
    const model = entry.model ?? modelFor(provider, '').id
    get().setImage(null, null, 'lastImage')
    set({
      mode: entry.mode,
      prompt: entry.prompt,
      duration: entry.duration,
      resolution: entry.resolution,
      aspectRatio: entry.aspectRatio,
      style: entry.style ?? '',
      motion: entry.motionIntensity ?? 0.5,
      // The seed it was made with, for the next generation (lock it to keep it for more).
      seed: entry.seed === null || entry.seed === undefined || entry.seed < 0 ? '' : String(entry.seed),
      // A video made from an image URL gets the URL back; a local image is restored by the caller.
      imageUrl: entry.image && !entry.image.sha256 && /^https?:\/\//.test(entry.image.name) ? entry.image.name : '',
      // Issue 11: kept on entries since; an older entry says nothing, and the form keeps what it has.
      ...(typeof entry.cameraFixed === 'boolean' ? { cameraFixed: entry.cameraFixed } : {}),
      ...(typeof entry.audio === 'boolean' ? { audio: entry.audio } : {}),
    })
    get().chooseModel(provider, model)
  },
}))
