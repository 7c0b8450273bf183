// The HTTP exchange every adapter uses (issue 10): a key that goes only to its own origin, the service's rate kept
// by a client-side limiter, 429s waited out, 5xx and dropped connections retried with jittered backoff, a POST whose
// answer was lost never re-sent blindly (it may have created a paid job), redirects never followed (they would
// carry the key elsewhere), answers capped at 1 MB and a stalled body cut off. What a service's error bodies mean is
// the adapter's business: it passes `errorFrom`.
import type { z } from 'zod'
import { SERVICE_URL_ERROR, serviceOrigin, serviceUrlProblem } from '../../shared/service-url'
import { ApiError, CLIENT_ERROR, isRetryableStatus } from './errors'
import { ClientRateLimiter, type LimiterClock, type RateLimitSnapshot } from './rate-limiter'

/**
 * The largest JSON answer read (1 MB, issue 9). The services' answers are a few KB (a job list page of 100 is
 * ~50 KB); anything bigger is a broken proxy or a hostile endpoint, and is refused before it fills memory.
 */
export const MAX_JSON_BYTES = 1024 * 1024

export interface RetryPolicy {
  /** Attempts per call for 5xx and network errors (the first try included). */
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
  /** How many 429s a call waits out before giving up with RATE_LIMIT_EXCEEDED. */
  max429Waits: number
}

export interface ClientEvent {
  type: 'response' | 'retry' | 'failure'
  method: string
  path: string
  attempt: number
  status?: number
  code?: string
  delayMs?: number
  durationMs?: number
}

/** What a non-2xx answer means, in the app's codes: each adapter knows its service's error bodies. */
export type ErrorReader = (answer: { status: number; headers: Headers; body: unknown; now: number }) => ApiError

export interface TransportOptions {
  /** The secret sent (redacted from every message). */
  apiKey: string
  baseUrl: string
  /** The Authorization header's scheme: `Bearer` (most) or `Key` (fal). */
  scheme?: 'Bearer' | 'Key'
  /** The service's error bodies, read into ApiErrors (status, code, serviceCode, retryAfter). */
  errorFrom: ErrorReader
  /** Requests per minute the client keeps under until the service's headers say otherwise. */
  requestsPerMinute?: number
  /**
   * The origin the key was saved for. The client refuses any other (issue 9): the engine checks this before
   * building a client, and this is the last line should a caller ever not.
   */
  keyOrigin?: string
  fetch?: typeof fetch
  clock?: LimiterClock
  random?: () => number
  /** Pass null to disable client-side rate limiting (tests of the server's limits). */
  limiter?: ClientRateLimiter | null
  retry?: Partial<RetryPolicy>
  /** Connect + response headers, and the longest pause allowed between body chunks. */
  timeouts?: { headersMs?: number; bodyStallMs?: number }
  /** Every response, retry and failure, for the log. Never carries the key. */
  onEvent?: (event: ClientEvent) => void
}

export const realClock: LimiterClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason)
      const t = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }, ms)
      const onAbort = () => {
        clearTimeout(t)
        reject(signal?.reason)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
    }),
}

/** Error codes of fetch failures that prove nothing reached the service. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'EADDRNOTAVAIL'])

function causeCode(error: unknown): string | undefined {
  let e = error as { code?: unknown; cause?: unknown } | undefined
  for (let depth = 0; e && depth < 4; depth++) {
    if (typeof e.code === 'string') return e.code
    e = e.cause as typeof e
  }
  return undefined
}

/** Seconds from a Retry-After header: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null
  if (/^\d+$/.test(value.trim())) return Number(value.trim())
  const date = Date.parse(value)
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - now) / 1000))
}

class BodyTooLarge extends Error {}

class Attempt {
  constructor(
    readonly status: number,
    readonly headers: Headers,
    readonly body: unknown,
  ) {}
}

/** A Retry-After in seconds when a 429 carries none: the rate window's length. */
const DEFAULT_429_WAIT_S = 60

