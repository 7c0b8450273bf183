// The fal adapter against the Sandbox's fal door, over real HTTP (issue 10, point 8): submit, poll to done with the
// queue positions fal reports, download the real MP4, each error path in the app's codes, cancel, a lost POST
// reported honestly (fal cannot list), and the requests it costs. Time is the Sandbox's injected clock; the only
// real wait is for a render to finish (awaited, never raced).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { probeMp4 } from '../../../electron/core/media/mp4-probe'
import { createFalProvider } from '../../../electron/core/providers/fal/adapter'
import type { ClientEvent } from '../../../electron/core/providers/http'
import type { ProviderSubmission, RemoteSnapshot, VideoProvider } from '../../../electron/core/providers/port'
import type { SandboxOptions } from '../../../electron/sandbox/options'
import { type Sandbox, startSandbox } from '../../../electron/sandbox/server'
import type { GenerationRequest } from '../../../electron/shared/model'

const V1 = 'fal-ai/bytedance/seedance/v1/pro'
let t = Date.UTC(2026, 0, 1)
const sandboxes: Sandbox[] = []

async function sandboxWith(overrides: Partial<SandboxOptions> = {}): Promise<Sandbox> {
  const s = await startSandbox({
    now: () => t,
    genSeconds: { min: 10, max: 10 },
    renderWorkers: 1,
    seed: 3,
    ...overrides,
  })
  sandboxes.push(s)
  return s
}
afterAll(async () => {
  await Promise.all(sandboxes.map((s) => s.close()))
})
beforeEach(() => {
  t += 3_600_000 // every test starts with the account's runners idle
})

function provider(s: Sandbox, events: ClientEvent[] = [], key = s.doors.fal.apiKey): VideoProvider {
  return createFalProvider({
    apiKey: key,
    baseUrl: s.doors.fal.baseUrl,
    keyOrigin: s.origin,
    random: () => 0,
    retry: { maxAttempts: 2, baseDelayMs: 0 },
    onEvent: (e) => events.push(e),
  })
}

function job(request: Partial<GenerationRequest> = {}, images: Partial<ProviderSubmission> = {}): ProviderSubmission {
  return {
    request: {
      provider: 'fal',
      model: V1,
      mode: 'text',
      prompt: 'a lighthouse at dusk, waves below',
      duration: 2,
      resolution: '480p',
      aspectRatio: '16:9',
      style: null,
      motionIntensity: null,
      image: null,
      ...request,
    },
    firstFrame: null,
    lastFrame: null,
    ...images,
  }
}

async function one(p: VideoProvider, snap: RemoteSnapshot, model = V1): Promise<RemoteSnapshot | null> {
  return (await p.get([{ remoteId: snap.remoteId, model }])).get(snap.remoteId) ?? null
}

