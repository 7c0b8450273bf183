// Jobs the app did not send itself: finished jobs in the account that this journal does not know (made on the
// service's website or on another machine), imported and downloaded into the library while their links are still
// valid (only where the provider can list: ProviderInfo.canList; fal cannot); and a job rebuilt from its library
// entry to download a paid video again.
import { randomUUID } from 'node:crypto'
import type { GenerationRequest, JobRecord, JobService, LibraryEntry } from '../../shared/model'
import {
  ASPECT_RATIOS,
  type AspectRatio,
  defaultModel,
  type ProviderId,
  providerInfo,
  RESOLUTIONS,
  type Resolution,
} from '../../shared/providers'
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

/**
 * A job rebuilt from its library entry (the job left the queue), to download its paid video again: the entry keeps
 * what it needs (the door and model made it; entries before issue 10 read as seedance/standard).
 */
export function recordFromEntry(entry: LibraryEntry, now: number): JobRecord {
  const provider = entry.provider ?? 'seedance'
  const request: GenerationRequest = {
    provider,
    model: entry.model ?? defaultModel(provider).id,
    mode: entry.mode,
    prompt: entry.prompt,
    duration: entry.duration,
    resolution: entry.resolution,
    aspectRatio: entry.aspectRatio,
    style: entry.style,
    motionIntensity: entry.motionIntensity,
    image: null,
    ...(entry.seed !== undefined ? { seed: entry.seed } : {}),
  }
  const record: JobRecord = {
    id: entry.id,
    request,
    fingerprint: entry.fingerprint ?? fingerprint(request),
    state: 'downloading',
    createdAt: entry.createdAt,
    updatedAt: now,
    submittedAt: null,
    remoteId: entry.remoteId,
    estimatedCompletion: null,
    completedAt: entry.createdAt,
    attempts: 1,
    credits: entry.credits,
    error: null,
    note: 'Downloading again.',
    nextAt: null,
    output: {
      videoUrl: '',
      thumbnailUrl: null,
      file: entry.file,
      width: entry.width,
      height: entry.height,
      // The link's deadline the entry kept (0: the service said gone; the user asks once more all the same).
      expiresAt: entry.linkUntil ? entry.linkUntil : null,
    },
    videoId: entry.id,
    batch: null,
  }
  return record
}

/** A record for a door with nothing sent yet: how route() is asked where a new job of that door would go. */
export function doorProbe(door: ProviderId, now: number): JobRecord {
  return {
    id: `import-${door}`,
    request: {
      provider: door,
      model: providerInfo(door).defaultModel,
      mode: 'text',
      prompt: '',
      duration: 0,
      resolution: '720p',
      aspectRatio: null,
      style: null,
      motionIntensity: null,
      image: null,
    },
    fingerprint: '',
    state: 'pending',
    createdAt: now,
    updatedAt: now,
    submittedAt: null,
    remoteId: null,
    estimatedCompletion: null,
    completedAt: null,
    attempts: 0,
    credits: null,
    error: null,
    note: null,
    nextAt: null,
    output: null,
    videoId: null,
    batch: null,
  }
}
