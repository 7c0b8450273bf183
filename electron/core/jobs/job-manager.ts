// The job manager: the loop over every job, through the provider port only (issue 10). It asks the engine where each
// job goes (route.ts), sends waiting jobs within each door's limits (scheduler.ts), polls each job through its own
// provider (several of a provider's jobs together), folds every answer into the record by the pure rules of
// transitions.ts, has every finished video saved at once (video-downloads.ts), and resumes everything after a
// restart. Every change is journaled (and fsynced) before the engine acts on it, and logged with the job id.
import { randomUUID } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { BUSY_STATES, FINAL_STATES, SLOT_STATES, TIMED_STATES } from '../../shared/job-states'
import type { GenerationRequest, JobRecord } from '../../shared/model'
import { defaultModel, providerInfo } from '../../shared/providers'
import { fingerprint } from '../library/fingerprint'
import type { Library } from '../library/library'
import { videoBaseName } from '../library/naming'
import { ApiError } from '../providers/errors'
import type { ProviderSubmission, RemoteSnapshot, VideoProvider } from '../providers/port'
import type { Logger } from '../util/logger'
import { finishedRemoteJobs, importedJob } from './account-import'
import { firstPollAt, GROUP_WINDOW_MS, nextInterval, waitingNote } from './job-policy'
import type { Journal } from './journal'
import { type Clock, type JobRoute, type RouteJob, systemClock } from './route'
import { Scheduler } from './scheduler'
import { decideSubmission, type SubmitDecision, type SubmitOutcome } from './submit-rule'
import {
  afterLost,
  afterReconcile,
  afterSnapshot,
  afterSubmit,
  afterSubmitError,
  cancelNote,
  failed,
  matchLostSubmission,
  type Patch,
  RECONCILE_TRIES,
  RETRY_WAIT_MS,
  type Step,
  unknownOutcomeNote,
} from './transitions'
import { VideoDownloads } from './video-downloads'

export { type Clock, type JobRoute, systemClock } from './route'

export interface JobManagerOptions {
  journal: Journal
  jobs: JobRecord[]
  /** Where a job goes (ISSUE10 interface 2): its own service once sent, the default door's otherwise. */
  route: RouteJob
  library: Library
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

/** A finished video the service made (and was paid for): it is downloaded again, never generated again. */
function hasPaidVideo(job: JobRecord): job is JobRecord & { output: NonNullable<JobRecord['output']> } {
  return job.output !== null && job.remoteId !== null && job.error?.code !== 'JOB_FAILED'
}

function codedError(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code })
}

function asFailure(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError({ code: 'INTERNAL_ERROR', message: String(error) })
}

const MIME: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' }
async function frame(file: string): Promise<{ data: Uint8Array; mime: string }> {
  const ext = file.slice(file.lastIndexOf('.') + 1).toLowerCase()
  return { data: new Uint8Array(await readFile(file)), mime: MIME[ext] ?? `image/${ext}` }
}

export class JobManager {
  private readonly jobs = new Map<string, JobRecord>()
  private readonly pollIntervals = new Map<string, number>()
  private readonly reconcileTries = new Map<string, number>()
  /** Jobs of an older journal (service not recorded) that the service asked does not know: held. */
  private readonly missedUnknown = new Set<string>()
  /** The hold note each held job shows, so it is cleared (and only it) once the job can be reached again. */
  private readonly heldNotes = new Map<string, string>()
  private readonly listeners = new Set<Listener>()
  private readonly removalListeners = new Set<(id: string) => void>()
  private readonly clock: Clock
  private readonly scheduler = new Scheduler()
  private timer: unknown = null
  private ticking = false
  private again = false
  private stopped = false
  private pausedFor: PauseReason | null = null
  /** While above 0, pending jobs wait (the library folder is changing); unlike a pause, nothing to tell the user. */
  private holds = 0
  /** When a door's create budget frees up for a job waiting only for it. */
  private createWakeAt: number | null = null
  private writes: Promise<void> = Promise.resolve()
  private readonly saving: VideoDownloads

