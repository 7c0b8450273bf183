// The Sandbox's fal.ai door over raw HTTP: the wire as fal answers it (providers.md B), checked field by field.
// Time is the Sandbox's injected clock: queued → running → completed happen when the test moves it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { type Sandbox, startSandbox } from '../../electron/sandbox/server'
import { fetchJson, type JsonResponse } from './helpers'

const V1 = 'fal-ai/bytedance/seedance/v1/pro/text-to-video'
const V2 = 'bytedance/seedance-2.0/text-to-video'
let sandbox: Sandbox
let t = Date.UTC(2026, 0, 1)

beforeAll(async () => {
  sandbox = await startSandbox({ now: () => t, genSeconds: { min: 10, max: 10 }, renderWorkers: 1, seed: 7 })
})
afterAll(async () => {
  await sandbox?.close()
})
// Each test starts with the account's runners free: earlier tests' requests are long done on the Sandbox's clock.
beforeEach(() => {
  t += 3_600_000
})

function fal(path: string, init: RequestInit & { json?: unknown; auth?: string | null } = {}): Promise<JsonResponse> {
  const { json, auth = `Key ${sandbox.apiKey}`, ...rest } = init
  return fetchJson(`${sandbox.doors.fal.baseUrl}${path}`, {
    ...rest,
    method: rest.method ?? (json !== undefined ? 'POST' : 'GET'),
    headers: {
      ...(auth !== null ? { authorization: auth } : {}),
      ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: json !== undefined ? JSON.stringify(json) : undefined,
  })
}

const input = { prompt: 'a lighthouse at dusk', duration: '2', resolution: '480p', aspect_ratio: '16:9' }

describe('auth', () => {
  it('takes "Key <key>" only: a Bearer token, a wrong key and no header are 401 with a detail', async () => {
    for (const auth of [`Bearer ${sandbox.apiKey}`, 'Key nope', null]) {
      const res = await fal(`/${V1}`, { json: input, auth })
      expect(res.status).toBe(401)
      expect(typeof (await res.json()).detail).toBe('string')
    }
  })
})

describe('submit', () => {
  it('answers request_id and URLs on the Sandbox under the first two segments, with a queue position', async () => {
    const res = await fal(`/${V1}`, { json: input })
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body.request_id).toMatch(/^[0-9a-f-]{36}$/)
    const base = `${sandbox.origin}/fal/fal-ai/bytedance/requests/${body.request_id}`
    expect(body).toMatchObject({ response_url: base, status_url: `${base}/status`, cancel_url: `${base}/cancel` })
    expect(body.queue_position).toBeTypeOf('number')
  })

  it('serves the 2.0 namespace (no fal-ai/ prefix) and answers 404 for an endpoint fal does not have', async () => {
    const ok = await fal(`/${V2}`, { json: { ...input, duration: 'auto' } })
    expect(ok.status).toBe(200)
    const id = (await ok.json()).request_id
    expect((await fal(`/bytedance/seedance-2.0/requests/${id}/status`)).status).toBe(202)
    // The request lives under its own app only.
    expect((await fal(`/fal-ai/bytedance/requests/${id}/status`)).status).toBe(404)
    expect((await fal('/fal-ai/bytedance/seedance/v9/text-to-video', { json: input })).status).toBe(404)
  })
})

describe('queue', () => {
  it('never refuses for concurrency: 2 run, the rest wait IN_QUEUE with their position, then all complete', async () => {
    const ids: string[] = []
    for (let i = 0; i < 4; i++)
      ids.push((await (await fal(`/${V1}`, { json: { ...input, prompt: `queue ${i}` } })).json()).request_id)
    t += 3000 // past the first two's short queue time (0.15 × 10 s)
    const states = await Promise.all(
      ids.map(async (id) => (await fal(`/fal-ai/bytedance/requests/${id}/status`)).json()),
    )
    expect(states.map((s) => s.status)).toEqual(['IN_PROGRESS', 'IN_PROGRESS', 'IN_QUEUE', 'IN_QUEUE'])
    expect(states.slice(2).map((s) => s.queue_position)).toEqual([0, 1])
    t += 60_000
    for (const id of ids) {
      const done = await waitCompleted(`/fal-ai/bytedance/requests/${id}`)
      expect(done.status).toBe(200)
      const result = await done.json()
      expect(result.video).toMatchObject({ content_type: 'video/mp4', file_name: 'output.mp4' })
      expect(result.video.file_size).toBeGreaterThan(1000)
      expect(Number.isInteger(result.seed)).toBe(true)
      expect(done.headers.get('x-fal-request-id')).toBe(id)
      const video = await fetch(result.video.url)
      expect(video.status).toBe(200)
    }
  }, 60_000)
})

