// The job manager: the loop over every job, through the provider port only (issue 10). It asks the engine where each
// job goes (route.ts), sends waiting jobs within each door's limits (scheduler.ts), polls each job through its own
// provider (several of a provider's jobs together), folds every answer into the record by the pure rules of
// transitions.ts, has every finished video saved at once (video-downloads.ts), and resumes everything after a
// restart. Every change is journaled (and fsynced) before the engine acts on it, and logged with the job id.
import { randomUUID } from 'node:crypto'
import { BUSY_STATES, FINAL_STATES, TIMED_STATES } from '../../shared/job-states'
import type { GenerationRequest, JobRecord } from '../../shared/model'
import { isProviderId, type ProviderId, providerInfo } from '../../shared/providers'
import { fingerprint } from '../library/fingerprint'
import type { Library } from '../library/library'
import type { Logger } from '../util/logger'
import { CapHolds, type PauseReason, type SendGate } from './cap-holds'
import { Holds } from './holds'
import { doorLabel, JobActions } from './job-actions'
import { JobStore } from './job-store'
import type { Journal } from './journal'
import { GenerationTimes } from './poll-plan'
import { type Clock, type RouteJob, systemClock } from './route'
import { Scheduler } from './scheduler'
import { ServiceSync } from './service-sync'
import { decideSubmission, type SubmitDecision, type SubmitOutcome } from './submit-rule'
import { failed, unknownOutcomeNote } from './transitions'
import { VideoDownloads } from './video-downloads'

export { type Clock, type JobRoute, systemClock } from './route'

export interface JobManagerOptions {
  journal: Journal
  jobs: JobRecord[]
  /** Where a job goes its own service once sent, the default door's otherwise. */
  route: RouteJob
  library: Library
  settings: () => { maxConcurrentJobs: number; retryFailedOnce: boolean }
  logger: Logger
  clock?: Clock
  fetch?: typeof fetch
  downloadStallMs?: number
  /** How long each door and model take (poll-plan.ts): the engine's is kept in the data folder; in memory otherwise. */
  times?: GenerationTimes
  /** Spending caps (core/budget): asked before each job is sent; a door whose next job would pass one waits. */
  gate?: SendGate
}

export type { PauseReason, SendGate } from './cap-holds'

export class JobManager {
  private readonly store: JobStore
  private readonly holds: Holds
  private readonly sync: ServiceSync
  private readonly actions: JobActions
  private readonly saving: VideoDownloads
  private readonly scheduler = new Scheduler()
  private readonly clock: Clock
  private timer: unknown = null
  private ticking = false
  private again = false
  private stopped = false
  /**
   * Doors whose jobs wait until the user acts (a rejected key, no credits): only that door's jobs stop; another
   * door's key is not in question.
   */
  private readonly pausedDoors = new Map<ProviderId, PauseReason>()
  /** Budget: doors whose next job would pass a spending cap (BUDGET_CAP), worked out again on each pass. */
  private readonly caps: CapHolds
  /** While above 0, pending jobs wait (the library folder is changing); unlike a pause, nothing to tell the user. */
  private holdCount = 0

  /** The engine's route, behind a guard for jobs of a door this version does not know. */
  private readonly route: RouteJob

  constructor(private readonly o: JobManagerOptions) {
    this.clock = o.clock ?? { ...systemClock }
    // A journal written by a newer version may hold a job of a door this one does not know: it is kept as it is,
    // held with a note (never sent, polled, failed or dropped), for the version that made it.
    this.route = (job) =>
      isProviderId(job.request.provider)
        ? o.route(job)
        : {
            held: `Made through "${String(job.request.provider)}", which this version of the app does not know: update the app to follow it. Nothing is sent or given up.`,
          }
    this.store = new JobStore({ journal: o.journal, logger: o.logger, clock: this.clock, jobs: o.jobs })
    // A time set outside the loop (a download that failed and will be tried again) needs the loop's timer: without
    // this, a paid video in download-retry waited for some other job to wake the loop.
    this.store.onTimed = () => {
      if (!this.ticking) this.scheduleNext()
    }
    this.holds = new Holds(this.route, this.store)
    this.caps = new CapHolds(o.gate, this.store)
    this.saving = new VideoDownloads({
      clock: this.clock,
      route: this.route,
      library: () => this.o.library,
      logger: o.logger,
      fetch: o.fetch,
      stallMs: o.downloadStallMs,
      require: (id) => this.store.require(id),
      get: (id) => this.store.get(id),
      holdNote: (job) => this.holds.note(job),
      missed: (job) => this.holds.missed(job),
      transition: (job, patch) => this.store.transition(job, patch),
      fail: (job, error, videoId) =>
        this.store.transition(job, { ...failed(job, error.code, error.message), videoId: videoId ?? job.videoId }),
      stopped: () => this.stopped,
    })
    this.sync = new ServiceSync({
      store: this.store,
      route: this.route,
      holds: this.holds,
      saving: this.saving,
      scheduler: this.scheduler,
      library: () => this.o.library,
      settings: o.settings,
      logger: o.logger,
      clock: this.clock,
      maySend: () => this.holdCount === 0 && !this.stopped,
      paused: (door) => this.pausedDoors.has(door),
      capped: (job) => this.caps.blocks(job),
      pause: (door, reason) => {
        this.pausedDoors.set(door, reason)
      },
      wake: () => this.wake(),
      times: o.times ?? GenerationTimes.inMemory(),
    })
    this.actions = new JobActions({
      store: this.store,
      route: this.route,
      saving: this.saving,
      sync: this.sync,
      clock: this.clock,
      library: () => this.o.library,
      canList: (job) => this.canList(job),
      wake: () => this.wake(),
    })
  }

