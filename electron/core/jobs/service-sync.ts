// The job manager's side that talks to the services, through the provider port only: sending waiting jobs (within
// each door's limits: scheduler.ts), polling jobs through their own provider (a provider's due jobs in one get), and
// looking for lost submissions in the provider's list. Every answer becomes a record change by the pure rules of
// transitions.ts; a finished video's download starts at once (its link may live only an hour).
import { readFile } from 'node:fs/promises'
import type { JobRecord } from '../../shared/model'
import { type ProviderId, providerInfo } from '../../shared/providers'
import type { Library } from '../library/library'
import { videoBaseName } from '../library/naming'
import { ApiError } from '../providers/errors'
import type { ProviderSubmission, RemoteSnapshot, VideoProvider } from '../providers/port'
import type { Logger } from '../util/logger'
import type { Holds } from './holds'
import { FIRST_POLL_MARGIN_MS, firstPollAt, GROUP_WINDOW_MS, nextInterval } from './job-policy'
import type { JobStore } from './job-store'
import {
  alignedPollAt,
  alignWindow,
  expectedStart,
  type GenerationTimes,
  type OutJob,
  overdueInterval,
  replanQueue,
  startsAtOnce,
} from './poll-plan'
import type { Clock, JobRoute, RouteJob } from './route'
import type { Scheduler } from './scheduler'
import {
  afterLost,
  afterReconcile,
  afterSnapshot,
  afterSubmit,
  afterSubmitError,
  matchLostSubmission,
  RECONCILE_TRIES,
  RETRY_WAIT_MS,
  type SnapshotContext,
  type Step,
  unknownOutcomeNote,
} from './transitions'
import type { VideoDownloads } from './video-downloads'

export type Reachable = Exclude<JobRoute, { held: string }>

export function asFailure(error: unknown): ApiError {
  return error instanceof ApiError ? error : new ApiError({ code: 'INTERNAL_ERROR', message: String(error) })
}

const MIME: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' }

/** A kept source image's bytes and type, for the provider to send. */
async function frame(file: string): Promise<{ data: Uint8Array; mime: string }> {
  const ext = file.slice(file.lastIndexOf('.') + 1).toLowerCase()
  return { data: new Uint8Array(await readFile(file)), mime: MIME[ext] ?? `image/${ext}` }
}

/** Group items by the provider instance that serves them (one door at one endpoint). */
function byProvider<T extends { route: Reachable }>(items: T[]): Map<VideoProvider, T[]> {
  const groups = new Map<VideoProvider, T[]>()
  for (const item of items) groups.set(item.route.provider, [...(groups.get(item.route.provider) ?? []), item])
  return groups
}

export interface ServiceSyncOptions {
  store: JobStore
  route: RouteJob
  holds: Holds
  saving: VideoDownloads
  scheduler: Scheduler
  library: () => Library
  settings: () => { maxConcurrentJobs: number; retryFailedOnce: boolean }
  logger: Logger
  clock: Clock
  /** Whether waiting jobs may be sent now (no folder change under way, not stopped). */
  maySend: () => boolean
  /** A door's jobs wait until the user acts (a rejected key, no credits). */
  paused: (door: ProviderId) => boolean
  pause: (door: ProviderId, reason: { code: string; message: string }) => void
  /** Budget: the job would pass a spending cap, so it waits (its door with it). */
  capped: (job: JobRecord) => boolean
  /** A job went back to waiting: the loop should look again. */
  wake: () => void
  /** How long each door and model take, learned from finished jobs (poll-plan.ts). */
  times: GenerationTimes
}

/** Slot states: sent, and not finished at the service. */
const OUT = new Set<JobRecord['state']>(['queued', 'processing'])

/** Whether a door queues past a running limit (fal, Ark): its queued jobs are planned behind ours. */
function queues(door: ProviderId): boolean {
  const { concurrency, overConcurrency } = providerInfo(door).rate
  return overConcurrency === 'queue' && concurrency !== null
}

