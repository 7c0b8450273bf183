// Every failure of a call to a service becomes an ApiError (the port calls it ProviderError) with a stable code (the
// app's codes, port.ts PROVIDER_ERROR, plus a few the transport adds), the service's own code, the HTTP status if
// there was one, and what to do about it.

/** Codes the client adds when the API never answered in its own words. */
export const CLIENT_ERROR = {
  /** Could not reach the service; the request was not sent (safe to retry). */
  network: 'NETWORK_ERROR',
  /** No response headers within the timeout, or the body stalled. */
  timeout: 'TIMEOUT',
  /** A POST whose request went out but whose answer never came: the job may or may not exist. */
  outcomeUnknown: 'OUTCOME_UNKNOWN',
  /** The service answered, but not in the documented shape. */
  malformed: 'MALFORMED_RESPONSE',
  /** The answer was larger than any the API sends (MAX_JSON_BYTES); it was not read whole. */
  tooLarge: 'RESPONSE_TOO_LARGE',
  /** A 3xx: never followed, since it would carry the key elsewhere. */
  redirect: 'UNEXPECTED_REDIRECT',
  /** Retries ran out. */
  retriesExhausted: 'RETRIES_EXHAUSTED',
  /** The call was cancelled by its caller. */
  aborted: 'ABORTED',
} as const

export interface ApiErrorInit {
  code: string
  message: string
  /** The service's own error code or type (Ark's `QuotaExceeded`, fal's `content_policy_violation`). */
  serviceCode?: string | null
  status?: number | null
  retryable?: boolean
  /** Seconds to wait before trying again, when the service said. */
  retryAfter?: number | null
  outcomeUnknown?: boolean
}

export class ApiError extends Error {
  readonly code: string
  readonly serviceCode: string | null
  readonly status: number | null
  readonly retryable: boolean
  readonly retryAfter: number | null
  /** True when a POST may have created a job although no answer arrived (reconcile via the list endpoint). */
  readonly outcomeUnknown: boolean

  constructor(init: ApiErrorInit) {
    super(init.message)
    this.name = 'ApiError'
    this.code = init.code
    this.serviceCode = init.serviceCode ?? null
    this.status = init.status ?? null
    this.retryable = init.retryable ?? false
    this.retryAfter = init.retryAfter ?? null
    this.outcomeUnknown = init.outcomeUnknown ?? false
  }
}

/** Whether the guide says an API error code is worth retrying (429, 5xx, failed generations). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500
}

/** A fallback code for answers that are not in the guide's error format (e.g. a proxy's HTML 502). */
export function codeForStatus(status: number): string {
  if (status === 401) return 'INVALID_API_KEY'
  if (status === 402) return 'INSUFFICIENT_CREDITS'
  if (status === 429) return 'RATE_LIMIT_EXCEEDED'
  if (status === 502 || status === 503 || status === 504) return 'SERVICE_UNAVAILABLE'
  if (status >= 500) return 'INTERNAL_ERROR'
  return `HTTP_${status}`
}
