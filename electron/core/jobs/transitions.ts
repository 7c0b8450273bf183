// What happens to a job when the service answers, written as pure functions (HOUSE-STYLE: record + snapshot → next
// record): no I/O, no clock, no provider. The job manager journals the patch, then does what the step says (start
// the download, pause the queue). Every rule that keeps money safe is here in one place (issue 9): a paid video is
// downloaded, never generated again; a lost submission is never re-sent blindly.
import type { JobRecord } from '../../shared/model'
import { PROVIDER_ERROR, type RemoteSnapshot } from '../providers/port'

export type Patch = Partial<JobRecord>

/** A patch to journal, and what to do once it is journaled. */
export interface Step {
  patch: Patch
  /** The video is ready at the service: download it now (links expire: Replicate's after 1 h). */
  download?: boolean
  /** The queue stops for every job until the user acts (a rejected key, no credits). */
  pause?: { code: string; message: string }
}

/** A failure as the provider port reports it (ProviderError), or anything else thrown. */
export interface FailureLike {
  code: string
  message: string
  retryable?: boolean
  retryAfter?: number | null
  outcomeUnknown?: boolean
}

/** Codes that stop the whole queue: nothing sent can succeed until the user fixes the key or the account. */
export const CODES_THAT_PAUSE: ReadonlySet<string> = new Set([PROVIDER_ERROR.auth, PROVIDER_ERROR.noCredits])

/** Waits when the service said "not now" without saying how long. */
export const RETRY_WAIT_MS = 10_000
export const QUEUE_FULL_WAIT_MS = 30_000
export const RECONCILE_FIRST_MS = 2000
export const RECONCILE_AGAIN_MS = 5000
/** Looks at the service's list before a lost submission is taken as never arrived. */
export const RECONCILE_TRIES = 3

export function failed(job: JobRecord, code: string, message: string): Patch {
  return { state: 'failed', error: { code, message }, nextAt: null, note: null, videoId: job.videoId }
}

/** Back to pending to be sent again, as if it had never been: nothing of the lost attempt is kept. */
function sendAgain(note: string): Patch {
  return { state: 'pending', remoteId: null, estimatedCompletion: null, nextAt: null, output: null, note }
}

export interface SnapshotContext {
  now: number
  /** When to look again while the service is still working on it. */
  pollAt: number
  retryFailedOnce: boolean
  /** The library file name for the video (asked only once it is ready). */
  file: () => string
  /** The provider's name, for notes ("fal.ai"). */
  label: string
}

/** Fold what the service says about a job into its record. */
export function afterSnapshot(job: JobRecord, snap: RemoteSnapshot, ctx: SnapshotContext): Step {
  switch (snap.phase) {
    case 'queued':
    case 'running':
      return {
        patch: {
          state: snap.phase === 'running' ? 'processing' : 'queued',
          estimatedCompletion: snap.eta ?? job.estimatedCompletion,
          nextAt: ctx.pollAt,
          ...(snap.queuePosition !== null
            ? {
                queuePosition: snap.queuePosition,
                note:
                  snap.queuePosition === 0
                    ? `Next in ${ctx.label}'s queue.`
                    : `${snap.queuePosition} job${snap.queuePosition === 1 ? '' : 's'} ahead in ${ctx.label}'s queue.`,
              }
            : snap.phase === 'running'
              ? { note: null, queuePosition: null } // out of the queue: a position note no longer holds
              : {}),
        },
      }
    case 'failed': {
      const code = snap.error?.code ?? PROVIDER_ERROR.jobFailed
      const message = snap.error?.message ?? 'The generation failed.'
      // The guide: JOB_FAILED is worth one retry with the same parameters (a failed generation is not billed).
      if (code === PROVIDER_ERROR.jobFailed && ctx.retryFailedOnce && job.attempts < 2)
        return { patch: sendAgain('The first try failed at the service; trying once more with the same settings.') }
      return { patch: failed(job, code, message) }
    }
    case 'expired':
      return {
        patch: failed(
          job,
          snap.error?.code ?? PROVIDER_ERROR.expired,
          snap.error?.message ?? 'The job ran out of time at the service.',
        ),
      }
    case 'cancelled':
      return {
        patch: {
          state: 'cancelled',
          nextAt: null,
          error: snap.error ? { code: snap.error.code, message: snap.error.message } : null,
          note: `Cancelled at ${ctx.label}.`,
        },
      }
    case 'succeeded': {
      if (!snap.videoUrl)
        return {
          patch: failed(job, 'MALFORMED_RESPONSE', 'The service says the job succeeded but gave no video link.'),
        }
      return {
        download: true,
        patch: {
          state: 'downloading',
          note: null,
          completedAt: snap.completedAt ?? ctx.now,
          credits: snap.cost?.unit === 'credits' ? snap.cost.amount : job.credits,
          cost: snap.cost ?? job.cost ?? null,
          nextAt: null,
          output: {
            videoUrl: snap.videoUrl,
            thumbnailUrl: snap.thumbnailUrl ?? snap.lastFrameUrl,
            file: ctx.file(),
            width: snap.width,
            height: snap.height,
            declaredBytes: snap.declaredBytes,
            // Null when the service does not say: the provider's link lifetime applies (job-policy.ts jobLink).
            expiresAt: snap.linkExpiresAt,
            seed: snap.seed ?? job.request.seed ?? null,
            lastFrameUrl: snap.lastFrameUrl,
          },
        },
      }
    }
  }
}