export class ServiceSync {
  private readonly pollIntervals = new Map<string, number>()
  private readonly reconcileTries = new Map<string, number>()
  /** Jobs sent in this session that started running at once: their time to finish is a generation time to learn. */
  private readonly ranAtOnce = new Set<string>()
  /** At a door that queues past its running limit: when each job of ours got a runner, as far as we know. */
  private readonly runnerSince = new Map<string, number>()
  /** Jobs sent in this session into a door's queue, behind our own: the ones a freed runner re-plans. */
  private readonly queuedBehind = new Set<string>()
  /** When each job out was last seen not yet finished: with the time it was seen finished, when it finished. */
  private readonly lastLook = new Map<string, number>()
  /** Until when a door asked us to wait (a failed poll's Retry-After): a re-plan never looks before. */
  private readonly retryUntil = new Map<ProviderId, number>()
  /** Polls waiting to join a later one of the same door (joinAt): the latest each may be asked at. */
  private readonly joinBy = new Map<string, number>()
  /** When a door's create budget frees up for a job waiting only for it. */
  createWakeAt: number | null = null

  constructor(private readonly o: ServiceSyncOptions) {}

  async submitDue(): Promise<void> {
    this.createWakeAt = null
    for (;;) {
      if (!this.o.maySend()) return
      const pick = this.o.scheduler.pick(this.o.store.values(), {
        now: this.o.clock.now(),
        maxConcurrentJobs: this.o.settings().maxConcurrentJobs,
        blocked: (j) => this.o.paused(j.request.provider) || this.o.holds.note(j) !== null || this.o.capped(j),
      })
      this.createWakeAt = pick.wakeAt
      if (!pick.job) return
      await this.submitOne(pick.job)
    }
  }

  private async submitOne(job: JobRecord): Promise<void> {
    const { store, clock } = this.o
    const route = this.o.route(job)
    if ('held' in route) return
    const info = route.provider.info
    // Journal before the POST, with the service it goes to: after a crash we know a request may have gone out, and
    // where; the job is polled, refreshed and downloaded only there.
    const sent = await store.transition(job, {
      state: 'submitting',
      submittedAt: clock.now(),
      service: route.service,
      attempts: job.attempts + 1,
      note: null,
      nextAt: null,
      waitFor: null,
    })
    this.o.scheduler.sent(job.request.provider, clock.now())
    let step: Step
    try {
      const r = job.request
      const submission: ProviderSubmission = {
        request: r,
        firstFrame: r.mode === 'image' && r.image && !r.imageUrl ? await frame(r.image.path) : null,
        lastFrame: r.lastImage ? await frame(r.lastImage.path) : null,
      }
      const answer = await route.provider.submit(submission)
      if (store.require(job.id).state === 'cancelled') {
        // Cancelled while the POST was out: keep the job's id, so "Retry" follows it again without paying twice.
        await store.transition(store.require(job.id), {
          remoteId: answer.remoteId,
          note: `Cancelled while it was being sent; ${info.label} has it as job ${answer.remoteId}, which may still finish and be billed ("Retry" follows it again).`,
        })
        return
      }
      const planned = this.plan(sent, answer)
      step = afterSubmit(sent, planned.snap, this.context(sent, planned.snap, planned.pollAt, info.label))
    } catch (error) {
      const current = store.require(job.id) // as journaled just before the POST (attempts counted)
      if (current.state === 'cancelled') return
      step = afterSubmitError(current, asFailure(error), {
        now: clock.now(),
        canList: info.canList && route.provider.list !== undefined,
        label: info.label,
      })
      if (step.pause) {
        this.o.pause(job.request.provider, step.pause)
        this.o.logger.warn('queue paused', { job: job.id, code: step.pause.code })
      }
    }
    await this.run(store.require(job.id), step)
  }

