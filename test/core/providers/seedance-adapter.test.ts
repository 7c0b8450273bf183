// The guide's API as a VideoProvider (providers/seedance/adapter.ts) against the real Sandbox over HTTP: what it
// sends, what it maps back, and what it refuses before any request. Requests are counted from the Sandbox's log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RemoteSnapshot, VideoProvider } from '../../../electron/core/providers/port'
import { createSeedanceProvider } from '../../../electron/core/providers/seedance/adapter'
import { type Sandbox, startSandbox } from '../../../electron/sandbox/server'
import type { GenerationRequest } from '../../../electron/shared/model'
import { picture } from '../../fixtures/images'
import { requestLog } from '../jobs/engine-helpers'

let sandbox: Sandbox
let provider: VideoProvider
const log = requestLog()
beforeAll(async () => {
  sandbox = await startSandbox({
    genSeconds: { min: 0.5, max: 0.5 },
    requestsPerMinute: 1000,
    maxConcurrentJobs: 50,
    renderWorkers: 2,
    log: log.log,
  })
  provider = createSeedanceProvider({
    apiKey: sandbox.apiKey,
    baseUrl: sandbox.baseUrl,
    keyOrigin: sandbox.origin,
    requestsPerMinute: 1000,
    retry: { maxAttempts: 1 },
  })
}, 60_000)
afterAll(() => sandbox?.close())

const request = (over: Partial<GenerationRequest> = {}): GenerationRequest => ({
  provider: 'seedance',
  model: 'standard',
  mode: 'text',
  prompt: 'ocean waves at dawn',
  duration: 1,
  resolution: '720p',
  aspectRatio: '1:1',
  style: 'dreamy',
  motionIntensity: null,
  image: null,
  ...over,
})
const text = (over: Partial<GenerationRequest> = {}) =>
  provider.submit({ request: request(over), firstFrame: null, lastFrame: null })

async function until(remoteId: string, phase: RemoteSnapshot['phase']): Promise<RemoteSnapshot> {
  for (let i = 0; i < 300; i++) {
    const snap = (await provider.get([{ remoteId, model: 'standard' }])).get(remoteId)
    if (snap?.phase === phase) return snap
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`job ${remoteId} never ${phase}`)
}

describe('the Seedance API adapter', () => {
  it('submits a text job and maps its snapshot: phase, status, link, size, cost, what it was asked', async () => {
    const sent = await text()
    expect(sent).toMatchObject({ remoteId: expect.stringMatching(/^job_/), serviceStatus: expect.any(String) })
    expect(['queued', 'running']).toContain(sent.phase)
    const done = await until(sent.remoteId, 'succeeded')
    expect(done).toMatchObject({
      serviceStatus: 'completed',
      error: null,
      videoUrl: expect.stringMatching(/^http/),
      width: 720,
      height: 720,
      cost: { amount: 1, unit: 'credits' },
      echo: {
        prompt: 'ocean waves at dawn',
        duration: 1,
        resolution: '720p',
        ratio: '1:1',
        mode: 'text',
        model: 'standard',
      },
    })
    expect(done.linkExpiresAt).toBeGreaterThan(Date.now())
    expect(done.declaredBytes).toBeGreaterThan(0)
  }, 60_000)

  it('sends a first frame as image_base64 and a URL as image_url', async () => {
    const png = await picture(800, 600)
    const fromBytes = await provider.submit({
      request: request({
        mode: 'image',
        image: { path: 'x.png', sha256: 'x', name: 'x.png' },
        aspectRatio: null,
        style: null,
        motionIntensity: 0.5,
      }),
      firstFrame: { data: png, mime: 'image/png' },
      lastFrame: null,
    })
    expect((await until(fromBytes.remoteId, 'succeeded')).echo?.mode).toBe('image')
  }, 60_000)

  it('asks for several jobs with one list request, and for one with a GET; an unknown id is null', async () => {
    const a = await text({ prompt: 'first of two' })
    const b = await text({ prompt: 'second of two' })
    const lists = log.count(/^GET \/v1\/jobs(\?| →)/)
    const gets = log.count(/^GET \/v1\/jobs\/job_/)
    const both = await provider.get([
      { remoteId: a.remoteId, model: 'standard' },
      { remoteId: b.remoteId, model: 'standard' },
    ])
    expect([...both.keys()].sort()).toEqual([a.remoteId, b.remoteId].sort())
    expect(log.count(/^GET \/v1\/jobs(\?| →)/)).toBe(lists + 1)
    expect(log.count(/^GET \/v1\/jobs\/job_/)).toBe(gets)
    expect((await provider.get([{ remoteId: 'job_unknown', model: 'standard' }])).get('job_unknown')).toBeNull()
  }, 60_000)

  it('lists the account’s jobs page by page', async () => {
    const first = await provider.list?.({ limit: 2 })
    expect(first?.jobs).toHaveLength(2)
    expect(first?.next).toBe('2')
    const second = await provider.list?.({ limit: 2, cursor: first?.next })
    expect(second?.jobs.map((j) => j.remoteId)).not.toContain(first?.jobs[0]?.remoteId)
  })

  it('has no cancel, and says so without sending anything', async () => {
    const before = log.lines.length
    await expect(provider.cancel({ remoteId: 'job_x', model: 'standard' })).rejects.toMatchObject({
      code: 'NOT_CANCELLABLE',
      message: expect.stringMatching(/no cancel.*may still finish/),
    })
    expect(log.lines.length).toBe(before)
    expect(provider.info.cancel).toBe('none')
  })

  it('checks a key with one row of the list and reports the rate-limit figures', async () => {
    expect(await provider.checkKey()).toMatchObject({ limit: 1000, remaining: expect.any(Number) })
    const wrong = createSeedanceProvider({
      apiKey: 'sk-wrong',
      baseUrl: sandbox.baseUrl,
      keyOrigin: sandbox.origin,
      retry: { maxAttempts: 1 },
    })
    await expect(wrong.checkKey()).rejects.toMatchObject({ code: 'INVALID_API_KEY', serviceCode: 'INVALID_API_KEY' })
  })

  it.each<[string, Partial<GenerationRequest>, string]>([
    ['a seed', { seed: 7 }, 'UNSUPPORTED_SETTING'],
    ['480p', { resolution: '480p' }, 'INVALID_RESOLUTION'],
    ['21:9', { aspectRatio: '21:9' }, 'INVALID_ASPECT_RATIO'],
    ['9 s', { duration: 9 }, 'INVALID_DURATION'],
    ['a fixed camera', { cameraFixed: true }, 'UNSUPPORTED_SETTING'],
    ['a prompt text flag', { prompt: 'waves --rs 480p' }, 'INVALID_PROMPT'],
    ['another model', { model: 'seedance-1-0-pro-250528' }, 'UNKNOWN_MODEL'],
  ])('refuses %s before any request', async (_name, over, code) => {
    const posts = log.count(/^POST /)
    await expect(text(over)).rejects.toMatchObject({ code })
    expect(log.count(/^POST /)).toBe(posts)
  })

  it('refuses a last frame before any request', async () => {
    const posts = log.count(/^POST /)
    const png = await picture(800, 600)
    await expect(
      provider.submit({
        request: request({
          mode: 'image',
          image: { path: 'a.png', sha256: 'a', name: 'a.png' },
          lastImage: { path: 'b.png', sha256: 'b', name: 'b.png' },
          aspectRatio: null,
          style: null,
        }),
        firstFrame: { data: png, mime: 'image/png' },
        lastFrame: { data: png, mime: 'image/png' },
      }),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED_SETTING' })
    expect(log.count(/^POST /)).toBe(posts)
  })
})
