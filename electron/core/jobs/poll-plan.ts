// When to ask a service about a job it gave no completion time for (issue 10, point 9). Ark, fal and Replicate say
// nothing of when a video will be ready; polling them on a fixed backoff either asks too often or sees a finished
// video late (a 30 s job polled at 5, 12.5, 23.75, 40.6 s is seen 35% late). Instead the engine learns how long each
// door and model takes from the jobs it has seen finish, and expects a new job at its start plus that time. Its start
// is now, or, where the service queues past its running limit (Ark's 10, fal's 2), when the runner it waits for
// frees: the same first-free-runner rule the services document. Polls of a door that answers for several jobs at
// once (the guide's list, Ark's filter.task_ids, Replicate's list) are lined up, so one request sees a whole wave.
import { open, readFile, rename, rm } from 'node:fs/promises'
import type { GenerationRequest, JobRecord } from '../../shared/model'
import { providerInfo } from '../../shared/providers'

/** Samples kept per key: enough for a steady median, few enough to follow a service that speeds up or slows down. */
const SAMPLES = 9
/** A sample outside this range is not a generation time (a clock jump, a job found days later). */
const MIN_SAMPLE_MS = 1000
const MAX_SAMPLE_MS = 6 * 3600_000
const FORMAT = 1

type Request = Pick<GenerationRequest, 'provider' | 'model' | 'resolution' | 'duration'>

const exactKey = (r: Request) => `${r.provider}|${r.model}|${r.resolution}|${r.duration}`
/** Per second of video, for a duration or size not seen yet on the same model. */
const modelKey = (r: Request) => `${r.provider}|${r.model}|${r.resolution}|per-second`

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}

/**
 * How long a door and model take to make a video, learned from finished jobs and kept in the data folder, so the
 * next session starts knowing. The file is a cache: unreadable or missing, it starts empty; written atomically.
 */
export class GenerationTimes {
  private readonly samples = new Map<string, number[]>()
  private saving: Promise<void> = Promise.resolve()

  private constructor(private readonly file: string | null) {}

  /** Learned for this session only (tests, tools). */
  static inMemory(): GenerationTimes {
    return new GenerationTimes(null)
  }

  static async open(file: string | null): Promise<GenerationTimes> {
    const times = new GenerationTimes(file)
    if (!file) return times
    try {
      const data = JSON.parse(await readFile(file, 'utf8')) as { format?: unknown; samples?: unknown }
      if (data.format === FORMAT && data.samples && typeof data.samples === 'object')
        for (const [key, list] of Object.entries(data.samples as Record<string, unknown>)) {
          const valid = Array.isArray(list)
            ? list.filter((n): n is number => typeof n === 'number' && n >= 0 && n <= MAX_SAMPLE_MS)
            : []
          if (valid.length) times.samples.set(key, valid.slice(-SAMPLES))
        }
    } catch {
      // Missing or damaged: learned again from the next jobs.
    }
    return times
  }

  /** The expected generation time (ms), or null when nothing like it has been seen finishing. */
  expectedMs(r: Request): number | null {
    const exact = this.samples.get(exactKey(r))
    if (exact?.length) return median(exact)
    const perSecond = this.samples.get(modelKey(r))
    return perSecond?.length ? median(perSecond) * r.duration : null
  }

  learn(r: Request, ms: number): void {
    if (!(ms >= MIN_SAMPLE_MS && ms <= MAX_SAMPLE_MS)) return
    this.push(exactKey(r), ms)
    if (r.duration > 0) this.push(modelKey(r), ms / r.duration)
    this.saving = this.saving.then(() => this.save()).catch(() => undefined)
  }

  /** Waits for the last save (tests, close). */
  flushed(): Promise<void> {
    return this.saving
  }

  private push(key: string, value: number): void {
    const list = this.samples.get(key) ?? []
    list.push(value)
    this.samples.set(key, list.slice(-SAMPLES))
  }

  private async save(): Promise<void> {
    if (!this.file) return
    const part = `${this.file}.part`
    const handle = await open(part, 'w')
    try {
      await handle.writeFile(JSON.stringify({ format: FORMAT, samples: Object.fromEntries(this.samples) }))
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(part, this.file).catch(async (error) => {
      await rm(part, { force: true })
      throw error
    })
  }
}

/** A job of ours at the same door, as far as the plan needs it. */
export type Ahead = Pick<JobRecord, 'estimatedCompletion' | 'submittedAt'>

/**
 * Whether a job just sent runs at once: always where the door refuses past its running limit or has none; where it
 * queues, only while our own jobs out there leave a runner free. Only such a job's time is a generation time to
 * learn (a queued one's includes its wait: a cold batch of 12 at fal's 2 runners taught 130 s for a 30 s video).
 */
export function startsAtOnce(request: Request, ahead: readonly Ahead[]): boolean {
  const { concurrency, overConcurrency } = providerInfo(request.provider).rate
  return overConcurrency !== 'queue' || concurrency === null || ahead.length < concurrency
}

/**
 * When a job just sent should start running: now, unless the door queues past a running limit that our own earlier
 * jobs fill; then when the runner it waits for frees (first free runner, first served), by their expected ends.
 */
export function expectedStart(request: Request, now: number, ahead: readonly Ahead[]): number {
  const { concurrency } = providerInfo(request.provider).rate
  if (startsAtOnce(request, ahead) || concurrency === null) return now
  const ends = ahead.map((j) => j.estimatedCompletion ?? Number.NaN)
  if (ends.some(Number.isNaN)) return now // one of them has no expectation: nothing to build on
  const sorted = ends.sort((a, b) => a - b)
  // With n jobs ahead and c runners, the new job takes the runner freed by the (n − c + 1)-th earliest end.
  return Math.max(now, sorted[ahead.length - concurrency] as number)
}

/** How long after the expected end a job still running is asked about again: a twentieth of its time, ≥ 1 s. */
export function overdueInterval(expectedMs: number): number {
  return Math.max(1000, Math.round(expectedMs / 20))
}

/**
 * Line a poll up with the door's others (for doors that answer for several jobs in one request): a job due at `at`
 * waits for a poll already planned at most `window` later, so one request sees both. Never earlier than `at`.
 */
export function alignedPollAt(at: number, planned: readonly number[], window: number): number {
  let best = Number.POSITIVE_INFINITY
  for (const t of planned) if (t >= at && t <= at + window && t < best) best = t
  return Number.isFinite(best) ? best : at
}

/**
 * How far a poll may wait to join another: a thirtieth of the generation time (a 30 s video seen at most 1 s late,
 * a batch's makespan at most 3% longer), within 250 ms – 2 s.
 */
export function alignWindow(expectedMs: number | null): number {
  return expectedMs === null ? 250 : Math.min(2000, Math.max(250, Math.round(expectedMs / 30)))
}
