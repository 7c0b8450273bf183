// Replicate's error bodies and failed predictions, in the app's codes (port.ts PROVIDER_ERROR). Replicate answers
// errors with `{"detail": ...}` (C3); `title`, `status` and a 422's `invalid_fields` are read when present.
import { ApiError } from '../errors'
import { type ErrorReader, parseRetryAfter } from '../http'
import { PROVIDER_ERROR } from '../port'
import { errorBodySchema } from './wire-types'

/** The input fields that carry images: a 422 naming one is INVALID_IMAGE. */
const IMAGE_FIELDS = /(^|\.)(image|last_frame_image)\b/

/** "Your rate limit resets in ~30s." (C3): a wait in the words when no Retry-After came. */
function waitFromDetail(detail: string | undefined): number | null {
  const m = /resets in ~?\s*(\d+)\s*s/i.exec(detail ?? '')
  return m ? Number(m[1]) : null
}

/**
 * Non-2xx answers. `notFound`: what a 404 means where it was asked (a create: the model; elsewhere: the prediction).
 */
export function replicateError(notFound: string): ErrorReader {
  return ({ status, headers, body, now }) => {
    const parsed = errorBodySchema.safeParse(body)
    const b = parsed.success ? parsed.data : {}
    const detail = b.detail?.trim() || b.title || `Replicate answered HTTP ${status}.`
    const serviceCode = b.title ?? null
    const base = { status, serviceCode, message: detail }
    if (status === 401 || status === 403) return new ApiError({ ...base, code: PROVIDER_ERROR.auth })
    if (status === 402) return new ApiError({ ...base, code: PROVIDER_ERROR.noCredits })
    if (status === 404) return new ApiError({ ...base, code: notFound })
    if (status === 429) {
      const retryAfter = parseRetryAfter(headers.get('retry-after'), now) ?? waitFromDetail(b.detail)
      return new ApiError({ ...base, code: PROVIDER_ERROR.slowDown, retryable: true, retryAfter })
    }
    if (status === 422 || status === 400) {
      const fields = (b.invalid_fields ?? []).map((f) => f.field ?? '')
      const text = `${detail} ${fields.join(' ')}`
      const code =
        fields.some((f) => IMAGE_FIELDS.test(f)) || /\b(last_frame_)?image\b/.test(text)
          ? PROVIDER_ERROR.invalidImage
          : fields.some((f) => /(^|\.)prompt$/.test(f)) || /\bprompt\b/.test(detail)
            ? PROVIDER_ERROR.invalidPrompt
            : PROVIDER_ERROR.invalidRequest
      return new ApiError({ ...base, code })
    }
    if (status >= 500)
      return new ApiError({
        ...base,
        code: PROVIDER_ERROR.unavailable,
        retryable: true,
        retryAfter: parseRetryAfter(headers.get('retry-after'), now),
      })
    return new ApiError({ ...base, code: PROVIDER_ERROR.invalidRequest })
  }
}

/**
 * A failed prediction's `error` string → the app's code. Rule (CHOSEN; Replicate documents no error codes for
 * Seedance, C3 only says moderation failures arrive here): Replicate's sensitive-content error E005 ("The input or
 * output was flagged as sensitive"), or words of moderation (flagged, sensitive, nsfw, safety, moderation, content
 * policy) → CONTENT_POLICY; anything else → JOB_FAILED. The service's own code (`E005`) is kept when it gives one.
 */
export function failureOf(error: unknown): { code: string; message: string; serviceCode: string | null } {
  const text = typeof error === 'string' ? error : error == null ? '' : JSON.stringify(error)
  const serviceCode = /\b(E\d{3,4})\b/.exec(text)?.[1] ?? null
  const moderated =
    serviceCode === 'E005' ||
    /\b(flagged|sensitive|nsfw|safety (checker|filter|system)|moderat\w*|content polic\w*)\b/i.test(text)
  return {
    code: moderated ? PROVIDER_ERROR.contentPolicy : PROVIDER_ERROR.jobFailed,
    message: text || 'The prediction failed at Replicate (no reason given).',
    serviceCode,
  }
}