  onChange(listener: (job: JobRecord) => void): () => void {
    return this.store.onChange(listener)
  }

  onRemove(listener: (id: string) => void): () => void {
    return this.store.onRemove(listener)
  }

  // --- public surface -------------------------------------------------------------------------------

  list(): JobRecord[] {
    return [...this.store.values()].sort((a, b) => b.createdAt - a.createdAt)
  }

  get(id: string): JobRecord | undefined {
    return this.store.get(id)
  }

  get paused(): PauseReason | null {
    return this.pausedDoors.values().next().value ?? this.caps.first
  }

  /** Look at waiting jobs again (a spending cap was raised or cleared, or its period ended). */
  recheck(): void {
    // Mid-pass, the pass runs once more: the loop's own scheduling at its end would otherwise still see the old hold
    // and drop the wake-up.
    if (this.ticking) this.again = true
    this.wake()
  }

  /** Pick up every unfinished job after a start: a submission cut off mid-flight is reconciled, not re-sent. */
  async start(): Promise<void> {
    const now = this.clock.now()
    for (const job of this.store.values()) {
      if (job.state === 'submitting') {
        const canList = this.canList(job)
        await this.store.transition(job, {
          state: 'outcome-unknown',
          nextAt: canList ? now : null,
          note: canList
            ? 'The app stopped while submitting; checking whether the job was created.'
            : unknownOutcomeNote(doorLabel(job.request.provider)),
        })
      } else if (job.state === 'queued' || job.state === 'processing') {
        await this.store.transition(job, { nextAt: now })
      } else if (job.state === 'downloading') {
        this.saving.start(job)
      }
      // download-retry keeps its journaled time: the loop starts the download when it is due.
    }
    this.wake()
  }

  /** What submitOrJoin would do with a request, without doing it (a batch preview asks this). */
  decide(request: GenerationRequest, options: { force?: boolean } = {}): SubmitDecision {
    return decideSubmission(fingerprint(request), this.store.values(), this.o.library, {
      force: options.force ?? false,
      now: this.clock.now(),
    })
  }

  /**
   * The one rule for a new request, used by the app and the CLI alike (issue 9: paid twice): the same request still
   * in flight is joined, a paid video not yet saved is fetched again, a video already in the library is offered
   * (unless forced), and only otherwise is a new job queued. Synchronous up to the queueing, so two identical
   * requests arriving together still make one job.
   */
  async submitOrJoin(
    request: GenerationRequest,
    options: { force?: boolean; batch?: JobRecord['batch']; sweep?: JobRecord['sweep'] } = {},
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
    return { kind: 'new', job: await this.submit(request, options.batch ?? null, options.sweep) }
  }

