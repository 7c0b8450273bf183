// The job manager: submits generation requests, keeps at most N jobs active at the service and stays
// under its request rate, polls as the guide advises (several active jobs are checked together through
// the list endpoint), downloads every finished video at once, and resumes everything after a restart.
// Every transition is journaled (and fsynced) before the engine acts on it, and logged with the job id.
import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { BUSY_STATES, TIMED_STATES } from '../../shared/job-states'
import type { GenerationRequest, JobError, JobRecord, JobService } from '../../shared/model'
import { fingerprint } from '../library/fingerprint'
import type { Library } from '../library/library'
import { videoBaseName } from '../library/naming'
import { ApiError } from '../providers/errors'
import type { SeedanceClient } from '../providers/seedance/client'
import type { Job } from '../providers/seedance/wire-types'
import type { Logger } from '../util/logger'
import {
  ACTIVE_STATES,
  FINAL_STATES,
  firstPollAt,
  GROUP_WINDOW_MS,
  matchLostSubmission,
  nextInterval,
  serviceMatch,
  waitingNote,
} from './job-policy'
import type { Journal } from './journal'
import { decideSubmission, type SubmitDecision, type SubmitOutcome } from './submit-rule'
import { VideoDownloads } from './video-downloads'

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

export interface JobManagerOptions {
  journal: Journal
  jobs: JobRecord[]
  client: () => SeedanceClient
  library: Library
  provider: () => 'sandbox' | 'cloud'
  settings: () => { maxConcurrentJobs: number; retryFailedOnce: boolean }
  logger: Logger
  clock?: Clock
  fetch?: typeof fetch
  downloadStallMs?: number
}

export interface PauseReason {
  code: string
  message: string
}

type Listener = (job: JobRecord) => void

const CODES_THAT_PAUSE = new Set(['INVALID_API_KEY', 'INSUFFICIENT_CREDITS'])

/** A held job's note (job-policy.ts waitingNote): cleared once its service is connected again. */
const WAITING_NOTE = /^Waiting for (Seedance Cloud|the Sandbox|the service this job was sent to)\b/

/** A finished video the service made (and was paid for): it is downloaded again, never generated again. */
function hasPaidVideo(job: JobRecord): job is JobRecord & { output: NonNullable<JobRecord['output']> } {
  return job.output !== null && job.remoteId !== null && job.error?.code !== 'JOB_FAILED'
}

function codedError(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code })
}

export class JobManager {
  private readonly jobs = new Map<string, JobRecord>()
  private readonly pollIntervals = new Map<string, number>()
  private readonly reconcileTries = new Map<string, number>()
  /** Jobs of an older journal (service not recorded) that the connected service does not know: held. */
  private readonly missedUnknown = new Set<string>()
  private readonly listeners = new Set<Listener>()
  private readonly removalListeners = new Set<(id: string) => void>()
  private readonly clock: Clock
  private timer: unknown = null
  private ticking = false
  private again = false
  private stopped = false
  private pausedFor: PauseReason | null = null
  /** While above 0, pending jobs wait (the library folder is changing); unlike a pause, nothing to tell the user. */
  private holds = 0
  private writes: Promise<void> = Promise.resolve()

  private readonly saving: VideoDownloads

  constructor(private readonly o: JobManagerOptions) {
    this.clock = o.clock ?? { ...systemClock }
    for (const job of o.jobs) this.jobs.set(job.id, job)
    this.saving = new VideoDownloads({
      clock: this.clock,
      client: () => this.o.client(),
      library: () => this.o.library,
      logger: o.logger,
      fetch: o.fetch,
      stallMs: o.downloadStallMs,
      require: (id) => this.require(id),
      get: (id) => this.jobs.get(id),
      holdNote: (job) => this.holdNote(job),
      missed: (job) => this.missed(job),
      transition: (job, patch) => this.transition(job, patch),
      fail: (job, error, videoId) => this.fail(job, error, videoId),
      stopped: () => this.stopped,
    })
  }

