// When to ask a service about a job it gave no completion time for (issue 10, point 9). Ark, fal and Replicate say
// nothing of when a video will be ready; polling them on a fixed backoff either asks too often or sees a finished
// video late (a 30 s job polled at 5, 12.5, 23.75, 40.6 s is seen 35% late). Instead the engine learns how long each
// door and model takes from the jobs it has seen finish, and expects a new job at its start plus that time. Its start
// is now, or, where the service queues past its running limit (Ark's 10, fal's 2), when the runner it waits for
// frees: the same first-free-runner rule the services document. Polls of a door that answers for several jobs at
// once (the guide's list, Ark's filter.task_ids, Replicate's list) are lined up, so one request sees a whole wave.
import { open, readFile, rename, rm } from 'node:fs/promises'
import type { GenerationRequest, JobRecord } from '../../shared/model'
import { type ProviderId, providerInfo } from '../../shared/providers'

/** Samples kept per key: enough for a steady median, few enough to follow a service that speeds up or slows down. */
const SAMPLES = 9
/** A sample outside this range is not a generation time (a clock jump, a job found days later). */
const MIN_SAMPLE_MS = 1000
const MAX_SAMPLE_MS = 6 * 3600_000
const FORMAT = 1

type Request = Pick<GenerationRequest, 'provider' | 'model' | 'resolution' | 'duration'>

/** A pick-up longer than this is a job found late, not a door's pick-up. */
const MAX_PICK_UP_MS = 10 * 60_000

const pickUpKey = (provider: ProviderId) => `${provider}|pick-up`
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
            ? list.filter(
                (n): n is number =>
                  typeof n === 'number' && n >= 0 && n <= (key.endsWith('|pick-up') ? MAX_PICK_UP_MS : MAX_SAMPLE_MS),
              )
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

  /**
   * How long a job holds a runner it is handed when another job frees it (a job queued behind ours): the expected
   * time less the door's pick-up, which only a job arriving at an idle runner waits (the Sandbox's model: fal's
   * inference_time starts when the runner takes the job). Where the door's pick-up is per job after all, a queued job
   * planned this way is looked at once early, never later and later: each wave is planned from the runner seen free.
   */
  heldMs(r: Request): number | null {
    const expected = this.expectedMs(r)
    return expected === null ? null : Math.max(0, expected - this.pickUpMs(r.provider))
  }

  /** A job's generation time, and where it was measured against a run time the service reported, the door's pick-up. */
  learn(r: Request, ms: number, pickUpMs: number | null = null): void {
    if (!(ms >= MIN_SAMPLE_MS && ms <= MAX_SAMPLE_MS)) return
    if (pickUpMs !== null && pickUpMs >= 0 && pickUpMs <= MAX_PICK_UP_MS) this.push(pickUpKey(r.provider), pickUpMs)
    this.push(exactKey(r), ms)
    if (r.duration > 0) this.push(modelKey(r), ms / r.duration)
    this.saving = this.saving.then(() => this.save()).catch(() => undefined)
  }

  /**
   * A door's pick-up: what its jobs take beyond the run time it reports (fal's inference_time leaves out the moment
   * a runner takes the job), learned from jobs that ran at once and were seen finishing within a short look; 0 until
   * then. Added to a reported run time, it gives the time a job holds a runner, which a queued job behind it waits.
   */
  pickUpMs(provider: ProviderId): number {
    const list = this.samples.get(pickUpKey(provider))
    return list?.length ? median(list) : 0
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

/** A job's new plan: the runner it got now (else null), its new expected end (else null: unchanged). */
export interface Replanned {
  eta: number | null
  runnerSince: number | null
}

/** One of our jobs out at a door that queues past its running limit, as the re-plan needs it. */
export interface OutJob {
  id: string
  /** When it was sent: the service runs its queue in this order. */
  submittedAt: number
  /** Its expected end as planned, or null. */
  eta: number | null
  /** When it got a runner, as far as the engine knows (sent to a free one, or seen running), else null. */
  runnerSince: number | null
  /** How long it holds a runner once it has one (learned: GenerationTimes.heldMs), or null when nothing is known. */
  expectedMs: number | null
}

/**
 * Where a door queues past a running limit (fal's 2, Ark's 10), the plan of our jobs still out there once one of
 * them has left a runner (seen finished, failed or cancelled): the jobs with no runner, in the order sent, each take
 * the first runner to free up: now while fewer than the limit run, else the earliest expected end of those ahead.
 * Planned at submission, the queued jobs' ends were sums of expectations and drifted by every wave's error (fal's
 * inference_time leaves out its pick-up: 1 s a wave, so a sixth wave was looked at 5 s early, four polls in vain);
 * planned from the runner just seen free, each wave is within one look of its end. A job that has a runner keeps
 * its start. `freedAt` (≤ now): when the runner freed, as best known. Returns the jobs whose runner or expected end
 * changes: a job given a runner whenever its end moves by 50 ms, one still waiting only by a look's worth.
 */
export function replanQueue(
  out: readonly OutJob[],
  concurrency: number,
  now: number,
  freedAt = now,
): Map<string, Replanned> {
  const order = [...out].sort((a, b) => a.submittedAt - b.submittedAt)
  const changed = new Map<string, Replanned>()
  // When each runner frees: the expected ends of the jobs holding one (an overdue job frees it any moment now).
  const frees: number[] = []
  for (const j of order)
    if (j.runnerSince !== null) {
      const end = j.eta ?? (j.expectedMs === null ? Number.NaN : j.runnerSince + j.expectedMs)
      frees.push(Number.isNaN(end) ? Number.POSITIVE_INFINITY : Math.max(now, end))
    }
  // More of our jobs claim a runner than the door runs (jobs an earlier session sent are taken as running): which of
  // them really run is unknown, so a plan would guess. Every job stays as it was planned.
  if (frees.length > concurrency) return changed
  let free = concurrency - frees.length
  for (const j of order) {
    if (j.runnerSince !== null) continue
    let start: number
    let runnerSince: number | null = null
    if (free > 0) {
      free -= 1
      start = freedAt
      runnerSince = freedAt
    } else {
      frees.sort((a, b) => a - b)
      start = frees.shift() ?? Number.POSITIVE_INFINITY
    }
    // Nothing known of this one (or of a job ahead): its end, and every later start, stay unknown.
    const eta = j.expectedMs === null || !Number.isFinite(start) ? null : start + j.expectedMs
    frees.push(eta ?? Number.POSITIVE_INFINITY)
    // A job that keeps waiting is moved only by a look's worth (a twentieth of its time, ≥ 1 s): it is planned
    // again when it takes a runner, and each move is a journal write.
    const enough = runnerSince !== null ? 50 : overdueInterval(j.expectedMs ?? 0)
    const moved = eta !== null && (j.eta === null || Math.abs(eta - j.eta) >= enough)
    if (runnerSince !== null || moved) changed.set(j.id, { eta: moved ? eta : null, runnerSince })
  }
  return changed
}
