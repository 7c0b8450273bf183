// A prediction (C2) → the port's RemoteSnapshot.
import { PROVIDER_ERROR, type RemotePhase, type RemoteSnapshot } from '../port'
import { failureOf } from './errors'
import type { Prediction, PredictionStatus } from './wire-types'

/** C4: inputs, outputs and files of API predictions are deleted 1 h after they finish. */
export const OUTPUT_LIFETIME_MS = 60 * 60 * 1000

const PHASES: Record<PredictionStatus, RemotePhase> = {
  starting: 'queued',
  processing: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  // Cancelled while starting (not charged) or while processing (charged for the time used, C2).
  canceled: 'cancelled',
  // The deadline passed before it started: not charged (C2).
  aborted: 'expired',
}

const ms = (iso: string | null | undefined): number | null => {
  const t = iso ? Date.parse(iso) : Number.NaN
  return Number.isNaN(t) ? null : t
}

function echoOf(input: Record<string, unknown> | null | undefined, model: string | undefined): RemoteSnapshot['echo'] {
  if (!input && !model) return null
  const echo: NonNullable<RemoteSnapshot['echo']> = {}
  if (model) echo.model = model
  if (typeof input?.prompt === 'string') echo.prompt = input.prompt
  if (typeof input?.duration === 'number') echo.duration = input.duration === -1 ? 0 : input.duration
  if (typeof input?.resolution === 'string') echo.resolution = input.resolution
  if (typeof input?.aspect_ratio === 'string') echo.ratio = input.aspect_ratio
  return echo
}

/** The run time Replicate reports (`metrics.predict_time`, s, C2), else started_at → completed_at; its queue wait excluded. */
function runMs(p: Prediction): number | null {
  const predict = p.metrics?.predict_time
  if (typeof predict === 'number' && predict > 0) return Math.round(predict * 1000)
  const started = ms(p.started_at)
  const completed = ms(p.completed_at)
  return started !== null && completed !== null && completed > started ? completed - started : null
}

export function snapshotOf(p: Prediction): RemoteSnapshot {
  const completedAt = ms(p.completed_at)
  let phase = PHASES[p.status]
  let error: RemoteSnapshot['error'] = null
  let videoUrl = typeof p.output === 'string' ? p.output : null
  if (p.status === 'failed') error = failureOf(p.error)
  if (p.status === 'aborted')
    error = {
      code: PROVIDER_ERROR.expired,
      message: 'The prediction passed its deadline before it started; Replicate does not charge for it.',
      serviceCode: 'aborted',
    }
  if (p.status === 'succeeded' && (p.data_removed === true || videoUrl === null)) {
    // The video was made (and billed), but Replicate has deleted it (C4): nothing is left to download.
    phase = 'expired'
    videoUrl = null
    error = {
      code: PROVIDER_ERROR.expired,
      message:
        p.data_removed === true
          ? 'Replicate deleted this video 1 hour after it finished (its outputs are kept for 1 h only), before it was saved.'
          : 'Replicate says the prediction succeeded but gives no video.',
      serviceCode: p.data_removed === true ? 'data_removed' : null,
    }
  }
  return {
    remoteId: p.id,
    phase,
    serviceStatus: p.status,
    error,
    queuePosition: null,
    eta: null,
    createdAt: ms(p.created_at),
    completedAt,
    runMs: phase === 'succeeded' ? runMs(p) : null,
    videoUrl,
    lastFrameUrl: null,
    thumbnailUrl: null,
    linkExpiresAt: videoUrl !== null && completedAt !== null ? completedAt + OUTPUT_LIFETIME_MS : null,
    width: null,
    height: null,
    declaredBytes: null,
    // No cost field (C2): the app estimates $/s from the catalog. metrics.predict_time (runMs) is runtime only.
    cost: null,
    seed: typeof p.input?.seed === 'number' ? p.input.seed : null,
    echo: echoOf(p.input, p.model),
  }
}
