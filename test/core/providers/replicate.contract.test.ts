// The Replicate adapter against the Sandbox's Replicate door, over real HTTP. Time is the test's: the Sandbox and
// the adapter share one clock that moves only when the test (or a wait the adapter makes) moves it, so the 1 h
// output lifetime and Retry-After waits are passed without waiting them out.
import { describe, expect, it } from 'vitest'
import { probeMp4 } from '../../../electron/core/media/mp4-probe'
import type { ClientEvent } from '../../../electron/core/providers/http'
import type { ProviderSubmission, RemoteSnapshot, VideoProvider } from '../../../electron/core/providers/port'
import { createReplicateProvider } from '../../../electron/core/providers/replicate/adapter'
import type { SandboxOptions } from '../../../electron/sandbox/options'
import type { Sandbox } from '../../../electron/sandbox/server'
import type { GenerationRequest } from '../../../electron/shared/model'
import { PROVIDERS } from '../../../electron/shared/providers'
import { noisePng, picture } from '../../fixtures/images'
import { api, sandboxForTests } from '../../sandbox/helpers'

const HOUR = 3_600_000
let t = Date.parse('2026-03-01T10:00:00Z')
const clock = {
  now: () => t,
  sleep: async (ms: number) => {
    t += ms
  },
}

function door(overrides: Partial<SandboxOptions> = {}) {
  return sandboxForTests({ now: () => t, genSeconds: { min: 2, max: 2 }, renderWorkers: 1, ...overrides })
}

function provider(sb: Sandbox, events: ClientEvent[] = [], apiKey = sb.apiKey): VideoProvider {
  return createReplicateProvider({
    apiKey,
    baseUrl: sb.doors.replicate.baseUrl,
    keyOrigin: sb.origin,
    clock,
    random: () => 0.5,
    retry: { maxAttempts: 1 },
    onEvent: (e) => events.push(e),
  })
}

const MODEL = 'bytedance/seedance-1-pro'

function job(over: Partial<GenerationRequest> = {}, frames: Partial<ProviderSubmission> = {}): ProviderSubmission {
  return {
    request: {
      provider: 'replicate',
      model: MODEL,
      mode: 'text',
      prompt: 'a lighthouse on a cliff, waves below',
      duration: 2,
      resolution: '480p',
      aspectRatio: '16:9',
      style: null,
      motionIntensity: null,
      image: null,
      ...over,
    },
    firstFrame: null,
    lastFrame: null,
    ...frames,
  }
}

async function pollToDone(p: VideoProvider, remoteId: string, model = MODEL): Promise<RemoteSnapshot> {
  const deadline = Date.now() + 60_000
  for (;;) {
    t += 1000
    const snap = (await p.get([{ remoteId, model }])).get(remoteId)
    if (!snap) throw new Error(`prediction ${remoteId} unknown`)
    if (!['queued', 'running'].includes(snap.phase)) return snap
    if (Date.now() > deadline) throw new Error(`prediction ${remoteId} still ${snap.serviceStatus}`)
    // The render runs in real time on a worker; only it is waited for, never the clock.
    await new Promise((r) => setTimeout(r, 40))
  }
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (e: { code?: string }) => e.code,
  )

