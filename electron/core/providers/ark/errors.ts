// Ark's error codes (providers.md A3: VolcanoArkDocs 错误码.md, docs.byteplus.com ModelArk/1299023, ark-cli
// error-codes.md) in the app's stable codes (port.ts PROVIDER_ERROR), the service's own code kept as serviceCode.
import { ApiError } from '../errors'
import type { ErrorReader } from '../http'
import { PROVIDER_ERROR } from '../port'
import { errorBodySchema } from './wire-types'

const RATE_CODES = new Set([
  'ModelAccountRpmRateLimitExceeded',
  'APIAccountRpmRateLimitExceeded',
  'AccountRateLimitExceeded',
  'ServerOverloaded',
])

/**
 * QuotaExceeded means two things (A3): "free quota used up" or "queued task count exceeded". CHOSEN: a message
 * that speaks of the queue or queued tasks is the queue (wait for a job to finish); any other is the quota (no
 * credits: the user must act in the console). The Sandbox's message says "queued tasks".
 */
export function quotaMeansQueue(message: string): boolean {
  return /queue|排队/i.test(message)
}

/** What an Ark error code means in the app's codes; `param` tells an image's fault from another's. */
export function appCode(serviceCode: string, message: string, param: string | null, status: number | null): string {
  const c = serviceCode
  if (c === 'AuthenticationError' || c === 'AccessDenied') return PROVIDER_ERROR.auth
  if (c === 'AccountOverdueError' || c === 'SetLimitExceeded') return PROVIDER_ERROR.noCredits
  if (c.startsWith('RateLimitExceeded') || RATE_CODES.has(c)) return PROVIDER_ERROR.slowDown
  if (c === 'QuotaExceeded') return quotaMeansQueue(message) ? PROVIDER_ERROR.queueFull : PROVIDER_ERROR.noCredits
  if (c === 'InflightBatchsizeExceeded') return PROVIDER_ERROR.queueFull
  if (/^(Input|Output)\w*SensitiveContentDetected/.test(c)) return PROVIDER_ERROR.contentPolicy
  if (c.startsWith('InvalidEndpointOrModel') || c === 'OperationDenied.ServiceNotOpen')
    return PROVIDER_ERROR.modelNotEnabled
  if (c.startsWith('InvalidParameter') || c === 'MissingParameter') {
    const where = `${param ?? ''} ${message}`
    if (/image/i.test(where)) return PROVIDER_ERROR.invalidImage
    if (/\btext\b|prompt/i.test(param ?? '')) return PROVIDER_ERROR.invalidPrompt
    return PROVIDER_ERROR.invalidRequest
  }
  if (c === 'InternalServiceError') return PROVIDER_ERROR.unavailable
  return codeForArkStatus(status)
}

function codeForArkStatus(status: number | null): string {
  if (status === 401 || status === 403) return PROVIDER_ERROR.auth
  if (status === 404) return PROVIDER_ERROR.jobNotFound
  if (status === 429) return PROVIDER_ERROR.slowDown
  if (status !== null && status >= 500) return PROVIDER_ERROR.unavailable
  return PROVIDER_ERROR.invalidRequest
}

/** Ark's error body (or, for a proxy's page, its status) as an ApiError the transport acts on. */
export const arkError: ErrorReader = ({ status, body }) => {
  const parsed = errorBodySchema.safeParse(body)
  if (!parsed.success) {
    const code = codeForArkStatus(status)
    return new ApiError({
      code,
      status,
      message: `Ark answered HTTP ${status}.`,
      retryable: code === PROVIDER_ERROR.slowDown || code === PROVIDER_ERROR.unavailable,
    })
  }
  const { code: serviceCode, message, param } = parsed.data.error
  const code = appCode(serviceCode, message, param ?? null, status)
  return new ApiError({
    code,
    serviceCode,
    status,
    message: param ? `${message} (${param})` : message,
    // A 429 rate code is waited out by the transport (no Retry-After is documented: it waits a window); 5xx and
    // an overloaded server are retried with backoff. A full queue is not: the scheduler waits for a job to end.
    retryable: code === PROVIDER_ERROR.slowDown || code === PROVIDER_ERROR.unavailable,
  })
}

/** A failed task's `error.code`: moderation of the output (or input) is a content-policy failure, all else a failed job. */
export function taskFailureCode(serviceCode: string | null): string {
  if (serviceCode && /^(Input|Output)\w*SensitiveContentDetected/.test(serviceCode)) return PROVIDER_ERROR.contentPolicy
  return PROVIDER_ERROR.jobFailed
}