  /**
   * A job just accepted: when it should be done (the service's ETA, else its expected start plus the time this door
   * and model were seen to take) and when to first ask, lined up with the door's other polls where one request
   * answers for several jobs.
   */
  private plan(job: JobRecord, answer: RemoteSnapshot): { snap: RemoteSnapshot; pollAt: number } {
    const now = this.o.clock.now()
    const r = job.request
    const ahead = [...this.o.store.values()].filter(
      (j) => j.id !== job.id && j.request.provider === r.provider && OUT.has(j.state),
    )
    const start = expectedStart(r, now, ahead)
    const atOnce = startsAtOnce(r, ahead)
    if (atOnce) this.ranAtOnce.add(job.id)
    if (queues(r.provider)) {
      if (atOnce) {
        this.runnerSince.set(job.id, now)
        this.queuedBehind.delete(job.id)
      } else {
        this.queuedBehind.add(job.id)
        this.runnerSince.delete(job.id)
      }
    }
    const expected = this.o.times.expectedMs(r)
    // A job queued behind ours runs from the moment a runner frees: no pick-up of its own.
    const takes = atOnce ? expected : this.o.times.heldMs(r)
    const eta = answer.eta ?? (takes === null ? null : start + takes)
    const snap = eta === answer.eta ? answer : { ...answer, eta }
    return { snap, pollAt: this.alongside(job, firstPollAt(now, eta), expected) }
  }

  /** A poll time moved onto one the door already plans shortly after, where one request answers for both. */
  private alongside(job: JobRecord, at: number, expected: number | null): number {
    if (!providerInfo(job.request.provider).canList) return at // answers for one job per request (fal)
    const planned = [...this.o.store.values()]
      .filter((j) => j.id !== job.id && j.request.provider === job.request.provider && OUT.has(j.state))
      .map((j) => j.nextAt ?? Number.NaN)
      .filter((t) => !Number.isNaN(t))
    return alignedPollAt(at, planned, alignWindow(expected))
  }

  /** When to look again at a job the service is still working on. */
  private nextPoll(job: JobRecord, snap: RemoteSnapshot): number {
    const now = this.o.clock.now()
    const eta = snap.eta ?? job.estimatedCompletion
    const expected = this.o.times.expectedMs(job.request)
    let at: number
    if (eta !== null && eta > now) {
      // Asked early (a poll for another job of the door): look again when it should be done.
      at = eta + FIRST_POLL_MARGIN_MS
      this.pollIntervals.delete(job.id)
    } else {
      const base = expected ?? (eta !== null && job.submittedAt !== null ? eta - job.submittedAt : null)
      const interval = nextInterval(this.pollIntervals.get(job.id), base === null ? undefined : overdueInterval(base))
      this.pollIntervals.set(job.id, interval)
      at = now + interval
    }
    return this.alongside(job, at, expected)
  }

  /**
   * A job seen finished teaches the door and model's generation time, best source first: for a job that ran from
   * the moment it was sent, created → completed on the service's clock (its pick-up included, as a new job will
   * have it); else, for such a job seen finishing within a short look (a tenth of its time), sent → the middle of
   * that look, and with the run time the service reports, the door's pick-up (what the run time leaves out); else the
   * reported run time (fal's inference_time) plus the pick-up learned, from any job, queued ones too; else, for a job
   * that ran at once, sent → seen finished. Never a queued job's whole time (it includes its wait), and never the
   * time seen after a long look where the service says more: that taught fal's door the engine's own polling (a 30 s
   * video seen at 46 s, looked for at 46 s ever after).
   */
  private learn(job: JobRecord, snap: RemoteSnapshot): void {
    const ranAtOnce = this.ranAtOnce.delete(job.id)
    const now = this.o.clock.now()
    const door = job.request.provider
    const looked = this.lastLook.get(job.id)
    const sent = job.submittedAt
    const seen =
      ranAtOnce && sent !== null && looked !== undefined && now - looked <= Math.max(1000, (now - sent) / 10)
        ? (looked + now) / 2 - sent
        : null
    // A pick-up is a moment, not a wait: a job that "ran at once" yet took far longer than its run time waited for a
    // runner after all (one busy with a job cancelled too late, the account used elsewhere), and teaches nothing.
    const pickUp = seen !== null && snap.runMs !== null ? seen - snap.runMs : null
    const waited = pickUp !== null && snap.runMs !== null && pickUp > Math.max(1000, snap.runMs / 4)
    if (ranAtOnce && snap.createdAt !== null && snap.completedAt !== null)
      this.o.times.learn(job.request, snap.completedAt - snap.createdAt)
    else if (seen !== null && !waited)
      this.o.times.learn(job.request, seen, pickUp === null ? null : Math.max(0, pickUp))
    else if (snap.runMs !== null) this.o.times.learn(job.request, snap.runMs + this.o.times.pickUpMs(door))
    else if (ranAtOnce && sent !== null && !waited) this.o.times.learn(job.request, now - sent)
  }

