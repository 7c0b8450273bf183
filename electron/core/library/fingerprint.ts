// A request's fingerprint: prompt + parameters + image hash. The same fingerprint means the same video,
// so the UI and CLI can offer the one already made instead of spending credits again (the guide's
// caching advice).
import { createHash } from 'node:crypto'
import type { GenerationRequest } from '../../shared/model'

export function fingerprint(request: GenerationRequest): string {
  const canonical = JSON.stringify([
    request.mode,
    request.prompt.trim().replace(/\s+/g, ' '),
    request.duration,
    request.resolution,
    request.aspectRatio,
    request.style?.trim() || null,
    request.mode === 'image' ? (request.motionIntensity ?? 0.5) : null,
    request.image?.sha256 ?? request.imageUrl ?? null,
  ])
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32)
}