  async submit(
    request: GenerationRequest,
    batch: JobRecord['batch'] = null,
    sweep?: JobRecord['sweep'],
  ): Promise<JobRecord> {
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
      // Issue 11 (sweep): the sweep it is a cell of, so its video can be grouped with the others.
      ...(sweep ? { sweep } : {}),
    }
    await this.store.add(job, 'created')
    this.wake()
    return job
  }

  /**
   * Cancel: the job stops here at once, then its service is asked to cancel it where it can (job-actions.ts).
   */
  cancel(id: string): Promise<JobRecord> {
    return this.actions.cancel(id)
  }

  /** Remove a finished job from the queue (its video stays in the library). Returns false for a job still running. */
  async remove(id: string): Promise<boolean> {
    const job = this.store.get(id)
    if (!job || !FINAL_STATES.has(job.state)) return false
    await this.store.remove(id)
    return true
  }

  /** Try a failed or cancelled job again without paying twice (job-actions.ts). */
  retry(id: string): Promise<JobRecord> {
    return this.actions.retry(id)
  }

  /** "Download again": a paid video not in the library, by its job or library id (job-actions.ts). */
  fetchAgain(id: string): Promise<JobRecord> {
    return this.actions.fetchAgain(id)
  }

  /** Account sync: a door's finished jobs this journal does not know, imported into the library (job-actions.ts). */
  importFromAccount(door: ProviderId = 'seedance'): Promise<{ found: number; imported: number }> {
    return this.actions.importFromAccount(door)
  }

  /** Continue after a pause (a rejected key or no credits), once the user has fixed it. */
  resume(): void {
    this.pausedDoors.clear()
    this.wake()
  }

  /** Whether the loop is between passes: a test stepping a fake clock steps it only then. */
  get idle(): boolean {
    return !this.ticking
  }

  /**
   * Resolves when every job is finished (or `settled`, e.g. a CLI that stops waiting for a download retry), or the
   * queue pauses (returning why).
   */
  whenIdle(
    filter: (job: JobRecord) => boolean = () => true,
    settled: (job: JobRecord) => boolean = (j) => FINAL_STATES.has(j.state),
  ): Promise<PauseReason | null> {
    return new Promise((resolve) => {
      const check = () => {
        const paused = this.paused
        if (paused) return done(paused)
        if ([...this.store.values()].filter(filter).every(settled)) done(null)
      }
      const done = (value: PauseReason | null) => {
        off()
        resolve(value)
      }
      const offJobs = this.onChange(check)
      const offCaps = this.caps.onChange(check)
      const off = () => {
        offJobs()
        offCaps()
      }
      queueMicrotask(check)
    })
  }

  /** Stop: timers cleared, downloads aborted (they resume on the next start), the journal left consistent. */
  async stop(): Promise<void> {
    this.stopped = true
    this.store.stopped = true
    if (this.timer) this.clock.clearTimeout(this.timer)
    await this.saving.stop()
    await this.store.flush()
  }

  /** Jobs sent (or being sent) to the service and not finished: they will still save into the library. */
  inFlightCount(): number {
    let n = 0
    for (const j of this.store.values()) if (j.state !== 'pending' && !FINAL_STATES.has(j.state)) n += 1
    return n
  }

  /** Keep pending jobs from being sent until the returned release is called (called once; holds nest). */
  holdSubmissions(): () => void {
    this.holdCount += 1
    let released = false
    return () => {
      if (released) return
      released = true
      this.holdCount -= 1
      this.wake()
    }
  }

  /** Save videos into another library from now on (the engine swaps it when the library folder changes). */
  switchLibrary(library: Library): void {
    if (this.saving.busy) throw new Error('A download is in progress; the library cannot change now.')
    this.o.library = library
  }

  /**
   * Unfinished jobs that can be reached now (held jobs excluded: reaching their service is what they wait for). While
   * there is one, the engine does not switch services under it (shared/job-states.ts BUSY).
   */
  busyCount(): number {
    let n = 0
    for (const j of this.store.values()) if (BUSY_STATES.has(j.state) && !this.holds.note(j)) n += 1
    return n
  }

  /** What a job waits for while its service cannot be reached; null when not held. */
  waitingFor(job: JobRecord): string | null {
    return this.holds.note(job)
  }

  // --- holds --------------------------------------------------------------------------------------------

  private canList(job: JobRecord): boolean {
    return isProviderId(job.request.provider) && providerInfo(job.request.provider).canList
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
        await this.holds.show()
        await this.caps.pass(() => this.sync.submitDue())
        await this.sync.reconcileDue()
        await this.sync.pollDue()
        await this.saving.startDue(this.store.values())
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
    let next = this.sync.createWakeAt ?? Number.POSITIVE_INFINITY
    const max = this.o.settings().maxConcurrentJobs
    for (const j of this.store.values()) {
      if (!TIMED_STATES.has(j.state) || this.holds.note(j)) continue
      // A waiting job with no room at its door wakes the loop when a slot frees (a transition), not by time.
      if (
        j.state === 'pending' &&
        (this.pausedDoors.has(j.request.provider) ||
          this.caps.has(j.request.provider) ||
          this.holdCount > 0 ||
          !this.scheduler.hasRoom(j, this.store.values(), max))
      )
        continue
      // A lost submission its provider cannot look for waits for the user (nextAt null): no timer.
      if (j.state === 'outcome-unknown' && j.nextAt === null) continue
      next = Math.min(next, j.nextAt ?? now)
    }
    if (this.timer) this.clock.clearTimeout(this.timer)
    this.timer = Number.isFinite(next) ? this.clock.setTimeout(() => void this.tick(), Math.max(0, next - now)) : null
  }

  // --- records ----------------------------------------------------------------------------------------
}
