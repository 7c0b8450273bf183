// The composer's form: owned by the renderer. "Reuse settings" fills it from a library entry.
import { create } from 'zustand'
import type { AspectRatio, LibraryEntry, Resolution } from '../../../electron/shared/model'

export interface ComposerImage {
  name: string
  data: Uint8Array<ArrayBuffer>
  /** An object URL for the preview. */
  preview: string
  width: number
  height: number
}

interface ComposerState {
  mode: 'text' | 'image'
  prompt: string
  duration: number
  resolution: Resolution
  aspectRatio: AspectRatio
  style: string
  motion: number
  image: ComposerImage | null
  /** Or an https URL the service fetches (image_url). */
  imageUrl: string
  /** A rule the image breaks, shown on the drop zone. */
  imageError: string | null
  patch(p: Partial<Omit<ComposerState, 'patch' | 'reuse' | 'setImage'>>): void
  setImage(image: ComposerImage | null, error?: string | null): void
  reuse(entry: LibraryEntry): void
}

export const PROMPT_LIMIT = 2000

/** A fresh composer. */
export const COMPOSER_DEFAULTS = {
  mode: 'text',
  prompt: '',
  duration: 5,
  resolution: '1080p',
  aspectRatio: '16:9',
  style: '',
  motion: 0.5,
  image: null,
  imageUrl: '',
  imageError: null,
} satisfies Partial<ComposerState>

export const useComposer = create<ComposerState>((set, get) => ({
  ...COMPOSER_DEFAULTS,
  patch: (p) => set(p),
  setImage(image, error = null) {
    const old = get().image
    if (old && old !== image) URL.revokeObjectURL(old.preview)
    set({ image, imageError: error })
  },
  reuse(entry) {
    set({
      mode: entry.mode,
      prompt: entry.prompt,
      duration: entry.duration,
      resolution: entry.resolution,
      aspectRatio: entry.aspectRatio,
      style: entry.style ?? '',
      motion: entry.motionIntensity ?? 0.5,
      // A video made from an image URL gets the URL back; a local image is restored by the caller.
      imageUrl: entry.image && !entry.image.sha256 && /^https?:\/\//.test(entry.image.name) ? entry.image.name : '',
    })
  },
}))