/** The service accepted the job: record its id (journaled at once), then fold in what it said. */
export function afterSubmit(job: JobRecord, snap: RemoteSnapshot, ctx: SnapshotContext): Step {
  const accepted: Patch = {
    remoteId: snap.remoteId,
    estimatedCompletion: snap.eta,
    credits: snap.cost?.unit === 'credits' ? snap.cost.amount : null,
    cost: snap.cost ?? null,
  }
  const next = afterSnapshot({ ...job, ...accepted }, snap, ctx)
  return { ...next, patch: { ...accepted, ...next.patch } }
}

export interface SubmitErrorContext {
  now: number
  /** The provider can list its jobs, so a lost submission can be looked for (fal cannot). */
  canList: boolean
  label: string
}

/** A note for a lost submission that cannot be looked for: held, with the way out spelled out. */
export function unknownOutcomeNote(label: string): string {
  return `No answer came to the submission, and ${label} cannot list its jobs, so the app cannot tell whether the job was created. Nothing is sent again by itself: look in your ${label} dashboard; Retry sends it again (it may be paid twice), Cancel stops here.`
}

/** The submission failed: wait, pause, hold, or fail, by what the service said. */
export function afterSubmitError(job: JobRecord, e: FailureLike, ctx: SubmitErrorContext): Step {
  if (e.outcomeUnknown) {
    // The POST went out and no answer came: it may have created a paid job. Never re-sent blindly.
    return ctx.canList
      ? {
          patch: {
            state: 'outcome-unknown',
            nextAt: ctx.now + RECONCILE_FIRST_MS,
            note: 'No answer to the submission; checking whether the job was created.',
          },
        }
      : { patch: { state: 'outcome-unknown', nextAt: null, note: unknownOutcomeNote(ctx.label) } }
  }
  // Not sent, or refused: the attempt does not count.
  const notSent = { state: 'pending' as const, attempts: Math.max(0, job.attempts - 1) }
  if (CODES_THAT_PAUSE.has(e.code))
    return {
      patch: { ...notSent, note: e.message, error: { code: e.code, message: e.message } },
      pause: { code: e.code, message: e.message },
    }
  if (e.code === PROVIDER_ERROR.queueFull)
    return {
      patch: {
        ...notSent,
        error: null,
        nextAt: ctx.now + (e.retryAfter ? e.retryAfter * 1000 : QUEUE_FULL_WAIT_MS),
        waitFor: 'queue-full',
        note: `${ctx.label}'s queue is full; waiting for one of your jobs there to finish.`,
      },
    }
  if (e.retryable || e.code === PROVIDER_ERROR.slowDown)
    return {
      patch: {
        ...notSent,
        error: null,
        nextAt: ctx.now + (e.retryAfter !== null && e.retryAfter !== undefined ? e.retryAfter * 1000 : RETRY_WAIT_MS),
        waitFor: e.code === PROVIDER_ERROR.slowDown ? 'rate-limit' : 'retry',
        note: e.code === PROVIDER_ERROR.slowDown ? 'Waiting for the rate limit.' : `Retrying: ${e.message}`,
      },
    }
  return { patch: failed(job, e.code, e.message) }
}

