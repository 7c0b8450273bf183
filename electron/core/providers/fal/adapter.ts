// fal.ai's queue API behind the provider port (providers.md B; fal-js 1.10.1 src/queue.ts is the reference client).
// Submit POSTs the raw input to the model's endpoint; a job is then read with status (IN_QUEUE with its position,
// IN_PROGRESS, COMPLETED) and, once COMPLETED, with its result: fal has no FAILED status, a failed request completes
// and its result answers the error. fal cannot list requests (no `list`: a lost POST is reported, never guessed).
import { providerInfo } from '../../../shared/providers'
import { ApiError, codeForStatus, isRetryableStatus } from '../errors'
import { type ErrorReader, HttpTransport, parseRetryAfter, realClock } from '../http'
import {
  type CancelOutcome,
  type KeyCheck,
  PROVIDER_ERROR,
  type ProviderConfig,
  ProviderError,
  type RemoteSnapshot,
  type VideoProvider,
} from '../port'
import { ClientRateLimiter } from '../rate-limiter'
import { falInput, falModel } from './input'
import {
  CANCEL_STATUS,
  CLIENT_CANCELLED,
  CONTENT_POLICY,
  cancelAnswerSchema,
  ERROR_TYPE_HEADER,
  QUEUE_STATUS,
  RETRYABLE_HEADER,
  requestErrorSchema,
  requestsPath,
  resultAnswerSchema,
  type StatusAnswer,
  statusAnswerSchema,
  submitAnswerSchema,
  type ValidationDetail,
  validationErrorSchema,
} from './wire-types'

/** Fields whose errors mean "this image" (the first or last frame). */
const IMAGE_FIELDS = new Set(['image_url', 'end_image_url'])

function field(detail: ValidationDetail): string {
  const loc = detail.loc[0] === 'body' ? detail.loc.slice(1) : detail.loc
  return loc.length ? loc.join('.') : 'body'
}

function detailCode(detail: ValidationDetail): string {
  if (detail.type === CONTENT_POLICY) return PROVIDER_ERROR.contentPolicy
  const name = field(detail).split('.')[0] ?? ''
  if (IMAGE_FIELDS.has(name) || detail.type.startsWith('image_')) return PROVIDER_ERROR.invalidImage
  if (name === 'prompt') return PROVIDER_ERROR.invalidPrompt
  return PROVIDER_ERROR.invalidRequest
}

/**
 * fal's error answers in the app's codes (docs.fal.ai/errors, model-apis/request-errors; fal-js response.ts):
 * a 422 `detail` array (the first content-policy entry wins, else the first), `{detail, error_type}` with
 * X-Fal-Error-Type for infrastructure, `{status}` from cancel, and the status code for the rest.
 */
export const falError: ErrorReader = ({ status, headers, body, now }) => {
  const retryHeader = headers.get(RETRYABLE_HEADER)
  const retryable = retryHeader === null ? isRetryableStatus(status) : retryHeader.toLowerCase() === 'true'
  const retryAfter = parseRetryAfter(headers.get('retry-after'), now)
  const validation = validationErrorSchema.safeParse(body)
  if (validation.success) {
    const details = validation.data.detail
    const main = details.find((d) => d.type === CONTENT_POLICY) ?? (details[0] as ValidationDetail)
    return new ApiError({
      code: detailCode(main),
      serviceCode: main.type,
      status,
      message: details.map((d) => `${field(d)}: ${d.msg}`).join('; '),
      retryable,
      retryAfter,
    })
  }
  const cancel = cancelAnswerSchema.safeParse(body)
  if (cancel.success && Object.values(CANCEL_STATUS).includes(cancel.data.status as never)) {
    const done = cancel.data.status === CANCEL_STATUS.alreadyCompleted
    return new ApiError({
      code: done ? PROVIDER_ERROR.notCancellable : PROVIDER_ERROR.jobNotFound,
      serviceCode: cancel.data.status,
      status,
      message: done ? 'The request has already completed.' : 'fal.ai does not know this request.',
    })
  }
  const request = requestErrorSchema.safeParse(body)
  const detail = request.success ? request.data.detail : null
  const errorType = headers.get(ERROR_TYPE_HEADER) ?? (request.success ? (request.data.error_type ?? null) : null)
  const said = detail ? `fal.ai: ${detail}` : `fal.ai answered HTTP ${status}.`
  const make = (code: string, extra: Partial<{ retryable: boolean }> = {}) =>
    new ApiError({ code, serviceCode: errorType, status, message: said, retryable, retryAfter, ...extra })
  if (status === 401) return make(PROVIDER_ERROR.auth, { retryable: false })
  // 403: a locked account ("User is locked. Reason: Exhausted balance…") or a key without access.
  if (status === 403)
    return make(
      /exhausted balance|locked|balance|billing/i.test(detail ?? '') ? PROVIDER_ERROR.noCredits : PROVIDER_ERROR.auth,
      {
        retryable: false,
      },
    )
  if (status === 429) return make(PROVIDER_ERROR.slowDown, { retryable: true })
  if (status === 404) return make(PROVIDER_ERROR.jobNotFound, { retryable: false })
  if (errorType === CLIENT_CANCELLED) return make(PROVIDER_ERROR.jobFailed, { retryable: false })
  if (status >= 500) return make(PROVIDER_ERROR.unavailable)
  if (status === 400 || status === 422) return make(PROVIDER_ERROR.invalidRequest, { retryable: false })
  return make(codeForStatus(status))
}

