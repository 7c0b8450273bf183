// Credits per job, by the formula the Sandbox charges and the API guide's example implies
// (8 s at 1080p = 10): ceil(duration × 1.25) at 1080p, ceil(duration × 0.75) at 720p.
import type { Resolution } from './model'

export function creditsFor(duration: number, resolution: Resolution): number {
  return Math.ceil(duration * (resolution === '1080p' ? 1.25 : 0.75))
}