  /**
   * A runner of a door that queues past its limit has freed, at `freedAt` as best known (one of our jobs there
   * finished, failed or went): the jobs queued behind plan their ends again from then (poll-plan.ts replanQueue), and
   * are first looked at then.
   */
  private async replan(door: ProviderId, freedAt: number): Promise<void> {
    const { concurrency } = providerInfo(door).rate
    if (!queues(door) || concurrency === null) return
    const now = this.o.clock.now()
    const out: OutJob[] = []
    for (const j of this.o.store.values()) {
      if (j.request.provider !== door || !OUT.has(j.state)) continue
      const sent = j.submittedAt ?? j.createdAt
      out.push({
        id: j.id,
        submittedAt: sent,
        eta: j.estimatedCompletion,
        // A job this session did not send (before a restart) is taken as running and never moved: only what this
        // session planned is planned again.
        runnerSince: this.runnerSince.get(j.id) ?? (this.queuedBehind.has(j.id) ? null : sent),
        expectedMs: this.o.times.heldMs(j.request),
      })
    }
    for (const [id, plan] of replanQueue(out, concurrency, now, freedAt)) {
      if (plan.runnerSince !== null) {
        this.runnerSince.set(id, plan.runnerSince)
        this.queuedBehind.delete(id)
      }
      const job = this.o.store.get(id)
      if (plan.eta === null || !job || !OUT.has(job.state)) continue
      this.pollIntervals.delete(id)
      this.joinBy.delete(id)
      // Never inside a wait the door asked for (a 429's Retry-After).
      const at = Math.max(firstPollAt(now, plan.eta), this.retryUntil.get(door) ?? 0)
      await this.o.store.transition(job, {
        estimatedCompletion: plan.eta,
        nextAt: this.alongside(job, at, this.o.times.expectedMs(job.request)),
      })
    }
  }

  private context(job: JobRecord, snap: RemoteSnapshot, pollAt: number, label: string): SnapshotContext {
    const taken = (base: string) =>
      [...this.o.store.values()].some((j) => j.output?.file === `${base}.mp4`) ||
      this.o
        .library()
        .all()
        .some((e) => e.file === `${base}.mp4`)
    return {
      now: this.o.clock.now(),
      pollAt,
      retryFailedOnce: this.o.settings().retryFailedOnce,
      label,
      file: () => `${videoBaseName(job.createdAt, job.request.prompt, snap.remoteId, taken)}.mp4`,
    }
  }

  /** Journal a step's patch, then do what it says. */
  private async run(job: JobRecord, step: Step): Promise<JobRecord> {
    const next = await this.o.store.transition(job, step.patch)
    if (step.download) this.o.saving.start(next)
    if (next.state === 'pending') this.o.wake()
    return next
  }

  /** Jobs in these states due now (or within the grouping window), each with its route; held jobs wait. */
  private due(states: JobRecord['state'][]): Array<{ job: JobRecord; route: Reachable }> {
    const now = this.o.clock.now()
    const out: Array<{ job: JobRecord; route: Reachable }> = []
    for (const job of this.o.store.values()) {
      if (!states.includes(job.state) || (job.nextAt ?? 0) > now + GROUP_WINDOW_MS) continue
      if (this.o.holds.note(job)) continue
      const route = this.o.route(job)
      if (!('held' in route)) out.push({ job, route })
    }
    return out
  }