/**
 * A finished request's result errors are its outcome, not a passing fault: read them once (a retry would get the same
 * answer), so a stored 503 never loops. Untyped answers (a proxy's 502) stay retryable.
 */
const outcomeError: ErrorReader = (answer) => {
  const error = falError(answer)
  const typed = error.serviceCode !== null && answer.status !== 429 && answer.status !== 401 && answer.status !== 403
  return typed
    ? new ApiError({
        code: error.code,
        serviceCode: error.serviceCode,
        status: error.status,
        message: error.message,
        retryable: false,
      })
    : error
}

/** A request id no one has: checkKey asks its status (404 with the key accepted, 401/403 without). */
const NO_REQUEST = '00000000-0000-0000-0000-000000000000'

function blank(remoteId: string, serviceStatus: string): RemoteSnapshot {
  return {
    remoteId,
    phase: 'queued',
    serviceStatus,
    error: null,
    queuePosition: null,
    eta: null,
    createdAt: null,
    completedAt: null,
    videoUrl: null,
    lastFrameUrl: null,
    thumbnailUrl: null,
    // fal does not say when its CDN links expire (providers.md B4): the provider's linkLifetimeMs applies.
    linkExpiresAt: null,
    width: null,
    height: null,
    declaredBytes: null,
    // No cost in fal's answers (B5): the app estimates it from the catalog.
    cost: null,
    seed: null,
    echo: null,
  }
}