describe('Replicate adapter ↔ Sandbox door', { timeout: 90_000 }, () => {
  const { sandbox } = door()

  it('submits, polls to done, and downloads a real H.264 video at the model size within its 1 h link', async () => {
    const events: ClientEvent[] = []
    const p = provider(sandbox(), events)
    const submitted = await p.submit(job())
    expect(submitted).toMatchObject({ phase: 'queued', serviceStatus: 'starting', videoUrl: null, cost: null })
    expect(submitted.remoteId).toMatch(/^[a-z2-7]{26}$/)
    const done = await pollToDone(p, submitted.remoteId)
    expect(done).toMatchObject({ phase: 'succeeded', serviceStatus: 'succeeded', error: null })
    expect(done.linkExpiresAt).toBe((done.completedAt as number) + HOUR)
    const res = await fetch(done.videoUrl as string)
    expect(res.status).toBe(200)
    const probe = probeMp4(new Uint8Array(await res.arrayBuffer()))
    expect(probe).toMatchObject({ width: 864, height: 480, frames: 48 })
    expect(probe.codec).toMatch(/^avc1\./)
    expect(events.every((e) => e.type === 'response' && (e.status ?? 0) < 300)).toBe(true)
  })

  it('after 1 h the video is gone: the prediction says data_removed, the adapter says JOB_EXPIRED, the link 410', async () => {
    const p = provider(sandbox())
    const done = await pollToDone(p, (await p.submit(job({ prompt: 'a short-lived video' }))).remoteId)
    t += HOUR + 1000
    const later = (await p.get([{ remoteId: done.remoteId, model: MODEL }])).get(done.remoteId)
    expect(later).toMatchObject({
      phase: 'expired',
      serviceStatus: 'succeeded',
      videoUrl: null,
      error: { code: 'JOB_EXPIRED', serviceCode: 'data_removed' },
    })
    expect(later?.error?.message).toMatch(/deleted this video 1 hour after it finished/)
    expect((await fetch(done.videoUrl as string)).status).toBe(410)
  })

  it('refuses what a model cannot do before any request', async () => {
    const events: ClientEvent[] = []
    const p = provider(sandbox(), events)
    const cases: Array<[Partial<GenerationRequest>, string]> = [
      [{ prompt: 'a cat --rs 1080p' }, 'INVALID_PROMPT'],
      [{ prompt: '   ' }, 'INVALID_PROMPT'],
      [{ duration: 13 }, 'UNSUPPORTED_SETTING'],
      [{ duration: 0 }, 'UNSUPPORTED_SETTING'],
      [{ audio: true }, 'UNSUPPORTED_SETTING'],
      [{ model: 'bytedance/seedance-2.0', cameraFixed: true }, 'UNSUPPORTED_SETTING'],
      [{ model: 'bytedance/seedance-2.0-fast', resolution: '1080p' }, 'UNSUPPORTED_SETTING'],
      [{ style: 'noir' }, 'UNSUPPORTED_SETTING'],
      [{ model: 'bytedance/seedance-9' }, 'MODEL_NOT_ENABLED'],
      [{ mode: 'image' }, 'INVALID_IMAGE'],
    ]
    for (const [over, code] of cases) expect(await codeOf(p.submit(job(over)))).toBe(code)
    const frame = { data: await picture(640, 480, 'png'), mime: 'image/png' }
    const lastOnFast = job(
      { model: 'bytedance/seedance-1-pro-fast', mode: 'image' },
      { firstFrame: frame, lastFrame: frame },
    )
    expect(await codeOf(p.submit(lastOnFast))).toBe('UNSUPPORTED_SETTING')
    expect(events).toHaveLength(0)
  })

  it('sends images as data URIs; a large one is re-encoded small enough for every answer to stay readable', async () => {
    const p = provider(sandbox())
    const small = { data: await picture(640, 480, 'png'), mime: 'image/png' }
    const snap = await p.submit(job({ mode: 'image', aspectRatio: null }, { firstFrame: small }))
    const done = await pollToDone(p, snap.remoteId)
    // 4:3 source at 480p: 736×544 (shared frameSize), the ratio taken from the image.
    const video = new Uint8Array(await (await fetch(done.videoUrl as string)).arrayBuffer())
    expect(probeMp4(video)).toMatchObject({ width: 736, height: 544 })
    const noisy = await noisePng(1200, 900)
    expect(noisy.byteLength).toBeGreaterThan(1_000_000)
    const big = await p.submit(job({ mode: 'image' }, { firstFrame: { data: noisy, mime: 'image/png' } }))
    const sent = await (await api(sandbox(), `/replicate/v1/predictions/${big.remoteId}`)).json()
    expect(sent.input.image).toMatch(/^data:image\/jpeg;base64,/)
    expect(sent.input.image.length).toBeLessThan(450_000)
  })

  it('maps a 401, a 422 on the image, a moderated prompt and an unknown prediction', async () => {
    expect(await codeOf(provider(sandbox(), [], 'r8_not_the_key').checkKey())).toBe('INVALID_API_KEY')
    await expect(provider(sandbox()).checkKey()).resolves.toEqual({ limit: null, remaining: null, resetAt: null })
    const p = provider(sandbox())
    const tiny = { data: await picture(100, 100, 'png'), mime: 'image/png' }
    const invalid = await p.submit(job({ mode: 'image' }, { firstFrame: tiny })).catch((e: unknown) => e)
    expect(invalid).toMatchObject({ code: 'INVALID_IMAGE', status: 422, serviceCode: 'Input validation failed' })
    const flagged = await pollToDone(p, (await p.submit(job({ prompt: 'something nsfw' }))).remoteId)
    expect(flagged).toMatchObject({ phase: 'failed', error: { code: 'CONTENT_POLICY', serviceCode: 'E005' } })
    expect(
      (await p.get([{ remoteId: 'aaaaaaaaaaaaaaaaaaaaaaaaaa', model: MODEL }])).get('aaaaaaaaaaaaaaaaaaaaaaaaaa'),
    ).toBeNull()
    expect(await codeOf(p.cancel({ remoteId: 'aaaaaaaaaaaaaaaaaaaaaaaaaa', model: MODEL }))).toBe('JOB_NOT_FOUND')
  })

  it('cancels: while starting (refunded), while processing (charged, as Replicate does), and a finished one is final', async () => {
    const p = provider(sandbox())
    sandbox().setGenerationSeconds({ min: 600, max: 600 })
    try {
      const before = sandbox().credits()
      const starting = await p.submit(job({ prompt: 'cancel me early' }))
      expect(await p.cancel({ remoteId: starting.remoteId, model: MODEL })).toBe('cancelled')
      expect(sandbox().credits()).toBe(before)
      const running = await p.submit(job({ prompt: 'cancel me while running' }))
      t += 10_000
      expect((await p.get([{ remoteId: running.remoteId, model: MODEL }])).get(running.remoteId)?.phase).toBe('running')
      expect(await p.cancel({ remoteId: running.remoteId, model: MODEL })).toBe('cancelled')
      expect(sandbox().credits()).toBe(before - 2)
      const snap = (await p.get([{ remoteId: running.remoteId, model: MODEL }])).get(running.remoteId)
      expect(snap).toMatchObject({ phase: 'cancelled', serviceStatus: 'canceled', videoUrl: null })
    } finally {
      sandbox().setGenerationSeconds({ min: 2, max: 2 })
    }
    const done = await pollToDone(p, (await p.submit(job({ prompt: 'finished first' }))).remoteId)
    expect(await p.cancel({ remoteId: done.remoteId, model: MODEL })).toBe('already-final')
  })

  it('polls a batch with one request (the list page), one job with one GET: requests per video stay low', async () => {
    const events: ClientEvent[] = []
    const p = provider(sandbox(), events)
    const ids = []
    for (const prompt of ['batch one', 'batch two', 'batch three']) ids.push((await p.submit(job({ prompt }))).remoteId)
    const before = events.length
    const snaps = await p.get(ids.map((remoteId) => ({ remoteId, model: MODEL })))
    expect(events.length - before).toBe(1)
    expect(events.at(-1)).toMatchObject({ method: 'GET', path: '/predictions' })
    expect([...snaps.values()].map((s) => s?.echo?.prompt)).toEqual(['batch one', 'batch two', 'batch three'])
    // 3 creates and 1 status check: 1.33 requests per video (the bench's target is ≤ 1.5).
    expect(events.length / ids.length).toBeLessThanOrEqual(1.5)
    await p.get([{ remoteId: ids[0] as string, model: MODEL }])
    expect(events.at(-1)).toMatchObject({ method: 'GET', path: `/predictions/${ids[0]}` })
  })

  it('waits out a 429 for its Retry-After (600 creates a minute) and provokes none at the catalog limits', async () => {
    t += 120_000 // a fresh rate window at the door
    const tiny = { data: await picture(100, 100, 'png'), mime: 'image/png' }
    // 600 creates the door refuses (the image is too small) use up the minute's creates without rendering anything.
    const events: ClientEvent[] = []
    const polite = provider(sandbox(), events)
    for (let i = 0; i < 600; i++) await polite.submit(job({ mode: 'image' }, { firstFrame: tiny })).catch(() => {})
    expect(events.filter((e) => e.status === 429)).toHaveLength(0)
    // A second client that does not know: its 601st create of the minute is answered 429 and waited out.
    const start = t
    const other = provider(sandbox(), events)
    const snap = await other.submit(job({ prompt: 'after the wait' }))
    expect(snap.phase).toBe('queued')
    const retry = events.find((e) => e.type === 'retry' && e.status === 429)
    expect(retry?.delayMs).toBeGreaterThan(0)
    expect(t - start).toBeGreaterThanOrEqual(retry?.delayMs as number)
    // The first client, at the catalog's 600 a minute, waits on its own instead of provoking a 429.
    const before = t
    await polite.submit(job({ mode: 'image' }, { firstFrame: tiny })).catch(() => {})
    expect(t).toBeGreaterThan(before)
    expect(events.filter((e) => e.type === 'response' && e.status === 429)).toHaveLength(1)
  })

  it('each catalog model takes exactly the fields the adapter sends (the door refuses any other)', async () => {
    const p = provider(sandbox())
    for (const m of PROVIDERS.find((x) => x.id === 'replicate')?.models ?? []) {
      const snap = await p.submit(
        job({
          model: m.id,
          // Auto once (the door then picks the model's default length); the shortest elsewhere, to keep renders cheap.
          duration: m.id === 'bytedance/seedance-2.0-fast' ? 0 : m.durations.min,
          resolution: '480p',
          aspectRatio: m.id.includes('seedance-2') ? 'adaptive' : '4:3',
          seed: 42,
          cameraFixed: m.cameraFixed ? true : null,
          audio: m.audio ? true : null,
        }),
      )
      const sent = await (await api(sandbox(), `/replicate/v1/predictions/${snap.remoteId}`)).json()
      expect(sent.input.seed).toBe(42)
      expect('fps' in sent.input).toBe(!m.id.includes('seedance-2'))
      expect(sent.input.camera_fixed).toBe(m.cameraFixed ? true : undefined)
      expect(sent.input.generate_audio).toBe(m.audio ? true : undefined)
      expect(sent.input.duration).toBe(m.id === 'bytedance/seedance-2.0-fast' ? -1 : m.durations.min)
    }
  })
})

