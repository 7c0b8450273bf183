// fal.ai's queue API behind the provider port (providers.md B; fal-js 1.10.1 src/queue.ts is the reference client).
// Submit POSTs the raw input to the model's endpoint; a job is then read with status (IN_QUEUE with its position,
// IN_PROGRESS, COMPLETED) and, once COMPLETED, with its result: fal has no FAILED status, a failed request completes
// and its result answers the error. fal cannot list requests (no `list`: a lost POST is reported, never guessed).
import { providerInfo } from '../../../shared/providers'
import { ApiError } from '../errors'
import { HttpTransport, realClock } from '../http'
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
import { falError, isOutcome, outcomeError } from './errors'
import { falInput } from './input'
import {
  CANCEL_STATUS,
  CLIENT_CANCELLED,
  cancelAnswerSchema,
  QUEUE_STATUS,
  requestsPath,
  resultAnswerSchema,
  type StatusAnswer,
  statusAnswerSchema,
  submitAnswerSchema,
} from './wire-types'

/**
 * The model a sent job names, for its request URLs: only its first two segments count (requestsPath), so a job sent
 * with a model the catalog has since dropped is still polled, never stranded.
 */
function appModel(model: string): string {
  if (model.split('/').filter(Boolean).length < 2)
    throw new ProviderError({ code: PROVIDER_ERROR.unsupported, message: `"${model}" is not a fal.ai endpoint id.` })
  return model
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
    runMs: null,
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
    const inference = status.metrics?.inference_time
    const snap: RemoteSnapshot = {
      ...blank(remoteId, status.status),
      phase: 'succeeded',
      // Seconds spent running, its queue wait excluded (B2): what the engine learns a generation time from.
      runMs: typeof inference === 'number' && inference > 0 ? Math.round(inference * 1000) : null,
    }
    try {
      const result = await results.call('GET', requestsPath(model, remoteId), resultAnswerSchema, undefined, signal)
      snap.videoUrl = result.video.url
      snap.declaredBytes = result.video.file_size ?? null
      snap.seed = result.seed ?? null
      return snap
    } catch (error) {
      if (!isOutcome(error)) {
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
      const answers = await Promise.all(jobs.map((j) => getOne(j.remoteId, appModel(j.model), signal)))
      return new Map(jobs.map((j, i) => [j.remoteId, answers[i] ?? null]))
    },

    async cancel(job, signal): Promise<CancelOutcome> {
      try {
        const answer = await api.call(
          'PUT',
          `${requestsPath(appModel(job.model), job.remoteId)}/cancel`,
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
        // Any answer about the request itself (404, or a 400/422 about its id) means the key got past auth; 401/403,
        // a 5xx or no answer at all prove nothing good.
        const aboutRequest = error instanceof ApiError && [400, 404, 422].includes(error.status ?? 0)
        if (!aboutRequest) throw error
      }
      return { limit: null, remaining: null, resetAt: null }
    },
  }
}
