// The guide's API (or the Sandbox's emulation of it), one typed method per endpoint, over the shared transport
// (../http.ts: retries, limits, timeouts, the key's origin). Only this folder knows the guide's fields and codes.
import { ApiError, codeForStatus, isRetryableStatus } from '../errors'
import { HttpTransport, parseRetryAfter, type TransportOptions } from '../http'
import type { RateLimitSnapshot } from '../rate-limiter'
import {
  errorBodySchema,
  type ImageToVideoRequest,
  type Job,
  type JobPage,
  type JobStatus,
  jobPageSchema,
  jobSchema,
  type SubmitResponse,
  submitResponseSchema,
  type TextToVideoRequest,
  type Webhook,
  webhookListSchema,
  webhookSchema,
} from './wire-types'

export { type ClientEvent, MAX_JSON_BYTES, parseRetryAfter, type RetryPolicy, realClock } from '../http'

export const DEFAULT_BASE_URL = 'https://api.seedance.tv/v1'
/** The free tier's documented limit, used until the service's headers say otherwise. */
export const DEFAULT_REQUESTS_PER_MINUTE = 10

/** The transport's options, with the guide's own base URL, auth scheme, error reader and rate as defaults. */
export type ClientOptions = Omit<TransportOptions, 'baseUrl' | 'scheme' | 'errorFrom' | 'requestsPerMinute'> & {
  baseUrl?: string
}

export interface ListJobsQuery {
  limit?: number
  offset?: number
  status?: JobStatus
}

/** The guide's error body ({error: {code, message, retry_after}}), or a code from the status for anything else. */
export function guideError({
  status,
  headers,
  body,
  now,
}: {
  status: number
  headers: Headers
  body: unknown
  now: number
}): ApiError {
  const parsed = errorBodySchema.safeParse(body)
  let retryAfter = parsed.success ? (parsed.data.error.retry_after ?? null) : null
  retryAfter ??= parseRetryAfter(headers.get('retry-after'), now)
  if (retryAfter === null && status === 429) {
    const reset = Number(headers.get('x-ratelimit-reset'))
    if (reset > 0) retryAfter = Math.max(1, Math.ceil(reset - now / 1000))
  }
  const code = parsed.success ? parsed.data.error.code : codeForStatus(status)
  return new ApiError({
    code,
    serviceCode: parsed.success ? parsed.data.error.code : null,
    status,
    message: parsed.success ? parsed.data.error.message : `The service answered HTTP ${status}.`,
    retryable: isRetryableStatus(status),
    retryAfter,
  })
}

export class SeedanceClient {
  readonly baseUrl: string
  private readonly http: HttpTransport

  constructor(options: ClientOptions) {
    this.http = new HttpTransport({
      ...options,
      baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
      requestsPerMinute: DEFAULT_REQUESTS_PER_MINUTE,
      errorFrom: guideError,
    })
    this.baseUrl = this.http.baseUrl
  }

  /** What the service last said about its rate limit. */
  rateLimit(): RateLimitSnapshot | null {
    return this.http.rateLimit()
  }

  generateTextToVideo(request: TextToVideoRequest, signal?: AbortSignal): Promise<SubmitResponse> {
    return this.http.call('POST', '/generate/text-to-video', submitResponseSchema, request, signal)
  }

  generateImageToVideo(request: ImageToVideoRequest, signal?: AbortSignal): Promise<SubmitResponse> {
    return this.http.call('POST', '/generate/image-to-video', submitResponseSchema, request, signal)
  }

  getJob(jobId: string, signal?: AbortSignal): Promise<Job> {
    return this.http.call('GET', `/jobs/${encodeURIComponent(jobId)}`, jobSchema, undefined, signal)
  }

  listJobs(query: ListJobsQuery = {}, signal?: AbortSignal): Promise<JobPage> {
    const params = new URLSearchParams()
    if (query.limit !== undefined) params.set('limit', String(query.limit))
    if (query.offset !== undefined) params.set('offset', String(query.offset))
    if (query.status !== undefined) params.set('status', query.status)
    const qs = params.size ? `?${params}` : ''
    return this.http.call('GET', `/jobs${qs}`, jobPageSchema, undefined, signal)
  }

  createWebhook(request: { url: string; events?: string[]; secret: string }, signal?: AbortSignal): Promise<Webhook> {
    return this.http.call('POST', '/webhooks', webhookSchema, request, signal)
  }

  async listWebhooks(signal?: AbortSignal): Promise<Webhook[]> {
    return (await this.http.call('GET', '/webhooks', webhookListSchema, undefined, signal)).webhooks
  }

  async deleteWebhook(webhookId: string, signal?: AbortSignal): Promise<void> {
    await this.http.call('DELETE', `/webhooks/${encodeURIComponent(webhookId)}`, null, undefined, signal)
  }
}
