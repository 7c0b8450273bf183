// The studio's takes: the jobs of the current session, read from the jobs mirror, and what each card shows (phase,
// progress, time left, what it waits for, its place in line, its cost). Pure functions of a job record and a time,
// so they are tested on their own (test/renderer/features/studio/takes.test.ts); the components only render them.
import { FINAL_STATES, JOB_STATE_LABEL } from '../../../../electron/shared/job-states'
import type { JobRecord, LibraryEntry } from '../../../../electron/shared/model'
import { type CostEstimate, estimateCost, providerInfo } from '../../../../electron/shared/providers'
import { modelFor } from '../composer/capabilities'

/** Ids of the jobs created since `since` (the session's start, or its last Clear), newest first as `ids` are. */
export function sessionTakeIds(ids: readonly string[], byId: Record<string, JobRecord>, since: number): string[] {
  return ids.filter((id) => {
    const job = byId[id]
    return job !== undefined && job.createdAt >= since
  })
}

/** Waiting jobs for the same door created before this one: the scheduler sends the oldest first (scheduler.ts). */
export function placeInLine(job: JobRecord, byId: Record<string, JobRecord>, now: number): number | null {
  if (job.state !== 'pending' || (job.nextAt !== null && job.nextAt > now)) return null
  let ahead = 0
  for (const other of Object.values(byId))
    if (
      other.id !== job.id &&
      other.state === 'pending' &&
      other.request.provider === job.request.provider &&
      other.createdAt < job.createdAt
    )
      ahead += 1
  return ahead
}

function seconds(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`
}

function ordinal(n: number): string {
  const tens = n % 100
  if (tens >= 11 && tens <= 13) return `${n}th`
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`
}

export interface TakeStatus {
  /** The job state in words ("Generating"). */
  phase: string
  /** 0–1 while the service works on it (from its ETA) or while it is saved; null when nothing moves. */
  progress: number | null
  /** Time left, or when it will be tried again ("~12 s left", "any moment"); null when none is known. */
  eta: string | null
  /** What it waits for, in words ("Waiting for the service's rate limit, ~8 s"); null when it does not wait. */
  wait: string | null
  /** Its place in the app's line or the service's queue ("2nd in line for the Sandbox"); null when not in one. */
  position: string | null
}

/** What a take's card says about where its job is, at `now`. `ahead`: its place in the app's line (placeInLine). */
export function takeStatus(job: JobRecord, now: number, ahead: number | null): TakeStatus {
  const label = providerInfo(job.request.provider).label
  const started = job.submittedAt ?? job.createdAt
  const running = job.state === 'queued' || job.state === 'processing'
  const eta = job.estimatedCompletion
  const progress =
    job.state === 'done'
      ? 1
      : running && eta
        ? Math.min(0.97, Math.max(0, (now - started) / Math.max(1, eta - started)))
        : job.state === 'downloading'
          ? 0.98
          : null
  const waitingUntil = (job.state === 'pending' || job.state === 'download-retry') && job.nextAt && job.nextAt > now
  let wait: string | null = null
  if (waitingUntil && job.nextAt) {
    const left = `~${seconds(job.nextAt - now)}`
    wait =
      job.state === 'download-retry'
        ? `Download tried again in ${left}`
        : job.waitFor === 'rate-limit'
          ? `Waiting for the service's rate limit, ${left}`
          : job.waitFor === 'queue-full'
            ? `${label}'s queue is full; trying again in ${left}`
            : `Trying again in ${left}`
  }
  let position: string | null = null
  if (job.state === 'queued' && job.queuePosition !== null && job.queuePosition !== undefined)
    position = job.queuePosition === 0 ? `Next in ${label}'s queue` : `${job.queuePosition} ahead in ${label}'s queue`
  else if (ahead !== null) position = `${ordinal(ahead + 1)} in line for ${label}`
  return {
    phase: JOB_STATE_LABEL[job.state],
    progress,
    eta: running && eta ? (eta > now ? `~${seconds(eta - now)} left` : 'any moment') : null,
    wait,
    position,
  }
}

const UNIT: Record<CostEstimate['unit'], [string, string]> = {
  credits: ['credit', 'credits'],
  tokens: ['token', 'tokens'],
  seconds: ['second', 'seconds'],
}

function usd(value: number): string {
  return `$${value < 0.01 ? value.toFixed(4) : value.toFixed(2)}`
}

export interface TakeCost {
  /** "≈ 3 credits" before the service says, "3 credits" once it has (or the video is made). */
  amount: string
  /** "≈ $0.42", or null where no USD price is known. */
  usd: string | null
  /** What the service charged (its own figure), rather than the price table's estimate. */
  actual: boolean
}

/**
 * A take's cost in its provider's unit and in USD where known: what the service reported (credits on the job or
 * its library entry) once it did; otherwise the price table's estimate, marked "≈". A failed or cancelled take the
 * service reported no charge for says so rather than showing an estimate it may never have billed (the guide: a
 * failed generation is not billed).
 */
export function takeCost(job: JobRecord, entry: LibraryEntry | null): TakeCost {
  const r = job.request
  const estimate = estimateCost(r.provider, modelFor(r.provider, r.model), {
    duration: r.duration,
    resolution: r.resolution,
    aspectRatio: r.aspectRatio,
    audio: r.audio ?? null,
  })
  const reported = estimate.unit === 'credits' ? (job.credits ?? entry?.credits ?? null) : null
  if (reported === null && (job.state === 'failed' || job.state === 'cancelled'))
    return { amount: 'no charge reported', usd: null, actual: false }
  const amount = reported ?? estimate.amount
  const [one, many] = UNIT[estimate.unit]
  const rate = estimate.usd === null || estimate.amount === 0 ? null : estimate.usd / estimate.amount
  const mark = reported === null ? '≈ ' : ''
  return {
    amount: `${mark}${amount.toLocaleString('en')} ${amount === 1 ? one : many}`,
    usd: rate === null ? null : `${mark}${usd(amount * rate)}`,
    actual: reported !== null,
  }
}

/** A label for a take in the compare view: what varies between takes of one session is usually seed or model. */
export function takeLabel(job: JobRecord, index: number): string {
  const seed = job.output?.seed ?? job.request.seed
  return `Take ${index}${seed !== null && seed !== undefined ? ` · seed ${seed}` : ''}`
}

/** Nothing more happens to the take by itself. */
export const isSettled = (job: JobRecord): boolean => FINAL_STATES.has(job.state)
