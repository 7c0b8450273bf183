// Conformance (issue 10, point 6): fal's official JavaScript client, @fal-ai/client 1.10.1 (pinned, unmodified), runs
// against the Sandbox's fal door. It is pointed at the local URL only through its own documented options:
// `credentials` (the key, sent as "Authorization: Key …") and `requestMiddleware` (config.ts/middleware.ts: it gets
// each request's {method, url, headers} and may rewrite them), which swaps https://queue.fal.run for the door's base
// URL. Not pointed locally, so not used here: Blob/File inputs, which the client uploads to fal's storage
// (rest.fal.ai, storage.ts) — the Sandbox does not emulate fal storage, so images go as data URIs, as the app sends
// them; and `mode: "streaming"` status (…/status/stream, SSE), which the door does not emulate (the client's default
// is polling).
import { ApiError, createFalClient, type FalClient, ValidationError } from '@fal-ai/client'
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'
import { probeMp4 } from '../../electron/core/media/mp4-probe'
import { type Sandbox, startSandbox } from '../../electron/sandbox/server'

const T2V = 'fal-ai/bytedance/seedance/v1/pro/text-to-video'
let sandbox: Sandbox
let fal: FalClient
let t = Date.UTC(2026, 0, 1)
const seen: string[] = []

beforeAll(async () => {
  sandbox = await startSandbox({ now: () => t, genSeconds: { min: 10, max: 10 }, renderWorkers: 1, seed: 11 })
  fal = createFalClient({
    credentials: sandbox.apiKey,
    requestMiddleware: async (request) => {
      seen.push(`${request.method} ${request.url}`)
      return { ...request, url: request.url.replace('https://queue.fal.run', sandbox.doors.fal.baseUrl) }
    },
  })
})
afterAll(async () => {
  await sandbox?.close()
})
beforeEach(() => {
  t += 3_600_000
  seen.length = 0
})

const input = { prompt: 'a paper boat on a puddle', duration: '2', resolution: '480p', aspect_ratio: '16:9' } as const

it('fal.subscribe: submit, poll (queue updates move the Sandbox’s clock), result → a real H.264 video', async () => {
  const updates: string[] = []
  const result = await fal.subscribe(T2V, {
    input,
    pollInterval: 20,
    onQueueUpdate: (update) => {
      updates.push(update.status)
      t += 4000 // each poll is 4 s later on the Sandbox's clock: queued → in progress → completed
    },
  })
  expect(updates).toContain('IN_PROGRESS')
  expect(updates.at(-1)).toBe('COMPLETED')
  expect(result.requestId).toMatch(/^[0-9a-f-]{36}$/)
  expect(result.data.video.content_type).toBe('video/mp4')
  const mp4 = new Uint8Array(await (await fetch(result.data.video.url)).arrayBuffer())
  expect(probeMp4(mp4)).toMatchObject({ width: 864, height: 480 })
  expect(probeMp4(mp4).codec).toMatch(/^avc1/)
  // The client built every URL for queue.fal.run; status and result went under fal-ai/bytedance (parseEndpointId).
  expect(seen[0]).toBe(`POST https://queue.fal.run/${T2V}`)
  expect(seen.slice(1).every((u) => u.startsWith('GET https://queue.fal.run/fal-ai/bytedance/requests/'))).toBe(true)
}, 60_000)

it('fal.queue.submit / status / result / cancel, on the 2.0 namespace', async () => {
  const endpoint = 'bytedance/seedance-2.0/text-to-video'
  const first = await fal.queue.submit(endpoint, {
    input: { prompt: 'city lights in rain', duration: '4', resolution: '480p' },
  })
  const second = await fal.queue.submit(endpoint, {
    input: { prompt: 'city lights in snow', duration: '4', resolution: '480p' },
  })
  const third = await fal.queue.submit(endpoint, {
    input: { prompt: 'city lights in fog', duration: '4', resolution: '480p' },
  })
  t += 3000
  const queued = await fal.queue.status(endpoint, { requestId: third.request_id })
  expect(queued).toMatchObject({ status: 'IN_QUEUE', queue_position: 0 })
  await fal.queue.cancel(endpoint, { requestId: third.request_id })
  // A cancelled request completes; its result is fal's client_cancelled error.
  expect((await fal.queue.status(endpoint, { requestId: third.request_id })).status).toBe('COMPLETED')
  const cancelled = await fal.queue.result(endpoint, { requestId: third.request_id }).catch((e: unknown) => e)
  expect(cancelled).toBeInstanceOf(ApiError)
  expect((cancelled as ApiError<unknown>).status).toBe(499)
  t += 60_000
  for (const { request_id } of [first, second]) {
    await fal.queue.subscribeToStatus(endpoint, { requestId: request_id, pollInterval: 20 })
    const { data } = await fal.queue.result(endpoint, { requestId: request_id })
    expect(probeMp4(new Uint8Array(await (await fetch(data.video.url)).arrayBuffer()))).toMatchObject({
      width: 864,
      height: 480,
    })
  }
}, 60_000)

it('an invalid input completes and the client throws its ValidationError with fal’s field errors', async () => {
  const error = await fal
    .subscribe(T2V, {
      input: { ...input, duration: 5 as unknown as '5' },
      pollInterval: 20,
      onQueueUpdate: () => {
        t += 2000
      },
    })
    .catch((e: unknown) => e)
  expect(error).toBeInstanceOf(ValidationError)
  const fields = (error as ValidationError).getFieldErrors('duration')
  expect(fields[0]).toMatchObject({ type: 'literal_error' })
}, 30_000)

it('a wrong key is the client’s ApiError 401', async () => {
  const wrong = createFalClient({
    credentials: 'not-the-key',
    requestMiddleware: async (r) => ({ ...r, url: r.url.replace('https://queue.fal.run', sandbox.doors.fal.baseUrl) }),
  })
  const error = await wrong.queue.submit(T2V, { input }).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(ApiError)
  expect((error as ApiError<unknown>).status).toBe(401)
})
