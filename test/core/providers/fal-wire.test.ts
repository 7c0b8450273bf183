// The fal adapter against scripted answers the Sandbox does not give on demand: URLs in answers pointing elsewhere
// (never followed with the key: BerriAI/litellm#31013), a stored infrastructure failure on the result (read once, not
// retried into a loop), a proxy's untyped 502, a 403 for a locked account, a 429 with Retry-After.
import { afterEach, expect, it } from 'vitest'
import { createFalProvider } from '../../../electron/core/providers/fal/adapter'
import type { ProviderSubmission } from '../../../electron/core/providers/port'
import { json, type ScriptedServer, scriptedServer } from './scripted-server'

const servers: ScriptedServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})
async function server(...steps: Parameters<typeof scriptedServer>) {
  const s = await scriptedServer(...steps)
  servers.push(s)
  return s
}
function provider(url: string, retry = { maxAttempts: 3, baseDelayMs: 0 }) {
  return createFalProvider({ apiKey: 'fal-key', baseUrl: url, keyOrigin: new URL(url).origin, random: () => 0, retry })
}
const V2 = 'bytedance/seedance-2.0'
const submission: ProviderSubmission = {
  request: {
    provider: 'fal',
    model: V2,
    mode: 'text',
    prompt: 'a red kite over dunes',
    duration: 6,
    resolution: '720p',
    aspectRatio: '9:16',
    style: null,
    motionIntensity: null,
    image: null,
    seed: 9,
    audio: false,
  },
  firstFrame: null,
  lastFrame: null,
}

it('posts the raw input with the duration as a string, and builds status/result URLs itself', async () => {
  const thief = await server([])
  const elsewhere = `${thief.url}/steal`
  const fal = await server([
    json(200, { request_id: 'r1', status_url: elsewhere, response_url: elsewhere, cancel_url: elsewhere }),
    json(200, { status: 'COMPLETED', request_id: 'r1', status_url: elsewhere, response_url: elsewhere }),
    json(200, { video: { url: 'https://v3.fal.media/files/x/output.mp4', file_size: 1234 }, seed: 9 }),
  ])
  const p = provider(fal.url)
  const snap = await p.submit(submission)
  const done = (await p.get([{ remoteId: snap.remoteId, model: V2 }])).get('r1')
  expect(done).toMatchObject({ phase: 'succeeded', videoUrl: 'https://v3.fal.media/files/x/output.mp4', seed: 9 })
  expect(thief.requests).toEqual([])
  expect(fal.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
    'POST /v1/bytedance/seedance-2.0/text-to-video',
    'GET /v1/bytedance/seedance-2.0/requests/r1/status?logs=0',
    'GET /v1/bytedance/seedance-2.0/requests/r1',
  ])
  expect(fal.requests[0]?.headers.authorization).toBe('Key fal-key')
  expect(JSON.parse(fal.requests[0]?.body ?? '')).toEqual({
    prompt: 'a red kite over dunes',
    duration: '6',
    resolution: '720p',
    aspect_ratio: '9:16',
    seed: 9,
    generate_audio: false,
  })
})

it('a stored infrastructure failure on the result is the outcome: read once, JOB_FAILED with its type', async () => {
  const fal = await server([
    json(200, { status: 'COMPLETED' }),
    json(
      504,
      { detail: 'Request timed out', error_type: 'request_timeout' },
      { 'x-fal-error-type': 'request_timeout' },
    ),
  ])
  const done = (await provider(fal.url).get([{ remoteId: 'r2', model: V2 }])).get('r2')
  expect(done).toMatchObject({ phase: 'failed', error: { code: 'JOB_FAILED', serviceCode: 'request_timeout' } })
  expect(fal.requests).toHaveLength(2)
})

it("a proxy's untyped 502 on the result is a passing fault: retried, then thrown (the job stays unknown)", async () => {
  const html = (_req: unknown, res: import('node:http').ServerResponse) => {
    res.writeHead(502, { 'content-type': 'text/html' }).end('<html>bad gateway</html>')
  }
  const fal = await server([json(200, { status: 'COMPLETED' }), html, html])
  await expect(
    provider(fal.url, { maxAttempts: 2, baseDelayMs: 0 }).get([{ remoteId: 'r3', model: V2 }]),
  ).rejects.toMatchObject({
    code: 'SERVICE_UNAVAILABLE',
  })
  expect(fal.requests).toHaveLength(3)
})

