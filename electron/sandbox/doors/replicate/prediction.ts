// The Replicate door's predictions: what the door keeps beside the shared job store (the input as sent, cancels,
// the moderation outcome), and the prediction object built from both at the Sandbox's current time (C2, C4).
import { randomBytes } from 'node:crypto'
import type { ModelInfo } from '../../../shared/providers'
import type { SandboxJob } from '../../jobs'
import type { DoorContext } from '../door'

/** C4: inputs, outputs and logs of API predictions are removed 1 h after they finish. */
export const DATA_LIFETIME_MS = 60 * 60 * 1000

/** Replicate's wording for a moderation failure (its error E005). */
export const FLAGGED_ERROR =
  'The input or output was flagged as sensitive. Please try again with different inputs. (E005)'
/** Replicate's wording for an interrupted prediction (the Sandbox's injected failures and render errors). */
export const INTERRUPTED_ERROR = 'Prediction interrupted; please retry (code: PA)'

export interface PredictionMeta {
  model: ModelInfo
  /** The input as the client sent it (echoed until the data is removed). */
  input: Record<string, unknown>
  /** When it was cancelled (starting: not charged; processing: charged for the time used, C2). */
  canceledAt: number | null
  /** The prompt tripped the Sandbox's content policy: the prediction fails with E005 when it finishes. */
  moderated: boolean
  /** The `Cancel-After` deadline (ms), if one was set: not started by then → aborted; running → canceled. */
  deadline: number | null
  /** An aborted prediction's seconds were given back (it is not charged, C2). */
  refunded: boolean
}

/** Replicate's id form: 26 lowercase base32 characters ("gm3qorzdhgbfurvjtvhg6dckhu"). */
export function predictionId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567'
  const bytes = randomBytes(26)
  let id = ''
  for (const b of bytes) id += alphabet[b & 31]
  return id
}

type Status = 'starting' | 'processing' | 'succeeded' | 'failed' | 'canceled' | 'aborted'

interface State {
  status: Status
  startedAt: number | null
  completedAt: number | null
  error: string | null
}

/** Where a prediction stands now. */
export function stateOf(ctx: DoorContext, job: SandboxJob, meta: PredictionMeta): State {
  const started = (at: number) => (job.queuedUntil <= at ? job.queuedUntil : null)
  if (meta.canceledAt !== null)
    return { status: 'canceled', startedAt: started(meta.canceledAt), completedAt: meta.canceledAt, error: null }
  const phase = ctx.jobs.status(job)
  const completedAt = ctx.jobs.completedAt(job)
  const { deadline } = meta
  if (deadline !== null && ctx.now() >= deadline && (completedAt === null || completedAt > deadline))
    return job.queuedUntil >= deadline
      ? { status: 'aborted', startedAt: null, completedAt: deadline, error: null }
      : { status: 'canceled', startedAt: job.queuedUntil, completedAt: deadline, error: null }
  switch (phase) {
    case 'queued':
      return { status: 'starting', startedAt: null, completedAt: null, error: null }
    case 'processing':
      return { status: 'processing', startedAt: job.queuedUntil, completedAt: null, error: null }
    case 'failed':
      return { status: 'failed', startedAt: job.queuedUntil, completedAt, error: INTERRUPTED_ERROR }
    case 'completed':
      return meta.moderated
        ? { status: 'failed', startedAt: job.queuedUntil, completedAt, error: FLAGGED_ERROR }
        : { status: 'succeeded', startedAt: job.queuedUntil, completedAt, error: null }
    default:
      return { status: 'canceled', startedAt: null, completedAt: job.createdAt, error: null }
  }
}

export const isFinal = (status: Status) => status !== 'starting' && status !== 'processing'

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

/** The full prediction object (index.d.ts `Prediction`), its URLs on `base` (the door's base URL as asked). */
export function predictionObject(
  ctx: DoorContext,
  job: SandboxJob,
  meta: PredictionMeta,
  base: string,
): Record<string, unknown> {
  const s = stateOf(ctx, job, meta)
  if (s.status === 'aborted' && !meta.refunded) {
    // Not charged (C2): the seconds taken at create go back (spend takes from the balance; a negative gives).
    meta.refunded = true
    ctx.spend(-job.credits)
  }
  const now = ctx.now()
  const removed = s.completedAt !== null && now > s.completedAt + DATA_LIFETIME_MS
  let output: string | null = null
  if (s.status === 'succeeded' && !removed && s.completedAt !== null) {
    // The link lives until the data is removed, 1 h after completion, however late it is asked for.
    const ttl = Math.max(1, Math.floor((s.completedAt + DATA_LIFETIME_MS - now) / 1000))
    output = ctx.fileUrls(job, ttl).video
  }
  const { params } = job
  const logs = [
    `Generating a ${params.duration} s ${params.resolution} ${params.aspect_ratio} video (${job.width}×${job.height}, 24 fps)`,
    ...(s.status === 'succeeded' ? ['Video saved.'] : []),
  ]
  return {
    id: job.id,
    model: meta.model.id,
    // Official models answer without a public version id.
    version: 'hidden',
    source: 'api',
    status: s.status,
    input: removed ? {} : meta.input,
    output,
    error: s.error,
    logs: removed || s.startedAt === null ? '' : `${logs.join('\n')}\n`,
    metrics:
      s.completedAt !== null && s.startedAt !== null
        ? { predict_time: (s.completedAt - s.startedAt) / 1000, total_time: (s.completedAt - job.createdAt) / 1000 }
        : {},
    // No `stream` URL: Seedance answers with a file, not a stream. `web` is where a real prediction's page lives.
    urls: {
      get: `${base}/predictions/${job.id}`,
      cancel: `${base}/predictions/${job.id}/cancel`,
      web: `https://replicate.com/p/${job.id}`,
    },
    created_at: iso(job.createdAt),
    started_at: iso(s.startedAt),
    completed_at: iso(s.completedAt),
    data_removed: removed,
  }
}
