// A request's fingerprint: prompt + parameters + image hash. The same fingerprint means the same video,
// so the UI and CLI can offer the one already made instead of spending credits again (the guide's
// caching advice). The door and model count (issue 10): the same prompt on another model is another video. They,
// and the settings added with them, are appended only when set, so a guide request made before keeps its
// fingerprint (the library it made still answers "already made").
import { createHash } from 'node:crypto'
import type { GenerationRequest } from '../../shared/model'

export function fingerprint(request: GenerationRequest): string {
  const parts: unknown[] = [
    request.mode,
    request.prompt.trim().replace(/\s+/g, ' '),
    request.duration,
    request.resolution,
    request.aspectRatio,
    request.style?.trim() || null,
    request.mode === 'image' ? (request.motionIntensity ?? 0.5) : null,
    request.image?.sha256 ?? request.imageUrl ?? null,
  ]
  const extra = [
    request.lastImage?.sha256 ?? null,
    request.seed ?? null,
    request.cameraFixed ?? null,
    request.audio ?? null,
  ]
  const guide = (request.provider ?? 'seedance') === 'seedance' && (request.model ?? 'standard') === 'standard'
  if (!guide || extra.some((v) => v !== null)) parts.push(request.provider, request.model, ...extra)
  const canonical = JSON.stringify(parts)
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32)
}