it('403 "User is locked. Reason: Exhausted balance" is INSUFFICIENT_CREDITS; another 403 is INVALID_API_KEY', async () => {
  const fal = await server([
    json(403, {
      detail: 'User is locked. Reason: Exhausted balance. Top up your balance at fal.ai/dashboard/billing.',
    }),
    json(403, { detail: 'Forbidden' }),
  ])
  await expect(provider(fal.url).submit(submission)).rejects.toMatchObject({ code: 'INSUFFICIENT_CREDITS' })
  await expect(provider(fal.url).checkKey()).rejects.toMatchObject({ code: 'INVALID_API_KEY' })
})

it('429 is RATE_LIMIT_EXCEEDED and waited out as Retry-After says, then sent again', async () => {
  const fal = await server([
    json(429, { detail: 'Too many requests' }, { 'retry-after': '0' }),
    json(200, { status: 'IN_PROGRESS' }),
  ])
  const snap = (await provider(fal.url).get([{ remoteId: 'r4', model: V2 }])).get('r4')
  expect(snap).toMatchObject({ phase: 'running', serviceStatus: 'IN_PROGRESS' })
})

it('a job sent with a model the catalog has since dropped is still polled under its app (never stranded)', async () => {
  const fal = await server([json(202, { status: 'IN_QUEUE', queue_position: 3 })])
  const snap = (await provider(fal.url).get([{ remoteId: 'r5', model: 'fal-ai/bytedance/seedance/v1/lite' }])).get('r5')
  expect(snap).toMatchObject({ phase: 'queued', queuePosition: 3 })
  expect(fal.requests[0]?.path).toBe('/v1/fal-ai/bytedance/requests/r5/status?logs=0')
})

it('first + last frame on 1.5 pro: data URIs, camera_fixed, audio, Adaptive as "auto", the safety checker on', async () => {
  const fal = await server([json(200, { request_id: 'r6', queue_position: 0 })])
  const png = { data: new Uint8Array([137, 80, 78, 71]), mime: 'image/png' }
  const snap = await provider(fal.url).submit({
    request: {
      ...submission.request,
      model: 'fal-ai/bytedance/seedance/v1.5/pro',
      mode: 'image',
      image: { path: 'first.png', sha256: 'a', name: 'first.png' },
      lastImage: { path: 'last.png', sha256: 'b', name: 'last.png' },
      aspectRatio: 'adaptive',
      duration: 4,
      cameraFixed: true,
      audio: true,
    },
    firstFrame: png,
    lastFrame: png,
  })
  expect(snap).toMatchObject({ remoteId: 'r6', phase: 'queued', queuePosition: 0 })
  expect(fal.requests[0]?.path).toBe('/v1/fal-ai/bytedance/seedance/v1.5/pro/image-to-video')
  expect(JSON.parse(fal.requests[0]?.body ?? '')).toEqual({
    prompt: 'a red kite over dunes',
    image_url: 'data:image/png;base64,iVBORw==',
    end_image_url: 'data:image/png;base64,iVBORw==',
    duration: '4',
    resolution: '720p',
    aspect_ratio: 'auto',
    seed: 9,
    camera_fixed: true,
    generate_audio: true,
    enable_safety_checker: true,
  })
})

it('a 404 on submit means fal has no such endpoint: MODEL_NOT_ENABLED, not a missing job', async () => {
  const fal = await server([json(404, { detail: 'Application not found' })])
  await expect(provider(fal.url).submit(submission)).rejects.toMatchObject({ code: 'MODEL_NOT_ENABLED', status: 404 })
})

it('a result 422 whose detail is a plain string is still the outcome: failed at once, not polled forever', async () => {
  const fal = await server([json(200, { status: 'COMPLETED' }), json(422, { detail: 'Prompt is too long' })])
  const done = (await provider(fal.url).get([{ remoteId: 'r7', model: V2 }])).get('r7')
  expect(done).toMatchObject({ phase: 'failed', error: { code: 'INVALID_REQUEST', serviceCode: null } })
  expect(done?.error?.message).toContain('Prompt is too long')
  expect(fal.requests).toHaveLength(2)
})
