// How the job manager reaches a job's service, and its clock. The engine decides the route
// (which provider instance, for which door and endpoint); the job manager only asks, so a change of the default door
// never strands a job already sent: it is always asked where it went.
import type { JobRecord, JobService } from '../../shared/model'
import type { VideoProvider } from '../providers/port'

/**
 * The provider to use for a job's door: where it was sent (job.service), or for a job not yet sent, where it would
 * go now. `held`: it cannot be reached now (no key for it, key bound elsewhere): the job waits with that note, and is
 * never failed or resubmitted for it.
 */
export type JobRoute = { provider: VideoProvider; service: JobService } | { held: string }
export type RouteJob = (job: JobRecord) => JobRoute

export interface Clock {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms)
    t.unref()
    return t
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
}
