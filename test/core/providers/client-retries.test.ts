import { afterEach, describe, expect, it } from 'vitest'
import { ApiError } from '../../../electron/core/providers/errors'
import { type ClientEvent, parseRetryAfter, SeedanceClient } from '../../../electron/core/providers/seedance/client'
import { FakeClock } from '../../fakes/clock'
import { apiError, drop, hang, job, json, type Script, type ScriptedServer, scriptedServer } from './scripted-server'

let server: ScriptedServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const KEY = 'sk_live_SUPERSECRET_1234'

async function setup(steps: Script[], options: Partial<ConstructorParameters<typeof SeedanceClient>[0]> = {}) {
  server = await scriptedServer(steps)
  const clock = new FakeClock()
  const events: ClientEvent[] = []
  const client = new SeedanceClient({
    apiKey: KEY,
    baseUrl: server.url,
    clock,
    random: () => 0.5,
    limiter: null,
    onEvent: (e) => events.push(e),
    ...options,
  })
  return { client, clock, events, server }
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p
  } catch (e) {
    if (e instanceof ApiError) return e
    throw e
  }
  throw new Error('expected the call to fail')
}

describe('retries', () => {
  it('retries 503 and 5xx with exponential backoff and full jitter, then succeeds', async () => {
    const { client, clock, server } = await setup([
      apiError(503, 'SERVICE_UNAVAILABLE', 'busy'),
      (_q, res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html>Bad gateway</html>'),
      job('job_1', 'processing'),
    ])
    expect((await client.getJob('job_1')).status).toBe('processing')
    expect(server.requests).toHaveLength(3)
    // random() = 0.5: half of 1 s, then half of 2 s.
    expect(clock.sleeps).toEqual([500, 1000])
  })

  it('caps the backoff and gives up after maxAttempts with the last error', async () => {
    const steps = Array.from({ length: 6 }, () => apiError(503, 'SERVICE_UNAVAILABLE', 'down'))
    const { client, clock, server } = await setup(steps, {
      random: () => 1,
      retry: { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 3000 },
    })
    const error = await failure(client.listJobs())
    expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503, retryable: true })
    expect(error.message).toContain('gave up after 5 attempts')
    expect(server.requests).toHaveLength(5)
    expect(clock.sleeps).toEqual([1000, 2000, 3000, 3000])
  })

  it('never retries other 4xx', async () => {
    const { client, server } = await setup([apiError(400, 'INVALID_PROMPT', 'prompt is empty.')])
    const error = await failure(client.generateTextToVideo({ prompt: '' }))
    expect(error).toMatchObject({ code: 'INVALID_PROMPT', status: 400, retryable: false })
    expect(server.requests).toHaveLength(1)
  })

  it.each([
    ['the body retry_after', apiError(429, 'RATE_LIMIT_EXCEEDED', 'slow down', { retry_after: 7 }), 7000],
    ['Retry-After in seconds', apiError(429, 'RATE_LIMIT_EXCEEDED', 'slow down', {}, { 'retry-after': '12' }), 12000],
    [
      'Retry-After as an HTTP date',
      apiError(
        429,
        'RATE_LIMIT_EXCEEDED',
        'slow down',
        {},
        { 'retry-after': new Date(Date.UTC(2026, 10, 26, 12, 0, 20)).toUTCString() },
      ),
      20000,
    ],
    [
      'only X-RateLimit-Reset',
      apiError(
        429,
        'RATE_LIMIT_EXCEEDED',
        'slow down',
        {},
        { 'x-ratelimit-reset': String(Date.UTC(2026, 10, 26, 12, 0, 45) / 1000) },
      ),
      45000,
    ],
  ])('honours %s on a 429, and re-sends a POST it refused', async (_name, step, waitMs) => {
    const { client, clock, server } = await setup([step, job('job_2')])
    const submitted = await client.generateTextToVideo({ prompt: 'lake' })
    expect(submitted.job_id).toBe('job_2')
    expect(clock.sleeps).toEqual([waitMs])
    expect(server.requests.map((r) => r.method)).toEqual(['POST', 'POST'])
  })

  it('gives up on a 429 storm after max429Waits with RATE_LIMIT_EXCEEDED and its retryAfter', async () => {
    const steps = Array.from({ length: 4 }, () => apiError(429, 'RATE_LIMIT_EXCEEDED', 'slow down', { retry_after: 3 }))
    const { client } = await setup(steps, { retry: { max429Waits: 3 } })
    expect(await failure(client.listJobs())).toMatchObject({ code: 'RATE_LIMIT_EXCEEDED', status: 429, retryAfter: 3 })
  })
})