  /** Forget what is kept per job for jobs no longer out (cancelled, lost, removed, back to waiting). */
  private prune(): void {
    for (const ids of [this.runnerSince, this.lastLook, this.joinBy, this.pollIntervals] as Array<Map<string, unknown>>)
      for (const id of ids.keys()) if (!OUT.has(this.o.store.get(id)?.state ?? 'done')) ids.delete(id)
    for (const ids of [this.queuedBehind, this.ranAtOnce])
      for (const id of ids) if (!OUT.has(this.o.store.get(id)?.state ?? 'done')) ids.delete(id)
  }

  async pollDue(): Promise<void> {
    this.prune()
    const due = this.due(['queued', 'processing'])
    for (const [provider, group] of byProvider(due)) {
      const joinAt = this.joinAt(group.map(({ job }) => job))
      if (joinAt !== null) {
        for (const { job } of group) await this.o.store.transition(job, { nextAt: joinAt })
        continue
      }
      for (const { job } of group) this.joinBy.delete(job.id)
      let found: Map<string, RemoteSnapshot | null>
      try {
        found = await provider.get(group.map(({ job }) => ({ remoteId: job.remoteId ?? '', model: job.request.model })))
      } catch (error) {
        const e = asFailure(error)
        this.o.logger.warn('poll failed', { jobs: group.map(({ job }) => job.id), error: e.message, code: e.code })
        const wait = e.retryAfter ? e.retryAfter * 1000 : RETRY_WAIT_MS
        this.retryUntil.set(provider.id, this.o.clock.now() + wait)
        for (const { job } of group) await this.o.store.transition(job, { nextAt: this.o.clock.now() + wait })
        continue
      }
      for (const { job, route } of group) {
        const current = this.o.store.get(job.id)
        // Cancelled or moved meanwhile (the user, a download): this answer is about a job no longer waiting for it.
        if (current?.state !== job.state) continue
        const snap = found.get(job.remoteId ?? '')
        if (snap === undefined) continue
        if (snap === null) {
          const held = this.o.holds.missed(current)
          const next = await this.run(
            current,
            afterLost(current, { serviceUnknown: held !== null, heldNote: held ?? '' }),
          )
          if (!OUT.has(next.state)) await this.replan(next.request.provider, this.o.clock.now())
        } else await this.apply(current, snap, route)
      }
    }
  }

  /**
   * Where one request answers for several jobs (the guide's list, Ark's filter.task_ids, Replicate's list): a poll
   * due now waits for the door's next planned poll when that comes within the join window of when this one first fell
   * due, so the two jobs of a wave sent a moment apart are seen in one request, not two. The time to wait for, or null
   * to ask now. A job waits at most one window in all, however many polls it joins (joinBy keeps when it fell due).
   */
  private joinAt(group: JobRecord[]): number | null {
    const first = group[0]
    if (!first || !providerInfo(first.request.provider).canList) return null
    const now = this.o.clock.now()
    let deadline = Number.POSITIVE_INFINITY
    for (const job of group) {
      let by = this.joinBy.get(job.id)
      if (by === undefined) {
        const expected =
          this.o.times.expectedMs(job.request) ??
          (job.estimatedCompletion !== null && job.submittedAt !== null
            ? job.estimatedCompletion - job.submittedAt
            : null)
        by = (job.nextAt ?? now) + alignWindow(expected)
        this.joinBy.set(job.id, by)
      }
      deadline = Math.min(deadline, by)
    }
    const inGroup = new Set(group.map((j) => j.id))
    let at: number | null = null
    for (const j of this.o.store.values()) {
      if (inGroup.has(j.id) || j.request.provider !== first.request.provider || !OUT.has(j.state)) continue
      const t = j.nextAt
      if (t !== null && t > now + GROUP_WINDOW_MS && t <= deadline && (at === null || t > at)) at = t
    }
    return at
  }

