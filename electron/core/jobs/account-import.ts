// Account import: finished jobs in the account that this journal does not know (made on the service's website or on
// another machine) become jobs here, downloaded into the library while their links are still valid. Only where the
// provider can list its jobs (ProviderInfo.canList; fal cannot).
import { randomUUID } from 'node:crypto'
import type { GenerationRequest, JobRecord, JobService } from '../../shared/model'
import { ASPECT_RATIOS, type AspectRatio, RESOLUTIONS, type Resolution } from '../../shared/providers'
import { fingerprint } from '../library/fingerprint'
import type { RemoteSnapshot, VideoProvider } from '../providers/port'

/** Pages read at most (100 jobs each): an account's recent history, not its whole past. */
const MAX_PAGES = 50

/** Every finished job in the account, newest first. */
export async function finishedRemoteJobs(provider: VideoProvider, signal?: AbortSignal): Promise<RemoteSnapshot[]> {
  if (!provider.list) return []
  const found: RemoteSnapshot[] = []
  let cursor: string | null = null
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await provider.list({ limit: 100, cursor }, signal)
    found.push(...answer.jobs.filter((j) => j.phase === 'succeeded'))
    if (answer.next === null || answer.jobs.length === 0) break
    cursor = answer.next
  }
  return found
}

/** The record of an imported job: what the service echoed of its request, the provider's defaults otherwise. */
export function importedJob(
  provider: VideoProvider,
  service: JobService,
  remote: RemoteSnapshot,
  now: number,
): JobRecord {
  const e = remote.echo ?? {}
  const model =
    provider.info.models.find((m) => m.id === e.model) ??
    provider.info.models.find((m) => m.id === provider.info.defaultModel)
  const request: GenerationRequest = {
    provider: provider.id,
    model: model?.id ?? provider.info.defaultModel,
    mode: e.mode ?? 'text',
    prompt: e.prompt ?? '',
    duration: e.duration ?? 0,
    resolution: (RESOLUTIONS as readonly string[]).includes(e.resolution ?? '')
      ? (e.resolution as Resolution)
      : (model?.defaultResolution ?? '1080p'),
    aspectRatio: (ASPECT_RATIOS as readonly string[]).includes(e.ratio ?? '') ? (e.ratio as AspectRatio) : null,
    style: null,
    motionIntensity: null,
    image: null,
  }
  const created = remote.createdAt ?? now
  return {
    id: randomUUID(),
    request,
    fingerprint: fingerprint(request),
    state: 'queued',
    createdAt: created,
    updatedAt: now,
    submittedAt: created,
    remoteId: remote.remoteId,
    service,
    estimatedCompletion: null,
    completedAt: null,
    attempts: 1,
    credits: remote.cost?.unit === 'credits' ? remote.cost.amount : null,
    error: null,
    note: 'Imported from your account.',
    nextAt: null,
    output: null,
    videoId: null,
    batch: null,
  }
}