/** Poll the status until COMPLETED (the render is real work: its end is awaited, never raced), then GET the result. */
async function waitCompleted(requestPath: string): Promise<JsonResponse> {
  const deadline = Date.now() + 60_000
  for (;;) {
    const s = await (await fal(`${requestPath}/status?logs=1`)).json()
    if (s.status === 'COMPLETED') return fal(requestPath)
    if (Date.now() > deadline) throw new Error(`${requestPath} still ${s.status}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('links', () => {
  it('a video link lives 24 h (the catalog’s CHOSEN lifetime; fal documents none), then answers 410', async () => {
    const { request_id } = await (await fal(`/${V1}`, { json: { ...input, prompt: 'link lifetime' } })).json()
    t += 60_000
    const { video } = await (await waitCompleted(`/fal-ai/bytedance/requests/${request_id}`)).json()
    expect((await fetch(video.url)).status).toBe(200)
    t += 24 * 3_600_000 + 1000
    expect((await fetch(video.url)).status).toBe(410)
  }, 60_000)
})

describe('errors come with the result', () => {
  it('a duration sent as a number is queued, COMPLETES, and its result is a 422 literal_error on duration', async () => {
    const { request_id } = await (await fal(`/${V1}`, { json: { ...input, duration: 5 } })).json()
    const path = `/fal-ai/bytedance/requests/${request_id}`
    expect((await (await fal(`${path}/status`)).json()).status).toBe('IN_PROGRESS')
    expect((await fal(path)).status).toBe(400) // not finished yet
    t += 2000
    const res = await fal(path)
    expect(res.status).toBe(422)
    const { detail } = await res.json()
    expect(detail[0]).toMatchObject({ loc: ['body', 'duration'], type: 'literal_error', input: 5 })
    expect(detail[0].msg).toContain("'12'")
  })

  it('the documented trigger words are a content_policy_violation on the prompt', async () => {
    const { request_id } = await (await fal(`/${V2}`, { json: { prompt: 'a nude statue in a park' } })).json()
    t += 2000
    const res = await fal(`/bytedance/seedance-2.0/requests/${request_id}`)
    expect(res.status).toBe(422)
    expect(res.headers.get('x-fal-retryable')).toBe('false')
    expect((await res.json()).detail[0]).toMatchObject({ loc: ['body', 'prompt'], type: 'content_policy_violation' })
  })

  it('an image that cannot be read is an image_load_error on image_url', async () => {
    const { request_id } = await (
      await fal('/bytedance/seedance-2.0/image-to-video', {
        json: { prompt: 'waves', image_url: 'data:image/png;base64,AAAA' },
      })
    ).json()
    t += 2000
    const res = await fal(`/bytedance/seedance-2.0/requests/${request_id}`)
    expect((await res.json()).detail[0]).toMatchObject({ loc: ['body', 'image_url'], type: 'image_load_error' })
  })
})

describe('cancel', () => {
  it('a queued request is dropped (202 CANCELLATION_REQUESTED), completes as client_cancelled; then ALREADY_COMPLETED', async () => {
    const ids: string[] = []
    for (let i = 0; i < 3; i++)
      ids.push((await (await fal(`/${V1}`, { json: { ...input, prompt: `cancel ${i}` } })).json()).request_id)
    const last = `/fal-ai/bytedance/requests/${ids[2]}`
    const res = await fal(`${last}/cancel`, { method: 'PUT' })
    expect(res.status).toBe(202)
    expect(await res.json()).toEqual({ status: 'CANCELLATION_REQUESTED' })
    expect((await (await fal(`${last}/status`)).json()).status).toBe('COMPLETED')
    const result = await fal(last)
    expect(result.status).toBe(499)
    expect(result.headers.get('x-fal-error-type')).toBe('client_cancelled')
    const again = await fal(`${last}/cancel`, { method: 'PUT' })
    expect(again.status).toBe(400)
    expect(await again.json()).toEqual({ status: 'ALREADY_COMPLETED' })
    const unknown = await fal('/fal-ai/bytedance/requests/00000000-0000-0000-0000-000000000000/cancel', {
      method: 'PUT',
    })
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toEqual({ status: 'NOT_FOUND' })
    t += 120_000
    for (const id of ids.slice(0, 2)) await waitCompleted(`/fal-ai/bytedance/requests/${id}`)
  }, 60_000)
})

describe('faults', () => {
  it('unavailable: 503 runner_scheduling_failure with X-Fal-Error-Type; a stored result gets an untyped 503', async () => {
    const faulty = await startSandbox({
      now: () => t,
      faults: { unavailableRate: 1, jobFailureRate: 0, latencyMs: 0, dropAfterCreateRate: 0 },
      renderWorkers: 1,
    })
    try {
      const key = `Key ${faulty.apiKey}`
      const res = await fetchJson(`${faulty.doors.fal.baseUrl}/${V1}`, {
        method: 'POST',
        headers: { authorization: key, 'content-type': 'application/json' },
        body: JSON.stringify(input),
      })
      expect(res.status).toBe(503)
      expect(res.headers.get('x-fal-error-type')).toBe('runner_scheduling_failure')
      expect(await res.json()).toMatchObject({ error_type: 'runner_scheduling_failure' })
      const stored = await fetchJson(`${faulty.doors.fal.baseUrl}/fal-ai/bytedance/requests/x`, {
        headers: { authorization: key },
      })
      expect(stored.status).toBe(503)
      expect(stored.headers.get('x-fal-error-type')).toBeNull()
    } finally {
      await faulty.close()
    }
  })
})
