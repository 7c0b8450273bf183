// The provider port (issue 10): the one shape through which the engine reaches any door to Seedance. An adapter
// (electron/core/providers/<id>/adapter.ts, with its wire-types.ts) is the only code that knows a service's URLs,
// fields, status names and error codes; everything it answers is normalised to a RemoteSnapshot, and every failure
// to a ProviderError with one of the app's stable codes (the service's own code kept beside it).
import type { GenerationRequest } from '../../shared/model'
import type { ProviderId, ProviderInfo } from '../../shared/providers'
import type { ClientEvent, RetryPolicy } from './http'
import type { LimiterClock } from './rate-limiter'

/** Where a job stands at the service, whatever the service calls it. */
export const REMOTE_PHASES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'expired'] as const
export type RemotePhase = (typeof REMOTE_PHASES)[number]

export interface RemoteCost {
  amount: number
  unit: 'credits' | 'tokens' | 'seconds'
}

/** One job as the service last described it, in the app's words. */
export interface RemoteSnapshot {
  /** The service's id for the job (Ark task id, fal request_id, Replicate prediction id, the guide's job_id). */
  remoteId: string
  phase: RemotePhase
  /** The service's own status word, kept for the log and the detail panel ("IN_QUEUE", "starting"). */
  serviceStatus: string
  /** Why it failed, was cancelled or expired, in the app's code and the service's own; null otherwise. */
  error: { code: string; message: string; serviceCode: string | null } | null
  /** Jobs ahead of it in the service's queue, when the service says (fal). */
  queuePosition: number | null
  /** When the service expects it done (ms since the epoch), when it says. */
  eta: number | null
  /** When it was created and finished at the service (ms), when it says. */
  createdAt: number | null
  completedAt: number | null
  /**
   * How long the service says it spent making the video (ms), its queue wait excluded, when it says (fal's
   * `metrics.inference_time`, Replicate's `metrics.predict_time`): a generation time to learn from any job, even one
   * that waited behind others.
   */
  runMs: number | null
  videoUrl: string | null
  /** Ark's `last_frame_url` when asked for; a thumbnail where the service gives one (the guide). */
  lastFrameUrl: string | null
  thumbnailUrl: string | null
  /** When the video link stops working (ms); null when the service does not say (the provider's linkLifetimeMs applies). */
  linkExpiresAt: number | null
  width: number | null
  height: number | null
  /** The size the service declared for the file, in bytes (the download is capped by it). */
  declaredBytes: number | null
  /** What the job cost, when the service says (Ark's tokens, the guide's credits). */
  cost: RemoteCost | null
  /** The seed the service used, when it echoes it (Ark, fal). */
  seed: number | null
  /**
   * What the job was asked for, when the service echoes it (list answers): a lost submission is matched on it.
   * Absent fields were not echoed.
   */
  echo: {
    prompt?: string
    model?: string
    /** From a prompt alone, or from an image (the guide's list says which). */
    mode?: 'text' | 'image'
    duration?: number
    resolution?: string
    ratio?: string
  } | null
}

/** A request ready to send: the app's request, with the source images read (already checked by prepare). */
export interface ProviderSubmission {
  request: GenerationRequest
  /** The first frame's bytes and MIME type (a file the user gave), or null when it is a URL or a text job. */
  firstFrame: { data: Uint8Array; mime: string } | null
  lastFrame: { data: Uint8Array; mime: string } | null
}

/** A page of the service's jobs, newest first, for reconciling a lost POST and importing an account. */
export interface RemotePage {
  jobs: RemoteSnapshot[]
  /** Pass to the next call for the following page; null at the end. */
  next: string | null
}

export interface KeyCheck {
  /** Rate-limit figures when the service sends them (the guide's X-RateLimit headers). */
  limit: number | null
  remaining: number | null
  resetAt: number | null
}

/**
 * The stable codes every adapter maps its service's errors to (the service's own code is kept in
 * ProviderError.serviceCode). The UI and the CLI act on these, never on a service's words.
 */