/** Poll until the job is final: the Sandbox's clock is already past its end; only its render is awaited. */
async function final(p: VideoProvider, snap: RemoteSnapshot, model = V1): Promise<RemoteSnapshot> {
  const deadline = Date.now() + 60_000
  for (;;) {
    const now = await one(p, snap, model)
    if (now && ['succeeded', 'failed', 'cancelled', 'expired'].includes(now.phase)) return now
    if (Date.now() > deadline) throw new Error(`still ${now?.phase}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

async function rejection(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error('expected a rejection')
    },
    (e: { code: string; serviceCode: string | null; outcomeUnknown: boolean }) => e,
  )
}

describe('fal adapter over the Sandbox', () => {
  let s: Sandbox
  beforeAll(async () => {
    s = await sandboxWith()
  })

  it('submits, sees queue positions, polls to done and downloads a real 864×480 H.264 MP4; counts its requests', async () => {
    const events: ClientEvent[] = []
    const p = provider(s, events)
    const jobs = []
    for (let i = 0; i < 4; i++) jobs.push(await p.submit(job({ prompt: `harbour scene ${i}` })))
    expect(jobs.every((j) => j.phase === 'queued' && j.cost === null)).toBe(true)
    t += 3000
    const seen = await p.get(jobs.map((j) => ({ remoteId: j.remoteId, model: V1 })))
    expect(jobs.map((j) => seen.get(j.remoteId)?.phase)).toEqual(['running', 'running', 'queued', 'queued'])
    expect(jobs.slice(2).map((j) => seen.get(j.remoteId)?.queuePosition)).toEqual([0, 1])
    expect(seen.get(jobs[2]?.remoteId as string)?.serviceStatus).toBe('IN_QUEUE')
    t += 60_000
    for (const j of jobs) {
      const done = await final(p, j)
      expect(done).toMatchObject({ phase: 'succeeded', serviceStatus: 'COMPLETED', error: null, linkExpiresAt: null })
      expect(Number.isInteger(done.seed)).toBe(true)
      const video = new Uint8Array(await (await fetch(done.videoUrl as string)).arrayBuffer())
      expect(video.length).toBe(done.declaredBytes)
      const probe = probeMp4(video)
      expect(probe).toMatchObject({ width: 864, height: 480 })
      expect(probe.codec).toMatch(/^avc1/)
    }
    // Every call is a status or a result under fal-ai/bytedance (the endpoint id's first two segments) or a submit.
    const paths = events.filter((e) => e.type === 'response').map((e) => `${e.method} ${e.path.split('?')[0]}`)
    expect(paths.filter((x) => x.startsWith('POST'))).toHaveLength(4)
    expect(
      paths.every(
        (x) =>
          x.startsWith('POST /fal-ai/bytedance/seedance/v1/pro/text-to-video') ||
          /^GET \/fal-ai\/bytedance\/requests\/[0-9a-f-]+(\/status)?$/.test(x),
      ),
    ).toBe(true)
    expect(paths.filter((x) => x.endsWith('/status')).length).toBeGreaterThanOrEqual(8)
    // One result fetch per job, once it is COMPLETED.
    expect(paths.filter((x) => /requests\/[0-9a-f-]+$/.test(x))).toHaveLength(4)
    expect(events.some((e) => e.status === 429)).toBe(false)
  }, 90_000)

  it('sends the seed and echoes it; 2.0 in its own namespace takes "auto" (duration 0)', async () => {
    const p = provider(s)
    const v2 = await p.submit(job({ model: 'bytedance/seedance-2.0', duration: 0, aspectRatio: 'adaptive', seed: 42 }))
    t += 60_000
    const done = await final(p, v2, 'bytedance/seedance-2.0')
    expect(done).toMatchObject({ phase: 'succeeded', seed: 42 })
  }, 60_000)

  it('refuses what the model cannot do before any request', async () => {
    const events: ClientEvent[] = []
    const p = provider(s, events)
    for (const bad of [
      job({ duration: 20 }),
      job({ resolution: '1080p', model: 'bytedance/seedance-2.0' }),
      job({ prompt: 'a cat --rs 1080p' }),
      job({ aspectRatio: 'adaptive' }), // v1 text-to-video has no "auto"
      job({ audio: true }), // v1 pro is silent
      job({ model: 'fal-ai/nothing' }),
    ]) {
      const e = await rejection(p.submit(bad))
      expect(['UNSUPPORTED_SETTING', 'INVALID_PROMPT']).toContain(e.code)
    }
    expect(events).toEqual([])
  })

  it('content policy: accepted, then failed with CONTENT_POLICY and fal’s type kept', async () => {
    const p = provider(s)
    const snap = await p.submit(job({ prompt: 'a nude statue in the rain' }))
    t += 2000
    expect(await one(p, snap)).toMatchObject({
      phase: 'failed',
      error: { code: 'CONTENT_POLICY', serviceCode: 'content_policy_violation' },
    })
  })

  it('an unreadable first frame fails with INVALID_IMAGE (image_load_error on image_url)', async () => {
    const p = provider(s)
    const snap = await p.submit(
      job(
        { mode: 'image', aspectRatio: 'adaptive' },
        { firstFrame: { data: new Uint8Array([1, 2, 3]), mime: 'image/png' } },
      ),
    )
    t += 2000
    const after = await one(p, snap)
    expect(after).toMatchObject({ phase: 'failed', error: { code: 'INVALID_IMAGE', serviceCode: 'image_load_error' } })
    expect(after?.error?.message).toContain('image_url')
  })

  it('a request fal does not know reads as null; the key is checked with a status of no request', async () => {
    const events: ClientEvent[] = []
    const p = provider(s, events)
    expect(await one(p, { remoteId: '11111111-2222-3333-4444-555555555555' } as RemoteSnapshot)).toBeNull()
    await expect(p.checkKey()).resolves.toEqual({ limit: null, remaining: null, resetAt: null })
    expect(events.at(-1)).toMatchObject({ method: 'GET', status: 404 })
    const wrong = await rejection(provider(s, [], 'not-the-key').checkKey())
    expect(wrong.code).toBe('INVALID_API_KEY')
  })

  it('cancel: a queued job is requested and ends cancelled; a finished one is already final; unknown is JOB_NOT_FOUND', async () => {
    const p = provider(s)
    const jobs = []
    for (let i = 0; i < 3; i++) jobs.push(await p.submit(job({ prompt: `cancel me ${i}` })))
    const last = jobs[2] as RemoteSnapshot
    expect(await p.cancel({ remoteId: last.remoteId, model: V1 })).toBe('requested')
    expect(await one(p, last)).toMatchObject({ phase: 'cancelled', serviceStatus: 'client_cancelled' })
    expect(await p.cancel({ remoteId: last.remoteId, model: V1 })).toBe('already-final')
    const unknown = await rejection(p.cancel({ remoteId: '00000000-0000-0000-0000-000000000001', model: V1 }))
    expect(unknown.code).toBe('JOB_NOT_FOUND')
    t += 120_000
    for (const j of jobs.slice(0, 2)) await final(p, j)
  }, 60_000)

  it('never follows a URL from an answer with the key, and never sends it to another origin', () => {
    expect(() => createFalProvider({ apiKey: 'k', baseUrl: 'https://queue.fal.run', keyOrigin: s.origin })).toThrow(
      /saved for/,
    )
  })
})

describe('fal adapter and the Sandbox’s faults', () => {
  it('no balance left: INSUFFICIENT_CREDITS (403 "User is locked")', async () => {
    const e = await rejection(provider(await sandboxWith({ credits: 0 })).submit(job()))
    expect(e.code).toBe('INSUFFICIENT_CREDITS')
  })

  it('unavailable: retried, then SERVICE_UNAVAILABLE', async () => {
    const events: ClientEvent[] = []
    const faults = { unavailableRate: 1, jobFailureRate: 0, latencyMs: 0, dropAfterCreateRate: 0 }
    const e = await rejection(provider(await sandboxWith({ faults }), events).submit(job()))
    expect(e.code).toBe('SERVICE_UNAVAILABLE')
    expect(events.filter((x) => x.type === 'response')).toHaveLength(2)
  })

  it('a generation that fails completes, and its result says so: JOB_FAILED with runner_server_error', async () => {
    const faults = { unavailableRate: 0, jobFailureRate: 1, latencyMs: 0, dropAfterCreateRate: 0 }
    const p = provider(await sandboxWith({ faults }))
    const snap = await p.submit(job())
    t += 60_000
    expect(await one(p, snap)).toMatchObject({
      phase: 'failed',
      serviceStatus: 'COMPLETED',
      error: { code: 'JOB_FAILED', serviceCode: 'runner_server_error' },
    })
  })

  it('a lost POST is OUTCOME_UNKNOWN, and fal cannot list, so it is reported, not reconciled', async () => {
    const faults = { unavailableRate: 0, jobFailureRate: 0, latencyMs: 0, dropAfterCreateRate: 1 }
    const p = provider(await sandboxWith({ faults }))
    const e = await rejection(p.submit(job()))
    expect(e).toMatchObject({ code: 'OUTCOME_UNKNOWN', outcomeUnknown: true })
    expect(p.list).toBeUndefined()
    expect(p.info.canList).toBe(false)
  })
})
