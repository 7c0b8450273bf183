// Pure decisions of the job manager, kept apart so they are easy to test: when to poll, which
// states count against the concurrency limit, and which listed remote job a lost submission became.

import { LINK_TTL_MS } from '../../shared/links'
import type { JobRecord, JobState } from '../../shared/model'
import type { Job } from '../api/schemas'

/** States that hold one of the service's concurrent-job slots. */
export const ACTIVE_STATES: ReadonlySet<JobState> = new Set(['submitting', 'queued', 'processing', 'outcome-unknown'])
export const FINAL_STATES: ReadonlySet<JobState> = new Set(['done', 'failed', 'cancelled'])

/** Poll just after the estimated completion (the guide: first poll near it)… */
export const FIRST_POLL_MARGIN_MS = 150
/** …then every 5 s, growing ×1.5 up to 30 s. */
export const POLL_START_MS = 5000
export const POLL_GROWTH = 1.5
export const POLL_MAX_MS = 30_000
/** Jobs due within this window are checked together through the list endpoint. */
export const GROUP_WINDOW_MS = 250

export function firstPollAt(now: number, estimatedCompletion: number | null): number {
  return estimatedCompletion !== null
    ? Math.max(now + 500, estimatedCompletion + FIRST_POLL_MARGIN_MS)
    : now + POLL_START_MS
}

export function nextInterval(previous: number | undefined): number {
  return previous === undefined ? POLL_START_MS : Math.min(POLL_MAX_MS, previous * POLL_GROWTH)
}

/** A submission whose answer was lost: the remote job it created, if the list shows one. */
export function matchLostSubmission(
  job: JobRecord,
  candidates: Job[],
  knownRemoteIds: ReadonlySet<string>,
): Job | undefined {
  const r = job.request
  const sentAt = job.submittedAt ?? job.updatedAt
  return candidates.find((c) => {
    if (knownRemoteIds.has(c.job_id)) return false
    if (c.prompt !== undefined && c.prompt.trim() !== r.prompt.trim()) return false
    if (c.duration !== undefined && c.duration !== r.duration) return false
    if (c.resolution !== undefined && c.resolution !== r.resolution) return false
    if (c.aspect_ratio !== undefined && r.aspectRatio !== null && c.aspect_ratio !== r.aspectRatio) return false
    if (c.mode !== undefined && c.mode !== (r.mode === 'image' ? 'image-to-video' : 'text-to-video')) return false
    const created = c.created_at ? Date.parse(c.created_at) : Number.NaN
    // The service stamps the job while our POST is in flight: allow clock skew and a slow request.
    return Number.isFinite(created) && created >= sentAt - 30_000 && created <= sentAt + 120_000
  })
}

export { LINK_TTL_MS }

/** Waits between downloads of a paid video after passing faults: 10 s, 30 s, 1, 2, 5, then every 10 min. */
export const DOWNLOAD_RETRY_MS = [10_000, 30_000, 60_000, 120_000, 300_000, 600_000] as const

export function downloadRetryDelay(tries: number): number {
  return DOWNLOAD_RETRY_MS[Math.min(tries, DOWNLOAD_RETRY_MS.length - 1)] as number
}

/** The last moment the video's link can be valid: the service's expires_at, or 24 h after completion. */
export function linkDeadline(job: JobRecord): number {
  const byGuide = (job.completedAt ?? job.updatedAt) + LINK_TTL_MS
  return Math.max(job.output?.expiresAt ?? 0, byGuide)
}

/** A paid video that may still be downloaded: the service has not said it is gone, and its time is not up. */
export function linkMayBeValid(job: JobRecord, now: number): boolean {
  return job.output !== null && job.remoteId !== null && job.output.gone !== true && now < linkDeadline(job)
}
