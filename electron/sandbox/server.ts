// The Sandbox: a local service that speaks the Seedance HTTP API (see the API guide) and renders real
// H.264 videos, so the app and the CLI work with no key and no network, and every test talks real HTTP.
// It listens on loopback only.
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { createFileHandler } from '../node/serve-file'
import type { ProviderId } from '../shared/providers'
import { isLoopbackHost } from '../shared/service-url'
import { DOOR_PATHS, type DoorContext, makeLimiterFactory } from './doors/door'
import { DOORS } from './doors/index'
import { ApiFailure, badRequest } from './errors'
import { loadImage, prepareCanvas } from './image-source'
import { JOB_STATUSES, type JobMode, type JobStatus, JobStore } from './jobs'
import { defaultSandboxOptions, type SandboxOptions } from './options'
import type { OutboundPolicy } from './outbound'
import { FixedWindowLimiter, type RateDecision } from './rate-limit'
import { RenderPool } from './render/pool'
import { mulberry32 } from './render/rng'
import { UrlSigner } from './signed-urls'
import { creditsFor, frameSize, nearestAspect, validateImageRequest, validateTextRequest } from './validation'
import { checkWebhookTarget, parseWebhookRequest, WebhookRegistry } from './webhooks'

export interface Sandbox {
  /** e.g. http://127.0.0.1:8787 */
  origin: string
  /** The API base URL clients use: origin + /v1 (/api/v1 works too). */
  baseUrl: string
  apiKey: string
  /** Each door's base URL (issue 10): the guide's at /v1, Ark's at /ark/api/v3, fal's at /fal, Replicate's at /replicate/v1. */
  doors: Record<ProviderId, { baseUrl: string; apiKey: string }>
  options: SandboxOptions
  /** Remaining credits. */
  credits(): number
  /** How long jobs created from now on take to generate (seconds): tests hold a job in `processing` this way. */
  setGenerationSeconds(range: { min: number; max: number }): void
  close(): Promise<void>
}

const MAX_BODY = 15 * 1024 * 1024 // a 10 MB image as base64, plus the other fields
/** How much of an oversized body is read and discarded so the sender sees the 413; past it, the connection is cut. */
const DRAIN_LIMIT = 64 * 1024 * 1024
const API_PREFIXES = ['/api/v1', '/v1']

type Json = Record<string, unknown> | unknown[]
interface Answer {
  status: number
  body?: Json
  headers?: Record<string, string>
}

function tooLarge(): ApiFailure {
  return new ApiFailure(413, 'REQUEST_TOO_LARGE', `The request body is larger than ${MAX_BODY / 1024 / 1024} MB.`)
}

/**
 * Read a JSON body of at most MAX_BODY bytes. Past the limit it stops keeping bytes and answers 413 at once;
 * the sender is then drained (up to DRAIN_LIMIT) so it reads that answer instead of a reset (issue 9).
 */
function readBody(req: http.IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length']) > MAX_BODY) return reject(tooLarge())
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY) {
        req.off('data', onData)
        chunks.length = 0
        reject(tooLarge())
        return
      }
      chunks.push(chunk)
    }
    req.on('data', onData)
    req.on('end', () => {
      if (size > MAX_BODY) return
      const text = Buffer.concat(chunks).toString('utf8')
      if (!text.trim()) return resolve(undefined)
      try {
        resolve(JSON.parse(text))
      } catch {
        reject(badRequest('INVALID_REQUEST', 'The request body is not valid JSON.'))
      }
    })
    req.on('error', reject)
  })
}

/** After answering early (413, 401 before the body was read): discard what the client still sends (at most DRAIN_LIMIT, then the connection is cut). */
function drain(req: http.IncomingMessage): void {
  if (req.readableEnded || req.destroyed) return
  let discarded = 0
  req.on('data', (chunk: Buffer) => {
    discarded += chunk.length
    if (discarded > DRAIN_LIMIT) req.socket.destroy()
  })
  req.resume()
}

function bearer(req: http.IncomingMessage): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')
  return m ? (m[1] as string) : null
}

function intParam(value: string | null, name: string, def: number, min: number, max: number): number {
  if (value === null) return def
  const n = Number(value)
  if (!Number.isInteger(n) || n < min || n > max) {
    throw badRequest('INVALID_REQUEST', `${name} must be a whole number from ${min} to ${max} (got "${value}").`)
  }
  return n
}