export function createFalProvider(config: ProviderConfig): VideoProvider {
  const info = providerInfo('fal')
  const clock = config.clock ?? realClock
  // One budget for both transports below: they are one client to fal.
  const limiter = new ClientRateLimiter(
    config.requestsPerMinute ?? info.rate.requestsPerMinute,
    clock,
    config.rateWindowMs ?? 60_000,
  )
  const common = {
    apiKey: config.apiKey,
    baseUrl: config.baseUrl,
    keyOrigin: config.keyOrigin,
    scheme: 'Key' as const,
    fetch: config.fetch,
    clock,
    random: config.random,
    retry: config.retry,
    timeouts: config.timeouts,
    onEvent: config.onEvent,
    limiter,
  }
  const api = new HttpTransport({ ...common, errorFrom: falError })
  const results = new HttpTransport({ ...common, errorFrom: outcomeError })

  async function outcome(remoteId: string, model: string, status: StatusAnswer, signal?: AbortSignal) {
    const snap: RemoteSnapshot = { ...blank(remoteId, status.status), phase: 'succeeded' }
    try {
      const result = await results.call('GET', requestsPath(model, remoteId), resultAnswerSchema, undefined, signal)
      snap.videoUrl = result.video.url
      snap.declaredBytes = result.video.file_size ?? null
      snap.seed = result.seed ?? null
      return snap
    } catch (error) {
      if (!(error instanceof ApiError) || error.retryable || error.serviceCode === null) {
        // Request payloads are kept 30 days (B4): a completed request whose result is gone has expired.
        if (error instanceof ApiError && error.status === 404)
          return {
            ...snap,
            phase: 'expired' as const,
            error: { code: PROVIDER_ERROR.expired, message: error.message, serviceCode: null },
          }
        throw error
      }
      if (error.serviceCode === CLIENT_CANCELLED)
        // A request cancelled while queued completes with fal's client_cancelled (499): never run, never billed.
        return { ...snap, phase: 'cancelled' as const, serviceStatus: CLIENT_CANCELLED }
      // Infrastructure failures after the queue's own retries (B3) end the job: JOB_FAILED, fal's type kept.
      const code = error.code === PROVIDER_ERROR.unavailable ? PROVIDER_ERROR.jobFailed : error.code
      return {
        ...snap,
        phase: 'failed' as const,
        error: { code, message: error.message, serviceCode: error.serviceCode },
      }
    }
  }

  async function getOne(remoteId: string, model: string, signal?: AbortSignal): Promise<RemoteSnapshot | null> {
    let status: StatusAnswer
    try {
      status = await api.call(
        'GET',
        `${requestsPath(model, remoteId)}/status?logs=0`,
        statusAnswerSchema,
        undefined,
        signal,
      )
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null
      throw error
    }
    if (status.status === QUEUE_STATUS.completed) return outcome(remoteId, model, status, signal)
    const snap = blank(remoteId, status.status)
    if (status.status === QUEUE_STATUS.queued) snap.queuePosition = status.queue_position ?? null
    // IN_PROGRESS, or a word fal adds later: still going (never failed on a guess).
    else snap.phase = 'running'
    return snap
  }

  return {
    id: 'fal',
    info,
    baseUrl: api.baseUrl,

    async submit(submission, signal) {
      const { endpoint, input } = falInput(submission)
      try {
        const answer = await api.call('POST', `/${endpoint}`, submitAnswerSchema, input, signal)
        return { ...blank(answer.request_id, QUEUE_STATUS.queued), queuePosition: answer.queue_position ?? null }
      } catch (error) {
        if (error instanceof ApiError && error.status === 404)
          throw new ProviderError({
            code: PROVIDER_ERROR.modelNotEnabled,
            serviceCode: error.serviceCode,
            status: 404,
            message: `fal.ai has no endpoint ${endpoint} (${error.message}).`,
          })
        throw error
      }
    },

    async get(jobs, signal) {
      // fal has no grouped status: one request per job, kept in budget by the shared limiter.
      const answers = await Promise.all(jobs.map((j) => getOne(j.remoteId, falModel(j.model).id, signal)))
      return new Map(jobs.map((j, i) => [j.remoteId, answers[i] ?? null]))
    },

    async cancel(job, signal): Promise<CancelOutcome> {
      try {
        const answer = await api.call(
          'PUT',
          `${requestsPath(falModel(job.model).id, job.remoteId)}/cancel`,
          cancelAnswerSchema,
          undefined,
          signal,
        )
        // 202 CANCELLATION_REQUESTED: a queued request is dropped; one already running may still finish and bill (B2).
        if (answer.status === CANCEL_STATUS.alreadyCompleted) return 'already-final'
        return 'requested'
      } catch (error) {
        if (error instanceof ApiError && error.serviceCode === CANCEL_STATUS.alreadyCompleted) return 'already-final'
        throw error
      }
    },

    /**
     * The cheapest authenticated call (CHOSEN, fal has no "who am I" on the queue host): the status of a request id
     * no one has. fal answers 404 once the key is accepted, 401/403 when it is not; nothing is queued or billed.
     */
    async checkKey(signal): Promise<KeyCheck> {
      try {
        await api.call(
          'GET',
          `${requestsPath(info.defaultModel, NO_REQUEST)}/status?logs=0`,
          statusAnswerSchema,
          undefined,
          signal,
        )
      } catch (error) {
        if (!(error instanceof ApiError && error.status === 404)) throw error
      }
      return { limit: null, remaining: null, resetAt: null }
    },
  }
}