describe('Replicate adapter: a lost create is found in the list', () => {
  const { sandbox } = door({ faults: { dropAfterCreateRate: 1, jobFailureRate: 0, unavailableRate: 0, latencyMs: 0 } })

  it('the dropped POST is OUTCOME_UNKNOWN, and list() echoes the prediction to match it', async () => {
    const p = provider(sandbox())
    const lost = await p.submit(job({ prompt: 'a lost submission', aspectRatio: '21:9' })).catch((e: unknown) => e)
    expect(lost).toMatchObject({ code: 'OUTCOME_UNKNOWN', outcomeUnknown: true })
    const page = await p.list?.({ limit: 20 })
    expect(page?.next).toBeNull()
    expect(page?.jobs[0]?.echo).toEqual({
      model: MODEL,
      prompt: 'a lost submission',
      duration: 2,
      resolution: '480p',
      ratio: '21:9',
    })
  })
})

describe('Replicate adapter: service faults', () => {
  const down = door({ faults: { unavailableRate: 1, dropAfterCreateRate: 0, jobFailureRate: 0, latencyMs: 0 } })
  const broke = door({ credits: 1 })
  const failing = door({ faults: { jobFailureRate: 1, dropAfterCreateRate: 0, unavailableRate: 0, latencyMs: 0 } })

  it('503 → SERVICE_UNAVAILABLE; no credit → INSUFFICIENT_CREDITS; a failed prediction → JOB_FAILED', async () => {
    expect(await codeOf(provider(down.sandbox()).checkKey())).toBe('SERVICE_UNAVAILABLE')
    expect(await codeOf(provider(broke.sandbox()).submit(job()))).toBe('INSUFFICIENT_CREDITS')
    const p = provider(failing.sandbox())
    const failed = await pollToDone(p, (await p.submit(job())).remoteId)
    expect(failed).toMatchObject({ phase: 'failed', error: { code: 'JOB_FAILED' } })
    expect(failed.error?.message).toMatch(/interrupted/)
  })
})