export class HttpTransport {
  readonly baseUrl: string
  private readonly apiKey: string
  private readonly fetchImpl: typeof fetch
  private readonly clock: LimiterClock
  private readonly random: () => number
  private readonly limiter: ClientRateLimiter | null
  private readonly retry: RetryPolicy
  private readonly headersMs: number
  private readonly bodyStallMs: number
  private readonly onEvent: (event: ClientEvent) => void
  private readonly errorReader: ErrorReader
  private readonly authorization: string

  constructor(options: TransportOptions) {
    if (!options.apiKey) throw new ApiError({ code: 'INVALID_API_KEY', message: 'An API key is required.' })
    this.apiKey = options.apiKey
    this.baseUrl = options.baseUrl.replace(/\/+$/, '')
    this.authorization = `${options.scheme ?? 'Bearer'} ${options.apiKey}`
    this.errorReader = options.errorFrom
    // The key rides in a header: https only (plain http to this machine), and only to the origin it is bound to.
    const problem = serviceUrlProblem(this.baseUrl)
    if (problem) throw new ApiError({ code: SERVICE_URL_ERROR.invalid, message: problem })
    if (options.keyOrigin !== undefined && serviceOrigin(this.baseUrl) !== options.keyOrigin)
      throw new ApiError({
        code: SERVICE_URL_ERROR.originMismatch,
        message: `The API key was saved for ${options.keyOrigin}; it is not sent to ${serviceOrigin(this.baseUrl)}.`,
      })
    this.fetchImpl = options.fetch ?? fetch
    this.clock = options.clock ?? realClock
    this.random = options.random ?? Math.random
    this.limiter =
      options.limiter === undefined
        ? new ClientRateLimiter(options.requestsPerMinute ?? 60, this.clock)
        : options.limiter
    this.retry = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 30_000, max429Waits: 5, ...options.retry }
    this.headersMs = options.timeouts?.headersMs ?? 30_000
    this.bodyStallMs = options.timeouts?.bodyStallMs ?? 30_000
    this.onEvent = options.onEvent ?? (() => {})
  }

  /** What the service last said about its rate limit. */
  rateLimit(): RateLimitSnapshot | null {
    return this.limiter?.snapshot() ?? null
  }

  // --- the request loop ---------------------------------------------------------------------------

  private redact(text: string): string {
    return text.split(this.apiKey).join('[redacted]')
  }

  private backoffMs(attempt: number): number {
    // Exponential backoff with full jitter (AWS architecture blog), capped.
    const ceiling = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempt - 1))
    return Math.round(this.random() * ceiling)
  }

  /**
   * One call, retried as its failure allows. `path` is relative to the base URL (with its query string).
   * `schema` checks a 2xx body (null: the body is not read into a value).
   */
  async call<T>(
    method: string,
    path: string,
    schema: z.ZodType<T> | null,
    body?: unknown,
    signal?: AbortSignal,
    headers?: Record<string, string>,
  ): Promise<T> {
    let failures = 0
    let waits429 = 0
    for (let attempt = 1; ; attempt++) {
      let outcome: Attempt | ApiError
      const started = this.clock.now()
      try {
        await this.limiter?.acquire(signal)
        outcome = await this.send(method, path, body, signal, headers)
      } catch (error) {
        if (signal?.aborted)
          throw new ApiError({ code: CLIENT_ERROR.aborted, message: `${method} ${path} was cancelled.` })
        outcome =
          error instanceof ApiError
            ? error
            : new ApiError({ code: CLIENT_ERROR.network, message: this.redact(String(error)) })
      }
      if (outcome instanceof Attempt) {
        this.limiter?.observe(outcome.headers)
        this.onEvent({
          type: 'response',
          method,
          path,
          attempt,
          status: outcome.status,
          durationMs: this.clock.now() - started,
        })
        if (outcome.status < 400) return this.parse(schema, outcome, method, path)
        outcome = this.errorFrom(outcome)
      }
      const error = outcome
      // A rate limit is waited out; a 429 meaning something else (Ark's queue full) is the caller's to handle.
      if (error.status === 429 && error.code === 'RATE_LIMIT_EXCEEDED') {
        waits429 += 1
        const wait = error.retryAfter ?? DEFAULT_429_WAIT_S
        this.limiter?.pause(wait)
        if (waits429 > this.retry.max429Waits) throw error
        this.onEvent({ type: 'retry', method, path, attempt, status: 429, code: error.code, delayMs: wait * 1000 })
        if (!this.limiter) await this.clock.sleep(wait * 1000, signal)
        continue
      }
      failures += 1
      if (!error.retryable || failures >= this.retry.maxAttempts) {
        this.onEvent({ type: 'failure', method, path, attempt, status: error.status ?? undefined, code: error.code })
        if (error.retryable && failures >= this.retry.maxAttempts) {
          throw new ApiError({
            code: error.code,
            serviceCode: error.serviceCode,
            status: error.status,
            message: `${error.message} (gave up after ${failures} attempts)`,
            retryable: true,
            retryAfter: error.retryAfter,
          })
        }
        throw error
      }
      const delay = error.retryAfter !== null ? error.retryAfter * 1000 : this.backoffMs(failures)
      this.onEvent({
        type: 'retry',
        method,
        path,
        attempt,
        status: error.status ?? undefined,
        code: error.code,
        delayMs: delay,
      })
      await this.clock.sleep(delay, signal)
    }
  }

  private parse<T>(schema: z.ZodType<T> | null, attempt: Attempt, method: string, path: string): T {
    if (schema === null) return undefined as T
    const parsed = schema.safeParse(attempt.body)
    if (parsed.success) return parsed.data
    const issue = parsed.error.issues[0]
    const where = issue?.path.length ? issue.path.join('.') : 'body'
    throw new ApiError({
      code: CLIENT_ERROR.malformed,
      status: attempt.status,
      message: `The service answered ${method} ${path} in an unexpected shape (${where}: ${issue?.message ?? 'invalid'}).`,
    })
  }

  private errorFrom(attempt: Attempt): ApiError {
    const error = this.errorReader({
      status: attempt.status,
      headers: attempt.headers,
      body: attempt.body,
      now: this.clock.now(),
    })
    const redacted = this.redact(error.message)
    return redacted === error.message
      ? error
      : new ApiError({
          code: error.code,
          serviceCode: error.serviceCode,
          status: error.status,
          message: redacted,
          retryable: error.retryable,
          retryAfter: error.retryAfter,
          outcomeUnknown: error.outcomeUnknown,
        })
  }

  /** One HTTP exchange with the connect/headers timeout and the body stall timeout. */
  private async send(
    method: string,
    path: string,
    body: unknown,
    outer?: AbortSignal,
    extraHeaders?: Record<string, string>,
  ): Promise<Attempt> {
    const controller = new AbortController()
    const abortOuter = () => controller.abort(outer?.reason)
    outer?.addEventListener('abort', abortOuter, { once: true })
    let timedOut = false
    let timer = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, this.headersMs)
    const isPost = method === 'POST'
    try {
      let response: Response
      try {
        response = await this.fetchImpl(`${this.baseUrl}${path}`, {
          method,
          signal: controller.signal,
          headers: {
            ...extraHeaders,
            authorization: this.authorization,
            accept: 'application/json',
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          body: body !== undefined ? JSON.stringify(body) : undefined,
          // The APIs never redirect; following one would carry the key to wherever it points.
          redirect: 'manual',
        })
      } catch (error) {
        if (outer?.aborted) throw error
        const code = causeCode(error)
        const notSent = code !== undefined && NOT_SENT.has(code)
        if (isPost && !notSent) {
          // The request may have reached the service: the job may exist. Never re-send; reconcile instead.
          throw new ApiError({
            code: CLIENT_ERROR.outcomeUnknown,
            message: `No answer to ${method} ${path} (${timedOut ? 'timed out' : (code ?? 'connection lost')}); the job may have been created.`,
            outcomeUnknown: true,
          })
        }
        throw new ApiError({
          code: timedOut ? CLIENT_ERROR.timeout : CLIENT_ERROR.network,
          message: timedOut
            ? `No answer to ${method} ${path} within ${this.headersMs / 1000} s.`
            : `Could not reach the service at ${new URL(this.baseUrl).host} (${code ?? this.redact((error as Error).message)}).`,
          retryable: true,
        })
      }
      clearTimeout(timer)
      if (response.status >= 300 && response.status < 400) {
        controller.abort()
        throw new ApiError({
          code: CLIENT_ERROR.redirect,
          status: response.status,
          message: `The service answered ${method} ${path} with a redirect (HTTP ${response.status}), which is not followed: check the service address.`,
        })
      }
      const tooLarge = () =>
        new ApiError({
          code: CLIENT_ERROR.tooLarge,
          status: response.status,
          message: `The answer to ${method} ${path} is larger than ${MAX_JSON_BYTES / 1024 / 1024} MB; it was not read.`,
          // A job may have been created behind an unreadable 2xx: reconcile, never re-send (as a cut-off answer).
          retryable: isRetryableStatus(response.status),
          outcomeUnknown: isPost && response.ok,
        })
      if (Number(response.headers.get('content-length')) > MAX_JSON_BYTES) {
        controller.abort()
        throw tooLarge()
      }
      const text = await this.readBody(response, controller, () => {
        timer = setTimeout(() => {
          timedOut = true
          controller.abort()
        }, this.bodyStallMs)
        return () => clearTimeout(timer)
      }).catch((error: unknown) => {
        if (outer?.aborted) throw error
        if (error instanceof BodyTooLarge) throw tooLarge()
        throw new ApiError({
          code:
            isPost && response.ok
              ? CLIENT_ERROR.outcomeUnknown
              : timedOut
                ? CLIENT_ERROR.timeout
                : CLIENT_ERROR.network,
          status: response.status,
          message: `The answer to ${method} ${path} ${timedOut ? `stalled for ${this.bodyStallMs / 1000} s` : 'was cut off'}.`,
          retryable: !(isPost && response.ok),
          outcomeUnknown: isPost && response.ok,
        })
      })
      let json: unknown
      if (text.trim()) {
        try {
          json = JSON.parse(text)
        } catch {
          if (response.ok) {
            throw new ApiError({
              code: CLIENT_ERROR.malformed,
              status: response.status,
              message: `The answer to ${method} ${path} is not JSON.`,
            })
          }
          json = undefined
        }
      }
      return new Attempt(response.status, response.headers, json)
    } finally {
      clearTimeout(timer)
      outer?.removeEventListener('abort', abortOuter)
    }
  }

  /**
   * Read a body, aborting if no bytes arrive for bodyStallMs (undici's own default is 300 s) or once it passes
   * MAX_JSON_BYTES (the connection is dropped there, so the rest is never downloaded).
   */
  private async readBody(response: Response, controller: AbortController, arm: () => () => void): Promise<string> {
    if (!response.body) return ''
    const reader = response.body.getReader()
    const decoder = new TextDecoder()
    let text = ''
    let size = 0
    for (;;) {
      const disarm = arm()
      let chunk: Awaited<ReturnType<typeof reader.read>>
      try {
        chunk = await reader.read()
      } finally {
        disarm()
      }
      if (controller.signal.aborted) throw new Error('aborted')
      if (chunk.done) return text + decoder.decode()
      size += chunk.value.byteLength
      if (size > MAX_JSON_BYTES) {
        controller.abort()
        await reader.cancel().catch(() => undefined)
        throw new BodyTooLarge()
      }
      text += decoder.decode(chunk.value, { stream: true })
    }
  }
}