export async function startSandbox(overrides: Partial<SandboxOptions> = {}): Promise<Sandbox> {
  const options: SandboxOptions = { ...defaultSandboxOptions(), ...overrides }
  options.faults = { ...defaultSandboxOptions().faults, ...overrides.faults }
  // Our own copy: the job store reads it at each job's creation, and setGenerationSeconds changes it.
  options.genSeconds = { ...options.genSeconds }
  if (!isLoopbackHost(options.host)) {
    throw new Error(`The Sandbox listens on loopback only (127.0.0.1, ::1 or localhost), not ${options.host}`)
  }
  const now = options.now
  const random = mulberry32(options.seed)
  // Fetches made for a client (image_url, webhooks) reach public addresses only, unless allowed for tests.
  const policy: OutboundPolicy = { allowPrivate: options.allowPrivateUrls }
  const ownedDir = options.outputDir === null
  const outputDir = options.outputDir ?? (await mkdtemp(path.join(os.tmpdir(), 'seedance-sandbox-')))
  const pool = new RenderPool(options.renderWorkers ?? undefined)
  const signer = new UrlSigner(randomBytes(32))
  const limiter = new FixedWindowLimiter(options.requestsPerMinute, now, options.rateWindowSeconds * 1000)
  const webhooks = new WebhookRegistry(
    {
      retryBaseMs: options.webhookRetryBaseMs,
      maxAttempts: options.webhookMaxAttempts,
      timeoutMs: 10_000,
      log: options.log,
      policy,
    },
    now,
  )
  let credits = options.credits
  let origin = ''
  const jobs = new JobStore({
    now,
    random,
    pool,
    outputDir,
    signer,
    baseUrl: () => origin,
    webhooks,
    genSeconds: options.genSeconds,
    jobFailureRate: options.faults.jobFailureRate,
    urlTtlSeconds: options.urlTtlSeconds,
    retentionSeconds: options.retentionSeconds,
    refund: (n) => {
      credits += n
    },
    log: options.log,
  })
  const files = createFileHandler({ root: outputDir })
  const doorContext: DoorContext = {
    options,
    now,
    random,
    jobs,
    policy,
    readBody,
    fileUrls: (job, ttlSeconds) => jobs.fileUrls(job, ttlSeconds),
    limiter: makeLimiterFactory(options),
    spend(amount) {
      if (amount > credits) return false
      credits -= amount
      return true
    },
    unavailable: () => random() < options.faults.unavailableRate,
    dropAfterCreate: () => random() < options.faults.dropAfterCreateRate,
    log: (line) => options.log?.(line),
  }

  async function generate(owner: string, mode: JobMode, body: unknown, req: http.IncomingMessage): Promise<Answer> {
    let image: Awaited<ReturnType<typeof prepareCanvas>> | undefined
    let params: ReturnType<typeof validateTextRequest>
    if (mode === 'text-to-video') {
      params = validateTextRequest(body)
    } else {
      const v = validateImageRequest(body)
      const loaded = await loadImage(v.source, options.imageFetchTimeoutMs, policy)
      params = {
        ...v.params,
        aspect_ratio: v.params.aspect_ratio ?? nearestAspect(loaded.info.width, loaded.info.height),
      }
      const size = frameSize(params.resolution, params.aspect_ratio ?? '16:9')
      image = await prepareCanvas(loaded.data, size.width, size.height, params.motion_intensity ?? 0.5)
    }
    const aspect = params.aspect_ratio ?? '16:9'
    const active = jobs.active(owner)
    if (active.length >= options.maxConcurrentJobs) {
      const soonest = Math.min(...active.map((j) => j.estimatedAt))
      const wait = Math.max(1, Math.ceil((soonest - now()) / 1000))
      throw new ApiFailure(
        429,
        'RATE_LIMIT_EXCEEDED',
        `Concurrent job limit reached (${options.maxConcurrentJobs} active). Retry after ${wait} seconds.`,
        wait,
      )
    }
    const cost = creditsFor(params.duration, params.resolution)
    if (cost > credits) {
      throw new ApiFailure(402, 'INSUFFICIENT_CREDITS', `This job needs ${cost} credits; ${credits} remain.`)
    }
    credits -= cost
    const job = jobs.create(
      owner,
      mode,
      { ...params, aspect_ratio: aspect },
      frameSize(params.resolution, aspect),
      cost,
      image,
    )
    if (random() < options.faults.dropAfterCreateRate) {
      options.log?.(`${job.id}: dropping the connection after creating the job (injected fault)`)
      req.socket.destroy()
      return { status: 0 }
    }
    const r = jobs.resource(job)
    return {
      status: 200,
      body: {
        job_id: job.id,
        status: r.status,
        created_at: r.created_at,
        estimated_completion: r.estimated_completion,
        credits_used: cost,
      },
    }
  }

  async function route(
    owner: string,
    method: string,
    route: string,
    url: URL,
    req: http.IncomingMessage,
  ): Promise<Answer> {
    const parts = route.split('/').filter(Boolean)
    const allow = (...methods: string[]) => {
      if (!methods.includes(method))
        throw new ApiFailure(
          405,
          'METHOD_NOT_ALLOWED',
          `${method} is not allowed on ${route}; use ${methods.join(' or ')}.`,
        )
    }
    if (
      parts[0] === 'generate' &&
      parts.length === 2 &&
      (parts[1] === 'text-to-video' || parts[1] === 'image-to-video')
    ) {
      allow('POST')
      return generate(owner, parts[1], await readBody(req), req)
    }
    if (parts[0] === 'jobs' && parts.length === 1) {
      allow('GET')
      const limit = intParam(url.searchParams.get('limit'), 'limit', 20, 1, 100)
      const offset = intParam(url.searchParams.get('offset'), 'offset', 0, 0, 1_000_000)
      const statusParam = url.searchParams.get('status')
      if (statusParam !== null && !(JOB_STATUSES as readonly string[]).includes(statusParam)) {
        throw badRequest('INVALID_REQUEST', `status must be one of ${JOB_STATUSES.join(', ')} (got "${statusParam}").`)
      }
      const all = jobs.list(owner, statusParam as JobStatus | null)
      const page = all.slice(offset, offset + limit)
      return {
        status: 200,
        body: {
          jobs: page.map((j) => jobs.resource(j)),
          total: all.length,
          limit,
          offset,
          has_more: offset + page.length < all.length,
        },
      }
    }
    if (parts[0] === 'jobs' && parts.length === 2) {
      allow('GET')
      const job = jobs.get(owner, parts[1] as string)
      if (!job) throw new ApiFailure(404, 'JOB_NOT_FOUND', `No job ${parts[1]} in this account.`)
      return { status: 200, body: jobs.resource(job) as unknown as Json }
    }
    if (parts[0] === 'webhooks' && parts.length === 1) {
      allow('GET', 'POST')
      if (method === 'GET')
        return { status: 200, body: { webhooks: webhooks.list(owner).map(WebhookRegistry.resource) } }
      const body = await readBody(req)
      if (typeof body !== 'object' || body === null || Array.isArray(body))
        throw badRequest('INVALID_REQUEST', 'The request body must be a JSON object.')
      const spec = parseWebhookRequest(body as Record<string, unknown>)
      await checkWebhookTarget(spec.url, policy)
      const hook = webhooks.add(owner, spec)
      return { status: 201, body: WebhookRegistry.resource(hook) as unknown as Json }
    }
    if (parts[0] === 'webhooks' && parts.length === 2) {
      allow('DELETE')
      if (!webhooks.remove(owner, parts[1] as string))
        throw new ApiFailure(404, 'WEBHOOK_NOT_FOUND', `No webhook ${parts[1]}.`)
      return { status: 204 }
    }
    throw new ApiFailure(404, 'NOT_FOUND', `No endpoint ${method} ${route}.`)
  }

  function send(res: http.ServerResponse, answer: Answer, rate: RateDecision | null): void {
    if (answer.status === 0 || res.destroyed) return
    const headers: Record<string, string> = { 'cache-control': 'no-store', ...answer.headers }
    if (rate) {
      headers['x-ratelimit-limit'] = String(rate.limit)
      headers['x-ratelimit-remaining'] = String(rate.remaining)
      headers['x-ratelimit-reset'] = String(rate.reset)
    }
    if (answer.body === undefined) {
      res.writeHead(answer.status, headers).end()
      return
    }
    const text = JSON.stringify(answer.body)
    res.writeHead(answer.status, {
      ...headers,
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
    })
    res.end(text)
  }

  function failure(error: unknown): Answer {
    const f =
      error instanceof ApiFailure
        ? error
        : new ApiFailure(500, 'INTERNAL_ERROR', 'The Sandbox hit an unexpected error.')
    if (!(error instanceof ApiFailure)) options.log?.(`internal error: ${(error as Error)?.stack ?? error}`)
    return {
      status: f.status,
      body: f.body(),
      headers: f.retryAfter !== undefined ? { 'retry-after': String(f.retryAfter) } : {},
    }
  }

  async function serveFile(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const m = /^\/files\/([A-Za-z0-9][A-Za-z0-9_-]{0,63})\/(video\.mp4|thumbnail\.jpg|last_frame\.png)$/.exec(
      url.pathname,
    )
    const verdict = m
      ? signer.check(url.pathname, url.searchParams.get('expires'), url.searchParams.get('sig'), now() / 1000)
      : 'invalid'
    const file = m && verdict === 'ok' ? jobs.filePath(m[1] as string, m[2] as string) : null
    if (!m || verdict === 'invalid')
      return send(res, failure(new ApiFailure(403, 'INVALID_SIGNATURE', 'This file URL is not valid.')), null)
    if (verdict === 'expired' || !file) {
      return send(
        res,
        failure(new ApiFailure(410, 'URL_EXPIRED', 'This file URL has expired; fetch the job again for a fresh one.')),
        null,
      )
    }
    const response = await files(
      new Request(`http://sandbox/${m[1]}/${m[2]}`, {
        method: req.method,
        headers: req.headers.range ? { range: req.headers.range } : {},
      }),
    )
    res.writeHead(response.status, Object.fromEntries(response.headers))
    if (response.body) Readable.fromWeb(response.body as import('node:stream/web').ReadableStream).pipe(res)
    else res.end()
  }

  const server = http.createServer(async (req, res) => {
    const started = now()
    const method = req.method ?? 'GET'
    const url = new URL(req.url ?? '/', 'http://sandbox')
    // Downloads of finished files are not API requests: no key, no rate limit (signed URLs instead).
    if (url.pathname.startsWith('/files/')) {
      try {
        await serveFile(req, res, url)
      } catch (error) {
        send(res, failure(error), null)
      }
      return
    }
    const door = DOORS.find((d) => url.pathname === d.prefix || url.pathname.startsWith(`${d.prefix}/`))
    if (door) {
      let answer: Answer
      try {
        if (options.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, options.faults.latencyMs))
        answer = await door.handle(doorContext, req, method, url.pathname.slice(door.prefix.length) || '/', url)
      } catch (error) {
        answer = failure(error)
      }
      send(res, answer, null)
      drain(req)
      options.log?.(`${door.id} ${method} ${url.pathname} → ${answer.status || 'dropped'} (${now() - started} ms)`)
      return
    }
    const prefix = API_PREFIXES.find((p) => url.pathname === p || url.pathname.startsWith(`${p}/`))
    let rate: RateDecision | null = null
    let answer: Answer
    try {
      if (options.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, options.faults.latencyMs))
      if (!prefix)
        throw new ApiFailure(
          404,
          'NOT_FOUND',
          `No endpoint ${method} ${url.pathname}; the API lives under /v1 and /api/v1.`,
        )
      const key = bearer(req)
      const owner = key === options.apiKey ? key : null
      rate = limiter.take(owner ?? `anonymous:${req.socket.remoteAddress}`)
      if (!owner) {
        throw new ApiFailure(
          401,
          'INVALID_API_KEY',
          key ? 'The API key is not valid.' : 'An API key is required: send "Authorization: Bearer <key>".',
        )
      }
      if (!rate.allowed) {
        throw new ApiFailure(
          429,
          'RATE_LIMIT_EXCEEDED',
          `API rate limit exceeded (${rate.limit} requests per ${options.rateWindowSeconds === 60 ? 'minute' : `${options.rateWindowSeconds} s`}). Retry after ${rate.retryAfter} seconds.`,
          rate.retryAfter,
        )
      }
      if (random() < options.faults.unavailableRate) {
        throw new ApiFailure(
          503,
          'SERVICE_UNAVAILABLE',
          'The service is temporarily unavailable (injected fault). Retry with backoff.',
        )
      }
      answer = await route(owner, method, url.pathname.slice(prefix.length) || '/', url, req)
    } catch (error) {
      answer = failure(error)
    }
    send(res, answer, rate)
    drain(req)
    options.log?.(`${method} ${url.pathname} → ${answer.status || 'dropped'} (${now() - started} ms)`)
  })
  // An idle keep-alive connection is kept longer than any client waits between polls: closing it at 5 s raced
  // the guide's Python client, whose first poll comes 5 s after the last answer (a reset now and then). Hosted
  // APIs keep idle connections about a minute; headers must be allowed to arrive for longer than that.
  server.keepAliveTimeout = 65_000
  server.headersTimeout = 66_000

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => resolve())
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  origin = `http://${host}:${address.port}`

  return {
    origin,
    baseUrl: `${origin}/v1`,
    apiKey: options.apiKey,
    doors: Object.fromEntries(
      Object.entries(DOOR_PATHS).map(([id, p]) => [id, { baseUrl: `${origin}${p}`, apiKey: options.apiKey }]),
    ) as Sandbox['doors'],
    options,
    credits: () => credits,
    setGenerationSeconds(range) {
      Object.assign(options.genSeconds, range)
    },
    async close() {
      jobs.close()
      webhooks.close()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      await pool.close()
      // A render that finished just before the pool closed may still be writing its files (ENOTEMPTY on rm).
      await jobs.drained()
      if (ownedDir) await rm(outputDir, { recursive: true, force: true })
    },
  }
}
