// The Sweep panel's form and the last sweep queued: owned by the renderer, kept while the user moves between views.
import { create } from 'zustand'
import type { AspectRatio, ProviderId, Resolution } from '../../../../electron/shared/model'
import type { SweepSubmitted } from '../../../../electron/shared/sweep'

export interface SweepForm {
  prompts: string
  seeds: string
  models: Array<{ provider: ProviderId; model: string }>
  durations: string
  resolutions: Resolution[]
  /** null: each model's default shape. */
  aspectRatio: AspectRatio | null
  audio: boolean
  cameraFixed: boolean
}

interface SweepState extends SweepForm {
  /** The panel is open (closed by default: Create shows the composer first). */
  open: boolean
  /** The sweep last queued from here, to follow its jobs and open its videos in compare. */
  last: SweepSubmitted | null
  patch(p: Partial<SweepForm & { last: SweepSubmitted | null; open: boolean }>): void
}

export const SWEEP_DEFAULTS: SweepForm & { last: null; open: boolean } = {
  open: false,
  prompts: '',
  seeds: '',
  models: [],
  durations: '',
  resolutions: [],
  aspectRatio: null,
  audio: false,
  cameraFixed: false,
  last: null,
}

export const useSweep = create<SweepState>((set) => ({
  ...SWEEP_DEFAULTS,
  patch: (p) => set(p),
}))