export interface LostContext {
  /** The job's service was not recorded (an older journal): the one asked may not be its own. */
  serviceUnknown: boolean
  /** The note of a job held until its own service is connected. */
  heldNote: string
}

/** The service answered that it does not know the job. */
export function afterLost(job: JobRecord, ctx: LostContext): Step {
  // An older journal's job: perhaps another service's. Never resubmitted nor failed on this answer.
  if (ctx.serviceUnknown) return { patch: { note: ctx.heldNote } }
  // The built-in Sandbox forgets its jobs when the app or CLI quits; its credits are not real.
  if (job.service?.kind === 'sandbox')
    return { patch: sendAgain('The Sandbox restarted and no longer knows this job; submitting it again.') }
  return { patch: failed(job, PROVIDER_ERROR.jobNotFound, `The service no longer knows job ${job.remoteId}.`) }
}

export interface ReconcileContext {
  now: number
  /** Looks at the list so far that did not find it (this one included). */
  tries: number
  serviceUnknown: boolean
  heldNote: string
}

/** A lost submission looked for in the service's list: adopt what it created, look again, or send it again. */
export function afterReconcile(job: JobRecord, match: RemoteSnapshot | null, ctx: ReconcileContext): Step {
  if (match)
    return {
      patch: {
        remoteId: match.remoteId,
        state: 'queued',
        note: null,
        credits: match.cost?.unit === 'credits' ? match.cost.amount : job.credits,
        cost: match.cost ?? job.cost ?? null,
      },
    }
  if (ctx.tries < RECONCILE_TRIES) return { patch: { nextAt: ctx.now + RECONCILE_AGAIN_MS } }
  // Service unknown (older journal): the job may exist elsewhere; sending it again here could pay twice.
  if (ctx.serviceUnknown) return { patch: { note: ctx.heldNote } }
  return {
    patch: {
      state: 'pending',
      attempts: Math.max(0, job.attempts - 1),
      nextAt: null,
      note: 'The lost submission never reached the service; sending it again.',
    },
  }
}

/**
 * A lost submission's job in the service's list: not one this journal knows, asked for the same thing (what the
 * list echoes of it), and created while our POST was in flight (allowing for clock skew and a slow request).
 */
export function matchLostSubmission(
  job: JobRecord,
  candidates: readonly RemoteSnapshot[],
  knownRemoteIds: ReadonlySet<string>,
): RemoteSnapshot | undefined {
  const r = job.request
  const sentAt = job.submittedAt ?? job.updatedAt
  return candidates.find((c) => {
    if (knownRemoteIds.has(c.remoteId)) return false
    const e = c.echo ?? {}
    if (e.prompt !== undefined && e.prompt.trim() !== r.prompt.trim()) return false
    if (e.model !== undefined && e.model !== r.model) return false
    if (e.mode !== undefined && e.mode !== r.mode) return false
    if (e.duration !== undefined && e.duration !== r.duration) return false
    if (e.resolution !== undefined && e.resolution !== r.resolution) return false
    if (e.ratio !== undefined && r.aspectRatio !== null && e.ratio !== r.aspectRatio) return false
    const created = c.createdAt ?? Number.NaN
    return Number.isFinite(created) && created >= sentAt - 30_000 && created <= sentAt + 120_000
  })
}

/** The note of a job the user cancelled, by what the service did with the cancel. */
export function cancelNote(
  job: JobRecord,
  outcome: 'cancelled' | 'requested' | 'already-final' | 'not-sent' | 'not-cancellable' | 'paid',
  label: string,
): string {
  switch (outcome) {
    case 'paid':
      return 'Download stopped. The video is paid for: "Download again" fetches it while the service keeps it, without paying again.'
    case 'not-sent':
      return 'Cancelled before it was sent; nothing was paid.'
    case 'cancelled':
      return `Cancelled at ${label}.`
    case 'requested':
      return `Cancel asked of ${label}; it may still finish there and be billed.`
    case 'already-final':
      return `Stopped tracking: ${label} had already finished job ${job.remoteId}, which may be billed.`
    case 'not-cancellable':
      return `Stopped tracking. ${label} cannot cancel this job now, so it may still finish there and be billed.`
  }
}