  /** Fold what the service says about a job into its record. */
  async apply(job: JobRecord, snap: RemoteSnapshot, route: Reachable): Promise<void> {
    // An older journal's job the service knows: it belongs there.
    if (!job.service) job = await this.o.store.transition(job, { service: route.service })
    const now = this.o.clock.now()
    let pollAt = now
    const out = snap.phase === 'queued' || snap.phase === 'running'
    // When a finished job freed its runner, as best known: at its expected end where the first look after that end
    // found it finished (it ended by then, and the look's margin covers an end just after it); else when seen (a job
    // seen running after its expected end ended some time before the look that found it finished). Planning from the
    // time seen alone added the look's margin to every wave (150 ms a wave, 0.8 s by the sixth).
    const eta = job.estimatedCompletion
    const looked = this.lastLook.get(job.id) ?? Number.NEGATIVE_INFINITY
    const freedAt = snap.phase === 'succeeded' && eta !== null && looked < eta ? Math.min(now, eta) : now
    if (out) {
      pollAt = this.nextPoll(job, snap)
      this.lastLook.set(job.id, now)
      if (snap.phase === 'running' && queues(job.request.provider) && !this.runnerSince.has(job.id)) {
        this.runnerSince.set(job.id, now)
        this.queuedBehind.delete(job.id)
      }
    } else {
      this.pollIntervals.delete(job.id)
      if (snap.phase === 'succeeded') this.learn(job, snap)
      else this.ranAtOnce.delete(job.id)
      this.lastLook.delete(job.id)
      this.runnerSince.delete(job.id)
      this.queuedBehind.delete(job.id)
    }
    const step = afterSnapshot(job, snap, this.context(job, snap, pollAt, route.provider.info.label))
    if (step.patch.state === 'pending')
      this.o.logger.info('job failed at the service; retrying once with the same parameters', {
        job: job.id,
        remote: job.remoteId,
      })
    await this.run(job, step)
    if (!out) await this.replan(job.request.provider, freedAt)
  }

  /** Lost submissions, looked for in their provider's list; held for the user where there is none (fal). */
  async reconcileDue(): Promise<void> {
    const due = this.due(['outcome-unknown'])
    const { store, clock, logger } = this.o
    for (const [provider, group] of byProvider(due)) {
      if (!provider.list) {
        // Nothing to look in: held for the user (transitions.ts unknownOutcomeNote), never sent again by itself.
        const note = unknownOutcomeNote(providerInfo(provider.id).label)
        for (const { job } of group) if (job.note !== note) await store.transition(job, { nextAt: null, note })
        continue
      }
      let page: RemoteSnapshot[]
      try {
        page = (await provider.list({ limit: 50 })).jobs
      } catch (error) {
        for (const { job } of group) await store.transition(job, { nextAt: clock.now() + 10_000 })
        logger.warn('reconcile: list failed', { error: String(error) })
        continue
      }
      const known = new Set([...store.values()].map((j) => j.remoteId).filter((id): id is string => id !== null))
      for (const { job, route } of group) {
        const match = matchLostSubmission(job, page, known) ?? null
        const tries = match ? 0 : (this.reconcileTries.get(job.id) ?? 0) + 1
        if (match || tries >= RECONCILE_TRIES) this.reconcileTries.delete(job.id)
        else this.reconcileTries.set(job.id, tries)
        const held = match || tries < RECONCILE_TRIES ? null : this.o.holds.missed(job)
        const step = afterReconcile(job, match, {
          now: clock.now(),
          tries,
          serviceUnknown: held !== null,
          heldNote: held ?? '',
        })
        if (match) {
          known.add(match.remoteId)
          logger.info('reconcile: the lost submission did create a job; adopting it', {
            job: job.id,
            remote: match.remoteId,
          })
          await this.apply(await store.transition(job, step.patch), match, route)
          continue
        }
        if (step.patch.state === 'pending')
          logger.info('reconcile: no job was created; submitting again', { job: job.id })
        await this.run(job, step)
      }
    }
  }
}