export const PROVIDER_ERROR = {
  auth: 'INVALID_API_KEY',
  /** No credits left, or the account is overdue / over its own spend cap. */
  noCredits: 'INSUFFICIENT_CREDITS',
  /** Too many requests: wait and send again (Retry-After when given). */
  slowDown: 'RATE_LIMIT_EXCEEDED',
  /** The service's queue is full (Ark's 120 queued tasks): wait until a job finishes. */
  queueFull: 'QUEUE_FULL',
  invalidPrompt: 'INVALID_PROMPT',
  /** Moderation refused the input (prompt or image) or the output. */
  contentPolicy: 'CONTENT_POLICY',
  invalidImage: 'INVALID_IMAGE',
  /** A request the service refused as invalid for another reason (a setting out of range). */
  invalidRequest: 'INVALID_REQUEST',
  /** The model is not activated for this account, or does not exist. */
  modelNotEnabled: 'MODEL_NOT_ENABLED',
  jobFailed: 'JOB_FAILED',
  jobNotFound: 'JOB_NOT_FOUND',
  /** The job ran out of time at the service (Ark's expired, Replicate's aborted). */
  expired: 'JOB_EXPIRED',
  unavailable: 'SERVICE_UNAVAILABLE',
  /** The model cannot do what was asked (checked before any request). */
  unsupported: 'UNSUPPORTED_SETTING',
  /** Cancel refused: the job is already running (Ark) or finished. */
  notCancellable: 'NOT_CANCELLABLE',
} as const
export type ProviderErrorCode = (typeof PROVIDER_ERROR)[keyof typeof PROVIDER_ERROR]

/** How a cancel went. */
export type CancelOutcome = 'cancelled' | 'requested' | 'already-final'

/**
 * One door to Seedance, bound to one account (key) and one base URL. Instances are cheap; the engine keeps one per
 * provider and endpoint, and polls each job through the instance of the provider it was sent to.
 */
export interface VideoProvider {
  readonly id: ProviderId
  readonly info: ProviderInfo
  /** The base URL this instance talks to (its origin is where the key goes). */
  readonly baseUrl: string
  /**
   * Send a new job. Throws ProviderError: UNSUPPORTED_SETTING (before any request) when the model cannot do what
   * is asked; outcomeUnknown when the request went out but no answer came (never re-sent blindly).
   */
  submit(submission: ProviderSubmission, signal?: AbortSignal): Promise<RemoteSnapshot>
  /**
   * Where jobs stand, several at once where the service allows (Ark's filter.task_ids): a map by remote id; an id
   * the service does not know maps to null. `model` is the job's model where the service needs it in the URL (fal).
   */
  get(
    jobs: ReadonlyArray<{ remoteId: string; model: string }>,
    signal?: AbortSignal,
  ): Promise<Map<string, RemoteSnapshot | null>>
  /** The service's recent jobs, newest first; absent when the service cannot list (fal). */
  list?(query: { limit: number; cursor?: string | null }, signal?: AbortSignal): Promise<RemotePage>
  cancel(job: { remoteId: string; model: string }, signal?: AbortSignal): Promise<CancelOutcome>
  /** Try the key with the cheapest authenticated call; throws ProviderError (INVALID_API_KEY …). */
  checkKey(signal?: AbortSignal): Promise<KeyCheck>
}

/** What an adapter is built with: one account at one address. Each adapter exports `create<Id>Provider(config)`. */
export interface ProviderConfig {
  apiKey: string
  /** The service's base URL (its default, the user's, or the Sandbox's emulation of it). */
  baseUrl: string
  /** The origin the key may go to (issue 9): the transport refuses any other. */
  keyOrigin: string
  /** Ark's region id (shared/providers.ts regions): picks the model ids' form (Volcengine's `doubao-` prefix). */
  region?: string | null
  fetch?: typeof fetch
  clock?: LimiterClock
  random?: () => number
  retry?: Partial<RetryPolicy>
  timeouts?: { headersMs?: number; bodyStallMs?: number }
  /** Requests per minute to keep under, when not the provider's documented figure (tests shorten windows). */
  requestsPerMinute?: number
  rateWindowMs?: number
  onEvent?: (event: ClientEvent) => void
}

export type ProviderFactory = (config: ProviderConfig) => VideoProvider

/** Every failure an adapter throws: a stable code (PROVIDER_ERROR or the transport's CLIENT_ERROR) and the service's own. */
export { ApiError as ProviderError, type ApiErrorInit as ProviderErrorInit, CLIENT_ERROR } from './errors'