describe('a POST whose answer is lost', () => {
  it('is never re-sent: OUTCOME_UNKNOWN, so the engine reconciles instead of paying twice', async () => {
    const { client, server } = await setup([drop, job('job_dup')])
    const error = await failure(client.generateTextToVideo({ prompt: 'mountains' }))
    expect(error).toMatchObject({ code: 'OUTCOME_UNKNOWN', outcomeUnknown: true, retryable: false })
    expect(server.requests).toHaveLength(1)
  })

  it('is OUTCOME_UNKNOWN too when the answer does not come in time', async () => {
    const { client, server } = await setup([hang], { timeouts: { headersMs: 150 } })
    expect(await failure(client.generateTextToVideo({ prompt: 'mountains' }))).toMatchObject({
      code: 'OUTCOME_UNKNOWN',
    })
    expect(server.requests).toHaveLength(1)
  })

  it('but a GET is simply retried', async () => {
    const { client, server } = await setup([drop, job('job_3', 'completed')])
    expect((await client.getJob('job_3')).status).toBe('completed')
    expect(server.requests).toHaveLength(2)
  })

  it('and a POST that could not even connect is retried (nothing was sent)', async () => {
    const closed = await scriptedServer([])
    const url = closed.url
    await closed.close()
    const events: ClientEvent[] = []
    const client = new SeedanceClient({
      apiKey: KEY,
      baseUrl: url,
      clock: new FakeClock(),
      random: () => 0,
      limiter: null,
      onEvent: (e) => events.push(e),
      retry: { maxAttempts: 3 },
    })
    const error = await failure(client.generateTextToVideo({ prompt: 'x' }))
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', retryable: true })
    expect(error.message).toContain('ECONNREFUSED')
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(2)
  })
})

describe('timeouts', () => {
  it('aborts when no headers arrive in time (GET: TIMEOUT, retried)', async () => {
    const { client, server } = await setup([hang, job('job_4')], { timeouts: { headersMs: 150 } })
    expect((await client.getJob('job_4')).job_id).toBe('job_4')
    expect(server.requests).toHaveLength(2)
  })

  it('aborts a body that stalls', async () => {
    const stall: Script = (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"job_id": "job_5", ')
    }
    const { client } = await setup([stall, stall], { timeouts: { bodyStallMs: 150 }, retry: { maxAttempts: 2 } })
    const error = await failure(client.getJob('job_5'))
    expect(error.code).toBe('TIMEOUT')
    expect(error.message).toContain('stalled')
  })

  it('treats a truncated body as a network failure and retries the GET', async () => {
    const truncated: Script = (req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' })
      res.write('{"job_id": "job_6"')
      setTimeout(() => req.socket.destroy(), 20)
    }
    const { client, server } = await setup([truncated, job('job_6')])
    expect((await client.getJob('job_6')).job_id).toBe('job_6')
    expect(server.requests).toHaveLength(2)
  })
})

describe('malformed answers', () => {
  it('reports a 200 that is not JSON as MALFORMED_RESPONSE', async () => {
    const { client } = await setup([(_q, res) => res.writeHead(200).end('<html>captive portal</html>')])
    expect(await failure(client.listJobs())).toMatchObject({ code: 'MALFORMED_RESPONSE', status: 200 })
  })

  it('names the field a malformed answer is missing', async () => {
    const { client } = await setup([json(200, { status: 'queued' })])
    const error = await failure(client.generateTextToVideo({ prompt: 'x' }))
    expect(error.code).toBe('MALFORMED_RESPONSE')
    expect(error.message).toContain('job_id')
  })

  it('rejects an unknown job status rather than passing it on', async () => {
    const { client } = await setup([json(200, { job_id: 'j', status: 'exploded' })])
    expect((await failure(client.getJob('j'))).code).toBe('MALFORMED_RESPONSE')
  })
})

describe('the API key', () => {
  it('is sent as a bearer token and never appears in an error message', async () => {
    const { client, server } = await setup([apiError(401, 'INVALID_API_KEY', `Key ${KEY} is not valid`)])
    const error = await failure(client.listJobs())
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(error.code).toBe('INVALID_API_KEY')
    expect(error.message).not.toContain(KEY)
    expect(JSON.stringify(error)).not.toContain(KEY)
    expect(String(error.stack)).not.toContain(KEY)
  })
})

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates, and nothing else', () => {
    const now = Date.UTC(2026, 0, 1)
    expect(parseRetryAfter('30', now)).toBe(30)
    expect(parseRetryAfter(new Date(now + 90_000).toUTCString(), now)).toBe(90)
    expect(parseRetryAfter('soon', now)).toBeNull()
    expect(parseRetryAfter(null, now)).toBeNull()
  })
})