  // --- public surface -------------------------------------------------------------------------------

  onChange(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  list(): JobRecord[] {
    return [...this.jobs.values()].sort((a, b) => b.createdAt - a.createdAt)
  }

  get(id: string): JobRecord | undefined {
    return this.jobs.get(id)
  }

  get paused(): PauseReason | null {
    return this.pausedFor
  }

  /** Pick up every unfinished job after a start: a submission cut off mid-flight is reconciled, not re-sent. */
  async start(): Promise<void> {
    const now = this.clock.now()
    for (const job of this.jobs.values()) {
      if (job.state === 'submitting') {
        await this.transition(job, {
          state: 'outcome-unknown',
          nextAt: now,
          note: 'The app stopped while submitting; checking whether the job was created.',
        })
      } else if (job.state === 'queued' || job.state === 'processing') {
        await this.transition(job, { nextAt: now })
      } else if (job.state === 'downloading') {
        this.saving.start(job)
      }
      // download-retry keeps its journaled time: the loop starts the download when it is due.
    }
    this.wake()
  }

  /**
   * The one rule for a new request, used by the app and the CLI alike (issue 9: paid twice): the same
   * request still in flight is joined, a paid video not yet saved is fetched again, a video already in the
   * library is offered (unless forced), and only otherwise is a new job queued. Synchronous up to the
   * queueing, so two identical requests arriving together still make one job.
   */
  /** What submitOrJoin would do with a request, without doing it (a batch preview asks this). */
  decide(request: GenerationRequest, options: { force?: boolean } = {}): SubmitDecision {
    return decideSubmission(fingerprint(request), this.jobs.values(), this.o.library, {
      force: options.force ?? false,
      now: this.clock.now(),
    })
  }

  async submitOrJoin(
    request: GenerationRequest,
    options: { force?: boolean; batch?: JobRecord['batch'] } = {},
  ): Promise<SubmitOutcome> {
    const decision = this.decide(request, options)
    if (decision.kind === 'exists') return decision
    if (decision.kind === 'joined') {
      // Asked again for a paid video not yet saved: download it now rather than at the next scheduled try.
      const waiting = decision.refetch || decision.job.state === 'download-retry'
      const job = waiting ? await this.retry(decision.job.id) : decision.job
      this.o.logger.info(`job ${job.id} joined by an identical request`, { refetch: decision.refetch })
      return { kind: 'joined', job, refetch: decision.refetch }
    }
    return { kind: 'new', job: await this.submit(request, options.batch ?? null) }
  }

  async submit(request: GenerationRequest, batch: JobRecord['batch'] = null): Promise<JobRecord> {
    const now = this.clock.now()
    const job: JobRecord = {
      id: randomUUID(),
      request,
      fingerprint: fingerprint(request),
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
      batch,
    }
    this.jobs.set(job.id, job)
    await this.persist(job, 'created')
    this.wake()
    return job
  }

  /** Stop tracking a job. The API has no cancel: a job already submitted may still finish and use credits. */
  async cancel(id: string): Promise<JobRecord> {
    const job = this.require(id)
    if (FINAL_STATES.has(job.state)) return job
    this.saving.abort(id)
    const submitted = job.remoteId !== null || job.state === 'outcome-unknown' || job.state === 'submitting'
    return this.transition(job, {
      state: 'cancelled',
      nextAt: null,
      note: hasPaidVideo(job)
        ? 'Download stopped. The video is paid for: "Download again" fetches it while the service keeps it, without paying again.'
        : submitted
          ? 'Stopped tracking. The service has no cancel, so the job may still finish there and use its credits.'
          : 'Cancelled before it was sent; no credits were used.',
    })
  }

  /** Remove a finished job from the queue (its video stays in the library). Returns false for a job still running. */
  async remove(id: string): Promise<boolean> {
    const job = this.jobs.get(id)
    if (!job || !FINAL_STATES.has(job.state)) return false
    this.jobs.delete(id)
    const write = this.writes.then(() => this.o.journal.writeRemoval(id))
    this.writes = write.catch(() => undefined)
    await write
    this.o.logger.info(`job ${id} removed from the queue`)
    for (const l of this.removalListeners) l(id)
    return true
  }

  onRemove(listener: (id: string) => void): () => void {
    this.removalListeners.add(listener)
    return () => this.removalListeners.delete(listener)
  }

  /**
   * Try a failed or cancelled job again without paying twice: a paid video still at the service is downloaded
   * again (whatever ended the job: a failure or a stopped download); a cancelled job the service already has is
   * tracked again; only a job that has nothing at the service is submitted again.
   */
  async retry(id: string): Promise<JobRecord> {
    const job = this.require(id)
    if (job.state === 'download-retry') {
      const next = await this.transition(job, { state: 'downloading', nextAt: null, note: 'Downloading again.' })
      this.saving.start(next)
      return next
    }
    if (!FINAL_STATES.has(job.state) || job.state === 'done') return job
    if (hasPaidVideo(job)) return this.downloadAgain(job)
    const next = await this.transition(
      job,
      job.state === 'cancelled' && job.remoteId !== null
        ? {
            // Cancelled while the service worked on it: the job is still there (and paid): follow it again.
            state: 'queued',
            error: null,
            nextAt: this.clock.now(),
            note: 'Following the job at the service again; nothing is paid again.',
          }
        : {
            state: 'pending',
            error: null,
            remoteId: null,
            output: null,
            estimatedCompletion: null,
            attempts: 0,
            note: null,
            nextAt: null,
          },
    )
    this.wake()
    return next
  }

  /** Download a paid video again from its service; nothing is generated (or paid for) again. */
  private async downloadAgain(job: JobRecord & { output: NonNullable<JobRecord['output']> }): Promise<JobRecord> {
    const next = await this.transition(job, {
      state: 'downloading',
      error: null,
      nextAt: null,
      note: 'Downloading again.',
      // The user asks again: a link the service called gone is asked for once more.
      output: { ...job.output, gone: false },
    })
    this.saving.start(next)
    this.wake()
    return next
  }

  /**
   * "Download again" (the library's detail panel, `seedance library fetch`): fetch a paid video that is not
   * in the library, by its job or library id. The service decides whether it still has it; nothing is
   * generated (or paid for) again. Resolves to the job doing the download.
   */
  async fetchAgain(id: string): Promise<JobRecord> {
    const job = this.jobs.get(id)
    const entry = this.o.library.get(id) ?? this.o.library.get(job?.videoId ?? '')
    if (entry && !entry.expired) throw codedError('ALREADY_SAVED', 'This video is already in the library.')
    if (job && !FINAL_STATES.has(job.state)) return job.state === 'download-retry' ? this.retry(id) : job
    if (job && hasPaidVideo(job)) return this.downloadAgain(job)
    if (!entry) throw codedError('NOT_FOUND', `There is no video or job ${id}.`)
    if (!entry.remoteId) throw codedError('NOT_FETCHABLE', 'This video has no job at the service to download it from.')
    // The job left the queue (removed): rebuild it from the library entry, which keeps what it needs.
    const now = this.clock.now()
    const request: GenerationRequest = {
      provider: 'seedance',
      model: 'standard',
      mode: entry.mode,
      prompt: entry.prompt,
      duration: entry.duration,
      resolution: entry.resolution,
      aspectRatio: entry.aspectRatio,
      style: entry.style,
      motionIntensity: entry.motionIntensity,
      image: null,
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
      // The library does not record the service; the user asks the one connected now, explicitly.
      service: this.currentService(),
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
    this.jobs.set(record.id, record)
    await this.persist(record, 'fetching its video again')
    this.saving.start(record)
    return record
  }

  /**
   * Account sync: finished jobs in the account that this journal does not know (made on the web or on
   * another machine) are imported into the library while their links are still valid.
   */
  async importFromAccount(): Promise<{ found: number; imported: number }> {
    const client = this.o.client()
    const remote: Job[] = []
    for (let offset = 0; ; ) {
      const page = await client.listJobs({ status: 'completed', limit: 100, offset })
      remote.push(...page.jobs)
      if (!page.has_more || page.jobs.length === 0) break
      offset += page.jobs.length
    }
    const known = new Set<string>()
    for (const j of this.jobs.values()) if (j.remoteId) known.add(j.remoteId)
    for (const e of this.o.library.all()) if (e.remoteId) known.add(e.remoteId)
    let imported = 0
    for (const r of remote) {
      if (known.has(r.job_id) || !r.output) continue
      const now = this.clock.now()
      const request: GenerationRequest = {
        provider: 'seedance',
        model: 'standard',
        mode: r.mode === 'image-to-video' ? 'image' : 'text',
        prompt: r.prompt ?? '',
        duration: r.duration ?? r.output.duration ?? 0,
        resolution: (r.resolution ?? r.output.resolution ?? '1080p') as GenerationRequest['resolution'],
        aspectRatio: (r.aspect_ratio ?? null) as GenerationRequest['aspectRatio'],
        style: r.style ?? null,
        motionIntensity: r.motion_intensity ?? null,
        image: null,
      }
      const created = r.created_at ? Date.parse(r.created_at) : now
      const job: JobRecord = {
        id: randomUUID(),
        request,
        fingerprint: fingerprint(request),
        state: 'queued',
        createdAt: created,
        updatedAt: now,
        submittedAt: created,
        remoteId: r.job_id,
        service: this.currentService(),
        estimatedCompletion: null,
        completedAt: null,
        attempts: 1,
        credits: r.credits_used ?? null,
        error: null,
        note: 'Imported from your account.',
        nextAt: null,
        output: null,
        videoId: null,
        batch: null,
      }
      this.jobs.set(job.id, job)
      await this.persist(job, 'imported from the account')
      await this.apply(job, r)
      imported += 1
    }
    return { found: remote.length, imported }
  }

  /** Continue after a pause (a rejected key or no credits), once the user has fixed it. */
  resume(): void {
    this.pausedFor = null
    this.wake()
  }

  /**
   * Resolves when every job is finished (or `settled`, e.g. a CLI that stops waiting for a download retry),
   * or the queue pauses (returning why).
   */
  whenIdle(
    filter: (job: JobRecord) => boolean = () => true,
    settled: (job: JobRecord) => boolean = (j) => FINAL_STATES.has(j.state),
  ): Promise<PauseReason | null> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.pausedFor) return done(this.pausedFor)
        if ([...this.jobs.values()].filter(filter).every(settled)) done(null)
      }
      const done = (value: PauseReason | null) => {
        off()
        resolve(value)
      }
      const off = this.onChange(check)
      queueMicrotask(check)
    })
  }

  /** Stop: timers cleared, downloads aborted (they resume on the next start), the journal left consistent. */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) this.clock.clearTimeout(this.timer)
    await this.saving.stop()
    await this.writes
  }

  // --- the loop ---------------------------------------------------------------------------------------

  private wake(): void {
    if (this.stopped) return
    if (this.timer) this.clock.clearTimeout(this.timer)
    this.timer = this.clock.setTimeout(() => void this.tick(), 0)
  }

  private async tick(): Promise<void> {
    if (this.ticking) {
      this.again = true
      return
    }
    this.ticking = true
    try {
      do {
        this.again = false
        await this.noteHeld()
        await this.submitDue()
        await this.reconcileDue()
        await this.pollDue()
        await this.saving.startDue(this.jobs.values())
      } while (this.again && !this.stopped)
    } catch (error) {
      this.o.logger.error('job loop error', { error: String((error as Error)?.stack ?? error) })
    } finally {
      this.ticking = false
      this.scheduleNext()
    }
  }

  private scheduleNext(): void {
    if (this.stopped) return
    const now = this.clock.now()
    let next = Number.POSITIVE_INFINITY
    for (const j of this.jobs.values()) {
      if (
        j.state === 'pending' &&
        (this.pausedFor || this.holds > 0 || this.activeCount() >= this.o.settings().maxConcurrentJobs)
      )
        continue
      if (TIMED_STATES.has(j.state) && !this.holdNote(j)) next = Math.min(next, j.nextAt ?? now)
    }
    if (this.timer) this.clock.clearTimeout(this.timer)
    this.timer = Number.isFinite(next) ? this.clock.setTimeout(() => void this.tick(), Math.max(0, next - now)) : null
  }

  /** Jobs sent (or being sent) to the service and not finished: they will still save into the library. */
  inFlightCount(): number {
    let n = 0
    for (const j of this.jobs.values()) if (j.state !== 'pending' && !FINAL_STATES.has(j.state)) n += 1
    return n
  }

  /** Keep pending jobs from being sent until the returned release is called (called once; holds nest). */
  holdSubmissions(): () => void {
    this.holds += 1
    let released = false
    return () => {
      if (released) return
      released = true
      this.holds -= 1
      this.wake()
    }
  }

  /** Save videos into another library from now on (the engine swaps it when the library folder changes). */
  switchLibrary(library: Library): void {
    if (this.saving.busy) throw new Error('A download is in progress; the library cannot change now.')
    this.o.library = library
  }

  /**
   * Unfinished jobs at the service connected now (held jobs of another service excluded: switching to theirs is
   * what they wait for). While there is one, the engine does not switch services (shared/job-states.ts BUSY).
   */
  busyCount(): number {
    let n = 0
    for (const j of this.jobs.values()) if (BUSY_STATES.has(j.state) && !this.holdNote(j)) n += 1
    return n
  }

  /** What a job waits for while the engine is connected to another service than its own; null when not held. */
  waitingFor(job: JobRecord): string | null {
    return this.holdNote(job)
  }

  /** The service the engine is connected to now. */
  private currentService(): JobService {
    return { kind: this.o.provider(), origin: new URL(this.o.client().baseUrl).origin }
  }

  /**
   * Why a job must wait instead of being asked at the connected service (round-2 review: a Cloud job polled on
   * the Sandbox was resubmitted or called expired), or null. Jobs not sent yet go to whichever is connected.
   */
  private holdNote(job: JobRecord): string | null {
    if (job.state === 'pending' || job.state === 'submitting' || FINAL_STATES.has(job.state)) return null
    const current = this.currentService()
    const match = serviceMatch(job, current)
    if (match === 'other' || (match === 'unknown' && this.missedUnknown.has(job.id))) return waitingNote(job, current)
    return null
  }

  /** An older journal's job (service unknown) that the connected service does not know: held, never given up. */
  private missed(job: JobRecord): string | null {
    if (serviceMatch(job, this.currentService()) !== 'unknown') return null
    this.missedUnknown.add(job.id)
    return waitingNote(job, this.currentService())
  }

  /** Show on each held job what it waits for, and clear that once its service is connected again. */
  private async noteHeld(): Promise<void> {
    for (const j of [...this.jobs.values()]) {
      if (!BUSY_STATES.has(j.state)) continue
      const hold = this.holdNote(j)
      if (hold !== null && j.note !== hold) await this.transition(j, { note: hold })
      else if (hold === null && j.note !== null && WAITING_NOTE.test(j.note)) await this.transition(j, { note: null })
    }
  }

  /** Jobs holding one of the service's concurrent-job slots. */
  activeCount(): number {
    let n = 0
    for (const j of this.jobs.values()) if (ACTIVE_STATES.has(j.state)) n += 1
    return n
  }

  private async submitDue(): Promise<void> {
    for (;;) {
      if (this.pausedFor || this.holds > 0 || this.stopped || this.activeCount() >= this.o.settings().maxConcurrentJobs)
        return
      const now = this.clock.now()
      const next = [...this.jobs.values()]
        .filter((j) => j.state === 'pending' && (j.nextAt ?? 0) <= now)
        .sort((a, b) => a.createdAt - b.createdAt)[0]
      if (!next) return
      await this.submitOne(next)
    }
  }

  private async submitOne(job: JobRecord): Promise<void> {
    const r = job.request
    // Journal before the POST: after a crash we know a request may have gone out.
    await this.transition(job, {
      state: 'submitting',
      submittedAt: this.clock.now(),
      // Journaled before the POST with the job: it is polled, refreshed and downloaded only there.
      service: this.currentService(),
      attempts: job.attempts + 1,
      note: null,
      nextAt: null,
    })
    try {
      const client = this.o.client()
      const common = {
        prompt: r.prompt,
        duration: r.duration,
        resolution: r.resolution as '720p' | '1080p',
        ...(r.aspectRatio ? { aspect_ratio: r.aspectRatio as '16:9' | '9:16' | '1:1' } : {}),
        ...(r.style ? { style: r.style } : {}),
      }
      const answer =
        r.mode === 'image' && r.imageUrl
          ? await client.generateImageToVideo({
              ...common,
              image_url: r.imageUrl,
              motion_intensity: r.motionIntensity ?? 0.5,
            })
          : r.mode === 'image' && r.image
            ? await client.generateImageToVideo({
                ...common,
                image_base64: (await readFile(r.image.path)).toString('base64'),
                motion_intensity: r.motionIntensity ?? 0.5,
              })
            : await client.generateTextToVideo(common)
      const now = this.clock.now()
      const eta = answer.estimated_completion ? Date.parse(answer.estimated_completion) : null
      await this.transition(job, {
        state: answer.status === 'processing' ? 'processing' : 'queued',
        remoteId: answer.job_id,
        estimatedCompletion: eta,
        credits: answer.credits_used ?? null,
        nextAt: firstPollAt(now, eta),
      })
    } catch (error) {
      await this.submissionFailed(job, error)
    }
  }

  private async submissionFailed(stale: JobRecord, error: unknown): Promise<void> {
    const job = this.require(stale.id) // the record as journaled just before the POST (attempts counted)
    const now = this.clock.now()
    const e = error instanceof ApiError ? error : new ApiError({ code: 'INTERNAL_ERROR', message: String(error) })
    if (e.outcomeUnknown) {
      await this.transition(job, {
        state: 'outcome-unknown',
        nextAt: now + 2000,
        note: 'No answer to the submission; checking whether the job was created.',
      })
      return
    }
    if (CODES_THAT_PAUSE.has(e.code)) {
      this.pausedFor = { code: e.code, message: e.message }
      this.o.logger.warn('queue paused', { job: job.id, code: e.code })
      await this.transition(job, {
        state: 'pending',
        attempts: job.attempts - 1,
        note: e.message,
        error: { code: e.code, message: e.message },
      })
      return
    }
    if (e.retryable) {
      const wait = e.retryAfter !== null ? e.retryAfter * 1000 : 10_000
      await this.transition(job, {
        state: 'pending',
        attempts: job.attempts - 1,
        nextAt: now + wait,
        error: null,
        note: e.code === 'RATE_LIMIT_EXCEEDED' ? 'Waiting for the rate limit.' : `Retrying: ${e.message}`,
      })
      return
    }
    await this.fail(job, { code: e.code, message: e.message })
  }

  private due(states: string[]): JobRecord[] {
    const now = this.clock.now()
    return [...this.jobs.values()].filter(
      (j) => states.includes(j.state) && (j.nextAt ?? 0) <= now + GROUP_WINDOW_MS && !this.holdNote(j),
    )
  }

  private async pollDue(): Promise<void> {
    const due = this.due(['queued', 'processing'])
    if (due.length === 0 || this.stopped) return
    const client = this.o.client()
    const found = new Map<string, Job>()
    try {
      if (due.length > 1) {
        // Several jobs at once: one list request instead of one request each.
        const page = await client.listJobs({ limit: Math.min(100, Math.max(20, due.length * 2)) })
        for (const j of page.jobs) found.set(j.job_id, j)
      }
      for (const job of due) {
        if (!found.has(job.remoteId ?? '')) found.set(job.remoteId ?? '', await client.getJob(job.remoteId ?? ''))
      }
    } catch (error) {
      const e = error instanceof ApiError ? error : null
      if (e?.code === 'JOB_NOT_FOUND') {
        for (const job of due) if (!found.has(job.remoteId ?? '')) await this.remoteLost(job)
      } else {
        this.o.logger.warn('poll failed', { jobs: due.map((j) => j.id), error: String(error) })
        const wait = e?.retryAfter ? e.retryAfter * 1000 : 10_000
        for (const job of due)
          if (!found.has(job.remoteId ?? '')) await this.transition(job, { nextAt: this.clock.now() + wait })
      }
    }
    for (const job of due) {
      const remote = found.get(job.remoteId ?? '')
      if (remote && this.jobs.get(job.id)?.state === job.state) await this.apply(job, remote)
    }
  }

  private async remoteLost(job: JobRecord): Promise<void> {
    const missed = this.missed(job)
    if (missed) {
      // An older journal's job: perhaps another service's. Never resubmitted nor failed on this answer.
      await this.transition(job, { note: missed })
      return
    }
    if (job.service?.kind === 'sandbox') {
      // The built-in Sandbox forgets its jobs when the app or CLI quits; its credits are not real.
      await this.transition(job, {
        state: 'pending',
        remoteId: null,
        nextAt: null,
        note: 'The Sandbox restarted and no longer knows this job; submitting it again.',
      })
    } else {
      await this.fail(job, { code: 'JOB_NOT_FOUND', message: `The service no longer knows job ${job.remoteId}.` })
    }
  }

  /** Fold what the service says about a job into our record. */
  private async apply(job: JobRecord, remote: Job): Promise<void> {
    const now = this.clock.now()
    // An older journal's job the connected service knows: it belongs there.
    if (!job.service) job = await this.transition(job, { service: this.currentService() })
    if (remote.status === 'queued' || remote.status === 'processing') {
      const interval = nextInterval(this.pollIntervals.get(job.id))
      this.pollIntervals.set(job.id, interval)
      const eta = remote.estimated_completion ? Date.parse(remote.estimated_completion) : job.estimatedCompletion
      await this.transition(job, { state: remote.status, estimatedCompletion: eta, nextAt: now + interval })
      return
    }
    this.pollIntervals.delete(job.id)
    if (remote.status === 'failed') {
      const error = remote.error ?? { code: 'JOB_FAILED', message: 'The generation failed.' }
      if (error.code === 'JOB_FAILED' && this.o.settings().retryFailedOnce && job.attempts < 2) {
        this.o.logger.info('job failed at the service; retrying once with the same parameters', {
          job: job.id,
          remote: job.remoteId,
        })
        await this.transition(job, {
          state: 'pending',
          remoteId: null,
          estimatedCompletion: null,
          nextAt: null,
          note: 'The first try failed at the service; trying once more with the same settings.',
        })
        return
      }
      await this.fail(job, error)
      return
    }
    if (!remote.output) {
      await this.fail(job, {
        code: 'MALFORMED_RESPONSE',
        message: 'The service says the job completed but gave no video URL.',
      })
      return
    }
    const taken = (base: string) =>
      [...this.jobs.values()].some((j) => j.output?.file === `${base}.mp4`) ||
      this.o.library.all().some((e) => e.file === `${base}.mp4`)
    const file = `${videoBaseName(job.createdAt, job.request.prompt, remote.job_id, taken)}.mp4`
    const next = await this.transition(job, {
      state: 'downloading',
      completedAt: remote.completed_at ? Date.parse(remote.completed_at) : now,
      credits: remote.credits_used ?? job.credits,
      nextAt: null,
      output: {
        videoUrl: remote.output.video_url,
        thumbnailUrl: remote.output.thumbnail_url ?? null,
        file,
        width: remote.output.width ?? null,
        height: remote.output.height ?? null,
        declaredBytes:
          remote.output.file_size_mb !== undefined ? Math.round(remote.output.file_size_mb * 1024 * 1024) : null,
        expiresAt: remote.output.expires_at ? Date.parse(remote.output.expires_at) : null,
      },
    })
    this.saving.start(next)
  }

  private async reconcileDue(): Promise<void> {
    const due = this.due(['outcome-unknown'])
    if (due.length === 0 || this.stopped) return
    let page: Job[]
    try {
      page = (await this.o.client().listJobs({ limit: 50 })).jobs
    } catch (error) {
      for (const job of due) await this.transition(job, { nextAt: this.clock.now() + 10_000 })
      this.o.logger.warn('reconcile: list failed', { error: String(error) })
      return
    }
    const known = new Set([...this.jobs.values()].map((j) => j.remoteId).filter((id): id is string => id !== null))
    for (const job of due) {
      const match = matchLostSubmission(job, page, known)
      if (match) {
        known.add(match.job_id)
        this.o.logger.info('reconcile: the lost submission did create a job; adopting it', {
          job: job.id,
          remote: match.job_id,
        })
        await this.transition(job, {
          remoteId: match.job_id,
          credits: match.credits_used ?? null,
          note: null,
          state: 'queued',
        })
        await this.apply(this.require(job.id), match)
        continue
      }
      const tries = (this.reconcileTries.get(job.id) ?? 0) + 1
      this.reconcileTries.set(job.id, tries)
      if (tries < 3) {
        await this.transition(job, { nextAt: this.clock.now() + 5000 })
      } else if (this.missed(job)) {
        // Service unknown (older journal): the job may exist elsewhere; sending it again here could pay twice.
        this.reconcileTries.delete(job.id)
        await this.transition(job, { note: this.holdNote(job) })
      } else {
        this.reconcileTries.delete(job.id)
        this.o.logger.info('reconcile: no job was created; submitting again', { job: job.id })
        await this.transition(job, {
          state: 'pending',
          attempts: Math.max(0, job.attempts - 1),
          nextAt: null,
          note: 'The lost submission never reached the service; sending it again.',
        })
      }
    }
  }

  // --- records ----------------------------------------------------------------------------------------

  private require(id: string): JobRecord {
    const job = this.jobs.get(id)
    if (!job) throw Object.assign(new Error(`No job ${id}.`), { code: 'JOB_NOT_FOUND' })
    return job
  }

  private async fail(job: JobRecord, error: JobError, videoId: string | null = null): Promise<JobRecord> {
    return this.transition(job, { state: 'failed', error, nextAt: null, note: null, videoId: videoId ?? job.videoId })
  }

  private async transition(job: JobRecord, patch: Partial<JobRecord>): Promise<JobRecord> {
    const current = this.require(job.id)
    const next: JobRecord = { ...current, ...patch, updatedAt: this.clock.now() }
    this.jobs.set(job.id, next)
    await this.persist(
      next,
      patch.state && patch.state !== current.state ? `${current.state} → ${patch.state}` : 'updated',
    )
    return next
  }

  private async persist(job: JobRecord, what: string): Promise<void> {
    // After stop() nothing more is journaled: an interrupted download stays "downloading" and resumes next time.
    if (this.stopped) return
    // Each change appends a line; once the file holds mostly history, it is rewritten as one line per job.
    const write = this.writes.then(async () => {
      await this.o.journal.write(job)
      await this.o.journal.compact([...this.jobs.values()])
    })
    this.writes = write.catch(() => undefined)
    await write
    this.o.logger.info(`job ${job.id} ${what}`, {
      state: job.state,
      remote: job.remoteId,
      ...(job.error ? { error: job.error.code } : {}),
      ...(job.note ? { note: job.note } : {}),
    })
    for (const l of this.listeners) l(job)
  }
}