  constructor(private readonly o: JobManagerOptions) {
    this.clock = o.clock ?? { ...systemClock }
    for (const job of o.jobs) this.jobs.set(job.id, job)
    this.saving = new VideoDownloads({
      clock: this.clock,
      route: (job) => this.o.route(job),
      library: () => this.o.library,
      logger: o.logger,
      fetch: o.fetch,
      stallMs: o.downloadStallMs,
      require: (id) => this.require(id),
      get: (id) => this.jobs.get(id),
      holdNote: (job) => this.holdNote(job),
      missed: (job) => this.missed(job),
      transition: (job, patch) => this.transition(job, patch),
      fail: (job, error, videoId) =>
        this.transition(job, { ...failed(job, error.code, error.message), videoId: videoId ?? job.videoId }),
      stopped: () => this.stopped,
    })
  }

  // --- public surface -------------------------------------------------------------------------------

  onChange(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  onRemove(listener: (id: string) => void): () => void {
    this.removalListeners.add(listener)
    return () => this.removalListeners.delete(listener)
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
        const canList = this.canList(job)
        await this.transition(job, {
          state: 'outcome-unknown',
          nextAt: canList ? now : null,
          note: canList
            ? 'The app stopped while submitting; checking whether the job was created.'
            : unknownOutcomeNote(providerInfo(job.request.provider).label),
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

  /** What submitOrJoin would do with a request, without doing it (a batch preview asks this). */
  decide(request: GenerationRequest, options: { force?: boolean } = {}): SubmitDecision {
    return decideSubmission(fingerprint(request), this.jobs.values(), this.o.library, {
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

  /**
   * Cancel: the job stops here at once (no more polls or downloads), then its service is asked to cancel it where it
   * can (ProviderInfo.cancel); the note says what the service did, and whether it may still bill.
   */
  async cancel(id: string): Promise<JobRecord> {
    const job = this.require(id)
    if (FINAL_STATES.has(job.state)) return job
    this.saving.abort(id)
    const label = providerInfo(job.request.provider).label
    if (hasPaidVideo(job))
      return this.transition(job, { state: 'cancelled', nextAt: null, note: cancelNote(job, 'paid', label) })
    if (job.state === 'pending')
      return this.transition(job, { state: 'cancelled', nextAt: null, note: cancelNote(job, 'not-sent', label) })
    const stopped = await this.transition(job, {
      state: 'cancelled',
      nextAt: null,
      note: `Stopped tracking; asking ${label} to cancel.`,
    })
    if (job.remoteId === null)
      return this.transition(stopped, {
        note:
          job.state === 'submitting'
            ? 'Stopped while it was being sent: if the service takes it, it may still finish there and be billed.'
            : 'Stopped tracking. The submission’s answer was lost: if it created a job, that job may still finish and be billed.',
      })
    const route = this.o.route(job)
    if ('held' in route) return this.transition(stopped, { note: `Stopped tracking. ${route.held}` })
    try {
      const outcome = await route.provider.cancel({ remoteId: job.remoteId, model: job.request.model })
      return this.transition(this.require(id), { note: cancelNote(job, outcome, label) })
    } catch (error) {
      const e = asFailure(error)
      return this.transition(this.require(id), {
        note:
          e.code === 'NOT_CANCELLABLE'
            ? `Stopped tracking. ${e.message}`
            : `Stopped tracking; the cancel did not reach ${label} (${e.message}), so the job may still finish there and be billed.`,
      })
    }
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

  /**
   * Try a failed or cancelled job again without paying twice: a paid video still at the service is downloaded again
   * (whatever ended the job: a failure or a stopped download); a cancelled job the service already has is tracked
   * again; only a job that has nothing at the service is submitted again. A lost submission that its provider cannot
   * look for (fal) is sent again only here, by the user's explicit choice.
   */
  async retry(id: string): Promise<JobRecord> {
    const job = this.require(id)
    if (job.state === 'download-retry') {
      const next = await this.transition(job, { state: 'downloading', nextAt: null, note: 'Downloading again.' })
      this.saving.start(next)
      return next
    }
    if (job.state === 'outcome-unknown' && !this.canList(job)) {
      const next = await this.transition(job, {
        state: 'pending',
        attempts: Math.max(0, job.attempts - 1),
        nextAt: null,
        note: 'Sent again at your request (the first submission’s outcome is unknown).',
      })
      this.wake()
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
   * "Download again" (the library's detail panel, `seedance library fetch`): fetch a paid video that is not in the
   * library, by its job or library id. The service decides whether it still has it; nothing is generated (or paid
   * for) again. Resolves to the job doing the download.
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
    const provider = entry.provider ?? 'seedance'
    const request: GenerationRequest = {
      provider,
      model: entry.model ?? defaultModel(provider).id,
      mode: entry.mode,
      prompt: entry.prompt,
      duration: entry.duration,
      resolution: entry.resolution,
      aspectRatio: entry.aspectRatio,
      style: entry.style,
      motionIntensity: entry.motionIntensity,
      image: null,
      ...(entry.seed !== undefined ? { seed: entry.seed } : {}),
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
    // The library does not record the endpoint; the user asks its door as reachable now, explicitly.
    const route = this.o.route(record)
    if ('held' in route) throw codedError('PROVIDER_UNAVAILABLE', route.held)
    record.service = route.service
    this.jobs.set(record.id, record)
    await this.persist(record, 'fetching its video again')
    this.saving.start(record)
    return record
  }

  /**
   * Account sync: finished jobs in a door's account that this journal does not know (made on the web or on another
   * machine) are imported into the library while their links are still valid. Only where the provider can list.
   */
  async importFromAccount(
    door: GenerationRequest['provider'] = 'seedance',
  ): Promise<{ found: number; imported: number }> {
    const route = this.o.route(this.placeholder(door))
    if ('held' in route) throw codedError('PROVIDER_UNAVAILABLE', route.held)
    if (!route.provider.list)
      throw codedError(
        'NOT_SUPPORTED',
        `${route.provider.info.label} cannot list its jobs, so there is nothing to import.`,
      )
    const remote = await finishedRemoteJobs(route.provider)
    const known = new Set<string>()
    for (const j of this.jobs.values()) if (j.remoteId) known.add(j.remoteId)
    for (const e of this.o.library.all()) if (e.remoteId) known.add(e.remoteId)
    let imported = 0
    for (const r of remote) {
      if (known.has(r.remoteId) || !r.videoUrl) continue
      const job = importedJob(route.provider, route.service, r, this.clock.now())
      this.jobs.set(job.id, job)
      await this.persist(job, 'imported from the account')
      await this.apply(job, r, route)
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
   * Resolves when every job is finished (or `settled`, e.g. a CLI that stops waiting for a download retry), or the
   * queue pauses (returning why).
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
   * Unfinished jobs that can be reached now (held jobs excluded: reaching their service is what they wait for). While
   * there is one, the engine does not switch services under it (shared/job-states.ts BUSY).
   */
  busyCount(): number {
    let n = 0
    for (const j of this.jobs.values()) if (BUSY_STATES.has(j.state) && !this.holdNote(j)) n += 1
    return n
  }

  /** What a job waits for while its service cannot be reached; null when not held. */
  waitingFor(job: JobRecord): string | null {
    return this.holdNote(job)
  }

  /** Jobs holding one of their service's concurrent-job slots. */
  activeCount(): number {
    let n = 0
    for (const j of this.jobs.values()) if (SLOT_STATES.has(j.state)) n += 1
    return n
  }

  // --- holds --------------------------------------------------------------------------------------------

  /** A record for a door with nothing sent yet: how route() is asked where a new job of that door would go. */
  private placeholder(door: GenerationRequest['provider']): JobRecord {
    const now = this.clock.now()
    return {
      id: `import-${door}`,
      request: {
        provider: door,
        model: providerInfo(door).defaultModel,
        mode: 'text',
        prompt: '',
        duration: 0,
        resolution: '720p',
        aspectRatio: null,
        style: null,
        motionIntensity: null,
        image: null,
      },
      fingerprint: '',
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
      batch: null,
    }
  }

  private canList(job: JobRecord): boolean {
    return providerInfo(job.request.provider).canList
  }

  /** Why a job cannot be asked at its service now (route.ts held, or an older job its service may not be), or null. */
  private holdNote(job: JobRecord): string | null {
    if (job.state === 'submitting' || FINAL_STATES.has(job.state)) return null
    const route = this.o.route(job)
    if ('held' in route) return route.held
    if (job.state !== 'pending' && this.missedUnknown.has(job.id)) return waitingNote(job, route.service)
    return null
  }

  /** An older journal's job (service unknown) that the service asked does not know: held, never given up. */
  private missed(job: JobRecord): string | null {
    if (job.service) return null
    const route = this.o.route(job)
    if ('held' in route) return route.held
    this.missedUnknown.add(job.id)
    return waitingNote(job, route.service)
  }

  /** Show on each held job what it waits for, and clear that once it can be reached again. */
  private async noteHeld(): Promise<void> {
    for (const j of [...this.jobs.values()]) {
      if (!BUSY_STATES.has(j.state)) continue
      const hold = this.holdNote(j)
      const shown = this.heldNotes.get(j.id)
      if (hold !== null && j.note !== hold) {
        this.heldNotes.set(j.id, hold)
        await this.transition(j, { note: hold })
      } else if (hold === null && shown !== undefined) {
        this.heldNotes.delete(j.id)
        if (j.note === shown) await this.transition(j, { note: null })
      }
    }
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
    let next = this.createWakeAt ?? Number.POSITIVE_INFINITY
    const max = this.o.settings().maxConcurrentJobs
    for (const j of this.jobs.values()) {
      if (!TIMED_STATES.has(j.state) || this.holdNote(j)) continue
      // A waiting job with no room at its door wakes the loop when a slot frees (a transition), not by time.
      if (
        j.state === 'pending' &&
        (this.pausedFor || this.holds > 0 || !this.scheduler.hasRoom(j, this.jobs.values(), max))
      )
        continue
      // A lost submission its provider cannot look for waits for the user (nextAt null): no timer.
      if (j.state === 'outcome-unknown' && j.nextAt === null) continue
      next = Math.min(next, j.nextAt ?? now)
    }
    if (this.timer) this.clock.clearTimeout(this.timer)
    this.timer = Number.isFinite(next) ? this.clock.setTimeout(() => void this.tick(), Math.max(0, next - now)) : null
  }

  private async submitDue(): Promise<void> {
    this.createWakeAt = null
    for (;;) {
      if (this.pausedFor || this.holds > 0 || this.stopped) return
      const pick = this.scheduler.pick(this.jobs.values(), {
        now: this.clock.now(),
        maxConcurrentJobs: this.o.settings().maxConcurrentJobs,
        blocked: (j) => this.holdNote(j) !== null,
      })
      this.createWakeAt = pick.wakeAt
      if (!pick.job) return
      await this.submitOne(pick.job)
    }
  }

  private async submitOne(job: JobRecord): Promise<void> {
    const route = this.o.route(job)
    if ('held' in route) return
    const info = route.provider.info
    // Journal before the POST, with the service it goes to: after a crash we know a request may have gone out, and
    // where; the job is polled, refreshed and downloaded only there.
    const sent = await this.transition(job, {
      state: 'submitting',
      submittedAt: this.clock.now(),
      service: route.service,
      attempts: job.attempts + 1,
      note: null,
      nextAt: null,
    })
    this.scheduler.sent(job.request.provider, this.clock.now())
    let step: Step
    try {
      const r = job.request
      const submission: ProviderSubmission = {
        request: r,
        firstFrame: r.mode === 'image' && r.image && !r.imageUrl ? await frame(r.image.path) : null,
        lastFrame: r.lastImage ? await frame(r.lastImage.path) : null,
      }
      const answer = await route.provider.submit(submission)
      const now = this.clock.now()
      if (this.require(job.id).state === 'cancelled') {
        // Cancelled while the POST was out: keep the job's id, so "Retry" follows it again without paying twice.
        await this.transition(this.require(job.id), {
          remoteId: answer.remoteId,
          note: `Cancelled while it was being sent; ${info.label} has it as job ${answer.remoteId}, which may still finish and be billed ("Retry" follows it again).`,
        })
        return
      }
      step = afterSubmit(sent, answer, this.snapshotContext(sent, answer, firstPollAt(now, answer.eta), info.label))
    } catch (error) {
      const current = this.require(job.id) // as journaled just before the POST (attempts counted)
      if (current.state === 'cancelled') return
      step = afterSubmitError(current, asFailure(error), {
        now: this.clock.now(),
        canList: info.canList && route.provider.list !== undefined,
        label: info.label,
      })
      if (step.pause) {
        this.pausedFor = step.pause
        this.o.logger.warn('queue paused', { job: job.id, code: step.pause.code })
      }
    }
    await this.run(this.require(job.id), step)
  }

  private snapshotContext(job: JobRecord, snap: RemoteSnapshot, pollAt: number, label: string) {
    const taken = (base: string) =>
      [...this.jobs.values()].some((j) => j.output?.file === `${base}.mp4`) ||
      this.o.library.all().some((e) => e.file === `${base}.mp4`)
    return {
      now: this.clock.now(),
      pollAt,
      retryFailedOnce: this.o.settings().retryFailedOnce,
      label,
      file: () => `${videoBaseName(job.createdAt, job.request.prompt, snap.remoteId, taken)}.mp4`,
    }
  }

  /** Journal a step's patch, then do what it says. */
  private async run(job: JobRecord, step: Step): Promise<JobRecord> {
    const next = await this.transition(job, step.patch)
    if (step.download) this.saving.start(next)
    if (next.state === 'pending') this.wake()
    return next
  }

  /** Jobs in these states due now (or within the grouping window), each with its route; held jobs wait. */
  private due(states: JobRecord['state'][]): Array<{ job: JobRecord; route: Exclude<JobRoute, { held: string }> }> {
    const now = this.clock.now()
    const out: Array<{ job: JobRecord; route: Exclude<JobRoute, { held: string }> }> = []
    for (const job of this.jobs.values()) {
      if (!states.includes(job.state) || (job.nextAt ?? 0) > now + GROUP_WINDOW_MS) continue
      if (this.holdNote(job)) continue
      const route = this.o.route(job)
      if (!('held' in route)) out.push({ job, route })
    }
    return out
  }

  /** Group jobs by the provider instance that serves them (one door at one endpoint). */
  private static byProvider<T extends { route: { provider: VideoProvider } }>(items: T[]): Map<VideoProvider, T[]> {
    const groups = new Map<VideoProvider, T[]>()
    for (const item of items) groups.set(item.route.provider, [...(groups.get(item.route.provider) ?? []), item])
    return groups
  }

  private async pollDue(): Promise<void> {
    const due = this.due(['queued', 'processing'])
    if (due.length === 0 || this.stopped) return
    for (const [provider, group] of JobManager.byProvider(due)) {
      let found: Map<string, RemoteSnapshot | null>
      try {
        found = await provider.get(group.map(({ job }) => ({ remoteId: job.remoteId ?? '', model: job.request.model })))
      } catch (error) {
        const e = asFailure(error)
        this.o.logger.warn('poll failed', { jobs: group.map(({ job }) => job.id), error: e.message, code: e.code })
        const wait = e.retryAfter ? e.retryAfter * 1000 : RETRY_WAIT_MS
        for (const { job } of group) await this.transition(job, { nextAt: this.clock.now() + wait })
        continue
      }
      for (const { job, route } of group) {
        const current = this.jobs.get(job.id)
        // Cancelled or moved meanwhile (the user, a download): this answer is about a job no longer waiting for it.
        if (current?.state !== job.state) continue
        const snap = found.get(job.remoteId ?? '')
        if (snap === undefined) continue
        if (snap === null) await this.remoteLost(current)
        else await this.apply(current, snap, route)
      }
    }
  }

  private async remoteLost(job: JobRecord): Promise<void> {
    const held = this.missed(job)
    await this.run(job, afterLost(job, { serviceUnknown: held !== null, heldNote: held ?? '' }))
  }

  /** Fold what the service says about a job into its record. */
  private async apply(job: JobRecord, snap: RemoteSnapshot, route: Exclude<JobRoute, { held: string }>): Promise<void> {
    // An older journal's job the service knows: it belongs there.
    if (!job.service) job = await this.transition(job, { service: route.service })
    const running = snap.phase === 'queued' || snap.phase === 'running'
    let interval: number | undefined
    if (running) {
      interval = nextInterval(this.pollIntervals.get(job.id))
      this.pollIntervals.set(job.id, interval)
    } else this.pollIntervals.delete(job.id)
    const ctx = this.snapshotContext(job, snap, this.clock.now() + (interval ?? 0), route.provider.info.label)
    const step = afterSnapshot(job, snap, ctx)
    if (step.patch.state === 'pending')
      this.o.logger.info('job failed at the service; retrying once with the same parameters', {
        job: job.id,
        remote: job.remoteId,
      })
    await this.run(job, step)
  }

  /** Lost submissions, looked for in their provider's list (only providers that can list get here: see transitions). */
  private async reconcileDue(): Promise<void> {
    const due = this.due(['outcome-unknown'])
    if (due.length === 0 || this.stopped) return
    for (const [provider, group] of JobManager.byProvider(due)) {
      let page: RemoteSnapshot[]
      try {
        if (!provider.list) throw new Error(`${provider.info.label} cannot list its jobs.`)
        page = (await provider.list({ limit: 50 })).jobs
      } catch (error) {
        if (!provider.list) {
          // Not a passing fault: nothing to look in. Held for the user (transitions.ts unknownOutcomeNote).
          const note = unknownOutcomeNote(provider.info.label)
          for (const { job } of group) if (job.note !== note) await this.transition(job, { nextAt: null, note })
          continue
        }
        for (const { job } of group) await this.transition(job, { nextAt: this.clock.now() + 10_000 })
        this.o.logger.warn('reconcile: list failed', { error: String(error) })
        continue
      }
      const known = new Set([...this.jobs.values()].map((j) => j.remoteId).filter((id): id is string => id !== null))
      for (const { job, route } of group) {
        const match = matchLostSubmission(job, page, known) ?? null
        const tries = match ? 0 : (this.reconcileTries.get(job.id) ?? 0) + 1
        if (match || tries >= RECONCILE_TRIES) this.reconcileTries.delete(job.id)
        else this.reconcileTries.set(job.id, tries)
        const held = match || tries < RECONCILE_TRIES ? null : this.missed(job)
        const step = afterReconcile(job, match, {
          now: this.clock.now(),
          tries,
          serviceUnknown: held !== null,
          heldNote: held ?? '',
        })
        if (match) {
          known.add(match.remoteId)
          this.o.logger.info('reconcile: the lost submission did create a job; adopting it', {
            job: job.id,
            remote: match.remoteId,
          })
          await this.apply(await this.transition(job, step.patch), match, route)
          continue
        }
        if (step.patch.state === 'pending')
          this.o.logger.info('reconcile: no job was created; submitting again', { job: job.id })
        await this.run(job, step)
      }
    }
  }

  // --- records ----------------------------------------------------------------------------------------

  private require(id: string): JobRecord {
    const job = this.jobs.get(id)
    if (!job) throw Object.assign(new Error(`No job ${id}.`), { code: 'JOB_NOT_FOUND' })
    return job
  }

  private async transition(job: JobRecord, patch: Patch): Promise<JobRecord> {
    const current = this.require(job.id)
    const next: JobRecord = { ...current, ...patch, updatedAt: this.clock.now() }
    this.jobs.set(job.id, next)
    await this.persist(
      next,
      patch.state && patch.state !== current.state ? `${current.state} → ${patch.state}` : 'updated',
    )
    // A time set outside the loop (a download that failed and will be tried again) needs the loop's timer: without
    // this, a paid video in download-retry waited for some other job to wake the loop.
    if (patch.nextAt !== undefined && patch.nextAt !== null && !this.ticking) this.scheduleNext()
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
