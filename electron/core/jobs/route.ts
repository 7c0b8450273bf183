// How the job manager reaches a job's service (ISSUE10 interface 2), and its clock. The engine decides the route
// (which provider instance, for which door and endpoint); the job manager only asks, so a change of the default door
// never strands a job already sent: it is always asked where it went.
import type { JobRecord, JobService } from '../../shared/model'
import { providerInfo } from '../../shared/providers'
import type { VideoProvider } from '../providers/port'
import { serviceMatch, waitingNote } from './job-policy'

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

/**
 * The route of an engine with one connection (a provider instance and the kind of service it is): jobs of that door
 * go through it, except a job sent to another service (job.service), which waits for it; other doors wait. ISSUE10
 * interim: the faces helper's engine builds routes per door and endpoint; tests use this for one connection.
 */
export function singleConnectionRoute(current: () => { provider: VideoProvider; kind: JobService['kind'] }): RouteJob {
  return (job) => {
    const { provider, kind } = current()
    const service: JobService = { kind, origin: new URL(provider.baseUrl).origin }
    if (job.request.provider !== provider.id)
      return { held: `Waiting for ${providerInfo(job.request.provider).label}: it is not connected.` }
    if (job.state !== 'pending' && job.state !== 'submitting' && serviceMatch(job, service) === 'other')
      return { held: waitingNote(job, service) }
    return { provider, service }
  }
}
