// Which waiting job is sent next, within each door's limits (ProviderInfo.rate, shared/providers.ts): how many jobs
// may be out at the service at once, and how many new jobs a minute. The request rate itself (every call) is kept
// by each provider instance's transport (providers/http.ts); this decides only when a new job may go.
import { SLOT_STATES } from '../../shared/job-states'
import type { JobRecord } from '../../shared/model'
import { type ProviderId, providerInfo, type RatePolicy } from '../../shared/providers'

/**
 * Jobs a door may hold in slot states (submitting, queued, processing, outcome-unknown) at once:
 * - 'reject' services (the guide: a 429 past 2 running jobs): at most their concurrency, and never more than the
 *   user's maxConcurrentJobs (Settings), so a free-tier account never provokes a 429;
 * - 'queue' services (Ark, fal, Replicate queue what they cannot run yet): more may be sent, up to the running jobs
 *   plus their documented queue (Ark: 10 + 120); without a documented queue, no count limit (the transport's
 *   request rate and createsPerMinute still apply).
 */
export function slotLimit(rate: RatePolicy, maxConcurrentJobs: number): number {
  if (rate.overConcurrency === 'reject') return Math.min(rate.concurrency ?? maxConcurrentJobs, maxConcurrentJobs)
  if (rate.queueLimit !== undefined) return (rate.concurrency ?? 0) + rate.queueLimit
  return Number.POSITIVE_INFINITY
}

const MINUTE = 60_000

export interface PickOptions {
  now: number
  maxConcurrentJobs: number
  /** A job that cannot be sent now whatever the limits (its door is held: no key, bound elsewhere). */
  blocked?: (job: JobRecord) => boolean
}

export interface Pick {
  /** The oldest due waiting job with room at its door, or null. */
  job: JobRecord | null
  /** When a door's create budget frees up for a job that waits only for it; null when none does. */
  wakeAt: number | null
}

export class Scheduler {
  /** When each door's recent jobs were sent, for createsPerMinute (Replicate: 600 a minute). */
  private readonly creates = new Map<ProviderId, number[]>()

  /** Count one job sent to a door now. */
  sent(provider: ProviderId, at: number): void {
    const list = this.creates.get(provider) ?? []
    list.push(at)
    this.creates.set(provider, list)
  }

  /** The earliest moment a door may send another job under its createsPerMinute (now when it may). */
  private createAllowedAt(provider: ProviderId, rate: RatePolicy, now: number): number {
    const perMinute = rate.createsPerMinute
    if (perMinute === undefined) return now
    const recent = (this.creates.get(provider) ?? []).filter((t) => t > now - MINUTE)
    this.creates.set(provider, recent)
    return recent.length < perMinute ? now : (recent[recent.length - perMinute] as number) + MINUTE
  }

  /** Slot jobs per door. */
  static inSlots(jobs: Iterable<JobRecord>): Map<ProviderId, number> {
    const counts = new Map<ProviderId, number>()
    for (const j of jobs)
      if (SLOT_STATES.has(j.state)) counts.set(j.request.provider, (counts.get(j.request.provider) ?? 0) + 1)
    return counts
  }

  pick(jobs: Iterable<JobRecord>, o: PickOptions): Pick {
    const all = [...jobs]
    const busy = Scheduler.inSlots(all)
    const waiting = all
      .filter((j) => j.state === 'pending' && (j.nextAt ?? 0) <= o.now && !o.blocked?.(j))
      .sort((a, b) => a.createdAt - b.createdAt)
    let wakeAt: number | null = null
    for (const job of waiting) {
      const door = job.request.provider
      const { rate } = providerInfo(door)
      if ((busy.get(door) ?? 0) >= slotLimit(rate, o.maxConcurrentJobs)) continue
      const allowedAt = this.createAllowedAt(door, rate, o.now)
      if (allowedAt > o.now) {
        wakeAt = wakeAt === null ? allowedAt : Math.min(wakeAt, allowedAt)
        continue
      }
      return { job, wakeAt: null }
    }
    return { job: null, wakeAt }
  }

  /** Whether a waiting job has room at its door now (the loop sleeps on jobs that do not). */
  hasRoom(job: JobRecord, jobs: Iterable<JobRecord>, maxConcurrentJobs: number): boolean {
    const door = job.request.provider
    return (Scheduler.inSlots(jobs).get(door) ?? 0) < slotLimit(providerInfo(door).rate, maxConcurrentJobs)
  }
}
