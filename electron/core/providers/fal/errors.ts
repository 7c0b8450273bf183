// fal's error answers in the app's codes (docs.fal.ai/errors; fal.ai/docs/documentation/model-apis/request-errors;
// fal-js 1.10.1 src/response.ts). Two readers: one for calls whose failure is passing (submit, status, cancel), one
// for a COMPLETED request's result, whose error is the request's outcome.
import { ApiError, codeForStatus, isRetryableStatus } from '../errors'
import { type ErrorReader, parseRetryAfter } from '../http'
import { PROVIDER_ERROR } from '../port'
import {
  CANCEL_STATUS,
  CLIENT_CANCELLED,
  CONTENT_POLICY,
  cancelAnswerSchema,
  ERROR_TYPE_HEADER,
  RETRYABLE_HEADER,
  requestErrorSchema,
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
    return make(/balance|locked|billing/i.test(detail ?? '') ? PROVIDER_ERROR.noCredits : PROVIDER_ERROR.auth, {
      retryable: false,
    })
  if (status === 429) return make(PROVIDER_ERROR.slowDown, { retryable: true })
  if (status === 404) return make(PROVIDER_ERROR.jobNotFound, { retryable: false })
  if (errorType === CLIENT_CANCELLED) return make(PROVIDER_ERROR.jobFailed, { retryable: false })
  if (status >= 500) return make(PROVIDER_ERROR.unavailable)
  if (status === 400 || status === 422) return make(PROVIDER_ERROR.invalidRequest, { retryable: false })
  return make(codeForStatus(status))
}

/** Answers about the caller, not the request: never a request's outcome. */
const NOT_OUTCOME = new Set([401, 403, 404, 429])

/**
 * A finished request's result errors are its outcome, not a passing fault: fal's typed errors and every other 4xx
 * (a 422 whose `detail` is a plain string too, which fal-js response.ts also allows). They are read once (a retry
 * would get the same answer), so a stored 503 never loops. Untyped 5xx (a proxy's 502) stay retryable.
 */
export const outcomeError: ErrorReader = (answer) => {
  const error = falError(answer)
  const typed = error.serviceCode !== null || (answer.status >= 400 && answer.status < 500)
  return typed && !NOT_OUTCOME.has(answer.status)
    ? new ApiError({
        code: error.code,
        serviceCode: error.serviceCode,
        status: error.status,
        message: error.message,
        retryable: false,
      })
    : error
}

/** Whether a result call's failure is the request's own outcome (outcomeError made it final), not a passing fault. */
export function isOutcome(error: unknown): error is ApiError {
  return (
    error instanceof ApiError &&
    error.status !== null &&
    error.status >= 400 &&
    !error.retryable &&
    !NOT_OUTCOME.has(error.status)
  )
}
