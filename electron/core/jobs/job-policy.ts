// Pure decisions of the job manager, kept apart so they are easy to test: when to poll, how long a paid video's
// link may be fetched, and which service a job belongs to. (What each answer does to a job: transitions.ts.)

import { linkLifetime, linkMayBeValid, type PaidLink } from '../../shared/links'
import type { JobRecord, JobService } from '../../shared/model'

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

/** The wait before the next poll of a job still running: `start` first (5 s unless known better), then growing. */
export function nextInterval(previous: number | undefined, start = POLL_START_MS): number {
  return previous === undefined ? start : Math.min(POLL_MAX_MS, previous * POLL_GROWTH)
}

/** Waits between downloads of a paid video after passing faults: 10 s, 30 s, 1, 2, 5, then every 10 min. */
export const DOWNLOAD_RETRY_MS = [10_000, 30_000, 60_000, 120_000, 300_000, 600_000] as const

export function downloadRetryDelay(tries: number): number {
  return DOWNLOAD_RETRY_MS[Math.min(tries, DOWNLOAD_RETRY_MS.length - 1)] as number
}

/** What the job knows of its video's link, for the one rule in shared/links.ts. */
export function jobLink(job: JobRecord): PaidLink {
  return {
    remoteId: job.remoteId,
    completedAt: job.completedAt ?? job.updatedAt,
    expiresAt: job.output?.expiresAt ?? null,
    gone: job.output?.gone === true,
    // Replicate deletes outputs after 1 h: download-retry stops at the provider's link lifetime, not the guide's.
    lifetimeMs: linkLifetime(job.request.provider),
  }
}

/** A paid video that may still be downloaded: the service has not said it is gone, and its time is not up. */
export function jobLinkMayBeValid(job: JobRecord, now: number): boolean {
  return job.output !== null && linkMayBeValid(jobLink(job), now)
}

export const SERVICE_NAME: Record<JobService['kind'], string> = { sandbox: 'the Sandbox', cloud: 'Seedance Cloud' }

/**
 * Whether the engine's current connection is the service a job was sent to: 'own', 'other' (it must not be
 * asked: its answer about this job means nothing), or 'unknown' (an older journal did not record it).
 * The built-in Sandbox gets a new port each start, so any Sandbox is the Sandbox.
 */
export function serviceMatch(job: JobRecord, current: JobService): 'own' | 'other' | 'unknown' {
  const s = job.service
  if (!s) return 'unknown'
  if (s.kind !== current.kind) return 'other'
  return s.kind === 'sandbox' || s.origin === current.origin ? 'own' : 'other'
}

/** The note of a job held until the engine is connected to its service again. */
export function waitingNote(job: JobRecord, current: JobService): string {
  const s = job.service
  if (!s)
    return `Waiting for the service this job was sent to (not recorded by an older version): ${SERVICE_NAME[current.kind]} at ${current.origin} does not know job ${job.remoteId}. Nothing is sent again or given up; connect to that service, or cancel.`
  const where = s.kind === 'cloud' ? `${SERVICE_NAME.cloud} (${s.origin})` : SERVICE_NAME.sandbox
  return `Waiting for ${where}: the job was sent there and the app is connected to ${SERVICE_NAME[current.kind]} now. Nothing is sent again or given up.`
}
