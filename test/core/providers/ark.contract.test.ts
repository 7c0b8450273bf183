// The provider contract for BytePlus ModelArk, over the Sandbox's Ark door (real HTTP, real renders, one fake
// clock): submit, poll to done, download, each error path, rate limits, queue full, cancel, a lost POST found
// again through list, and grouped status checks.
import sharp from 'sharp'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { probeMp4 } from '../../../electron/core/media/mp4-probe'
import { ApiError } from '../../../electron/core/providers/errors'
import { PROVIDER_ERROR } from '../../../electron/core/providers/port'
import { picture } from '../../fixtures/images'
import { type ArkRig, arkRequest, arkRig, until } from './ark-sandbox'

async function failure(p: Promise<unknown>): Promise<ApiError> {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ApiError)
  return error as ApiError
}

describe('Ark over the Sandbox: the happy path', { timeout: 60_000 }, () => {
  let rig: ArkRig
  beforeAll(async () => {
    rig = await arkRig()
  })
  afterAll(() => rig.close())

  it('submits, polls to done, and downloads a real H.264 MP4 at 480p 16:9 = 864×480, with its last frame', async () => {
    const ark = rig.provider()
    const sent = await ark.submit({ request: arkRequest({ seed: 1234 }), firstFrame: null, lastFrame: null })
    expect(sent.remoteId).toMatch(/^cgt-\d{14}-[a-z0-9]{5}$/)
    expect(sent.phase).toBe('queued')
    const done = await until(rig, ark, sent.remoteId, (s) => s.phase === 'succeeded')
    expect(done).toMatchObject({ serviceStatus: 'succeeded', width: 864, height: 480, seed: 1234, error: null })
    // usage.total_tokens = 864 × 480 × 24 × 2 / 1024
    expect(done.cost).toEqual({ amount: 19440, unit: 'tokens' })
    expect(done.linkExpiresAt).toBe((done.completedAt as number) + 24 * 3600 * 1000)
    expect(done.echo).toMatchObject({
      model: 'seedance-1-0-pro-250528',
      duration: 2,
      resolution: '480p',
      ratio: '16:9',
    })
    const video = Buffer.from(await (await fetch(done.videoUrl as string)).arrayBuffer())
    expect(probeMp4(video)).toMatchObject({ width: 864, height: 480, frames: 48 })
    expect(probeMp4(video).codec).toMatch(/^avc1/)
    const frame = await fetch(done.lastFrameUrl as string)
    expect(frame.headers.get('content-type')).toBe('image/png')
    const meta = await sharp(Buffer.from(await frame.arrayBuffer())).metadata()
    expect(meta).toMatchObject({ format: 'png', width: 864, height: 480 })
  })

  it('echoes the seed it picked when none was fixed; the same seed gives the same video', async () => {
    const ark = rig.provider()
    const a = await ark.submit({ request: arkRequest({ prompt: 'seed probe' }), firstFrame: null, lastFrame: null })
    const first = await until(rig, ark, a.remoteId, (s) => s.phase === 'succeeded')
    expect(Number.isInteger(first.seed)).toBe(true)
    const b = await ark.submit({
      request: arkRequest({ prompt: 'seed probe', seed: first.seed }),
      firstFrame: null,
      lastFrame: null,
    })
    const second = await until(rig, ark, b.remoteId, (s) => s.phase === 'succeeded')
    const bytes = async (url: string | null) => Buffer.from(await (await fetch(url as string)).arrayBuffer())
    expect((await bytes(second.videoUrl)).equals(await bytes(first.videoUrl))).toBe(true)
  })

  it('a first-frame job with ratio adaptive follows the image (9:16 portrait → 480×864)', async () => {
    const ark = rig.provider()
    const png = await picture(720, 1280)
    const sent = await ark.submit({
      request: arkRequest({ mode: 'image', aspectRatio: 'adaptive', image: { path: 'x', sha256: 'y', name: 'p.png' } }),
      firstFrame: { data: png, mime: 'image/PNG' },
      lastFrame: null,
    })
    const done = await until(rig, ark, sent.remoteId, (s) => s.phase === 'succeeded')
    expect(done).toMatchObject({ width: 480, height: 864, echo: { ratio: '9:16' } })
  })

  it('groups status checks: get() of three tasks is ONE request (filter.task_ids repeated)', async () => {
    const ark = rig.provider()
    const ids: string[] = []
    for (const prompt of ['one', 'two', 'three'])
      ids.push((await ark.submit({ request: arkRequest({ prompt }), firstFrame: null, lastFrame: null })).remoteId)
    rig.events.length = 0
    const got = await ark.get([...ids, 'cgt-20990101000000-zzzzz'].map((remoteId) => ({ remoteId, model: 'm' })))
    expect(rig.events.filter((e) => e.type === 'response')).toHaveLength(1)
    expect((rig.events[0]?.path.match(/filter\.task_ids=/g) ?? []).length).toBe(4)
    for (const id of ids) expect(got.get(id)?.phase).toMatch(/queued|running/)
    expect(got.get('cgt-20990101000000-zzzzz')).toBeNull()
    // One id: GET by id; an unknown one is null, not an error.
    expect(
      (await ark.get([{ remoteId: 'cgt-20990101000000-yyyyy', model: 'm' }])).get('cgt-20990101000000-yyyyy'),
    ).toBeNull()
  })

  it('lists newest first in pages, and a lost POST is found again through the list', async () => {
    const ark = rig.provider({ retry: { maxAttempts: 1 } })
    const before = (await ark.list?.({ limit: 100 }))?.jobs.map((j) => j.remoteId) ?? []
    rig.sandbox.options.faults.dropAfterCreateRate = 1
    const lost = await failure(
      ark.submit({ request: arkRequest({ prompt: 'the lost one' }), firstFrame: null, lastFrame: null }),
    )
    rig.sandbox.options.faults.dropAfterCreateRate = 0
    expect(lost).toMatchObject({ code: 'OUTCOME_UNKNOWN', outcomeUnknown: true })
    const page = await ark.list?.({ limit: 2 })
    expect(page?.jobs).toHaveLength(2)
    expect(page?.next).toBe('2')
    const newest = page?.jobs[0]
    expect(newest?.echo?.model).toBe('seedance-1-0-pro-250528')
    // It is the task the lost POST made: new since the POST, and the newest.
    expect(before).not.toContain(newest?.remoteId)
    expect(newest?.createdAt).toBe(Math.floor(rig.clock.now() / 1000) * 1000)
    const rest = await ark.list?.({ limit: 2, cursor: page?.next })
    expect(rest?.jobs[0]?.createdAt ?? 0).toBeLessThanOrEqual(newest?.createdAt ?? 0)
  })

  it('checkKey lists one task; a wrong key is INVALID_API_KEY with Ark’s AuthenticationError', async () => {
    await expect(rig.provider().checkKey()).resolves.toEqual({ limit: null, remaining: null, resetAt: null })
    const bad = await failure(rig.provider({ apiKey: 'not-the-key' }).checkKey())
    expect(bad).toMatchObject({ code: PROVIDER_ERROR.auth, serviceCode: 'AuthenticationError', status: 401 })
  })
})

describe('Ark over the Sandbox: refusals and failures', { timeout: 60_000 }, () => {
  let rig: ArkRig
  beforeAll(async () => {
    rig = await arkRig()
  })
  afterAll(() => rig.close())
  afterEach(() => {
    rig.sandbox.options.faults.unavailableRate = 0
  })

  it('refuses what the model cannot do, and prompt text commands, before any request', async () => {
    const ark = rig.provider()
    rig.events.length = 0
    const cases = [
      [arkRequest({ model: 'dreamina-seedance-2-0-260128', cameraFixed: true }), PROVIDER_ERROR.unsupported],
      [arkRequest({ duration: 13 }), PROVIDER_ERROR.unsupported],
      [arkRequest({ model: 'dreamina-seedance-2-0-fast-260128', resolution: '1080p' }), PROVIDER_ERROR.unsupported],
      [arkRequest({ audio: true }), PROVIDER_ERROR.unsupported],
      [arkRequest({ style: 'anime' }), PROVIDER_ERROR.unsupported],
      [arkRequest({ model: 'no-such-model' }), PROVIDER_ERROR.unsupported],
      [arkRequest({ prompt: 'a cat --rs 720p' }), PROVIDER_ERROR.invalidPrompt],
      [arkRequest({ prompt: 'a cat --dur=5' }), PROVIDER_ERROR.invalidPrompt],
    ] as const
    for (const [request, code] of cases) {
      const error = await failure(ark.submit({ request, firstFrame: null, lastFrame: null }))
      expect(error.code).toBe(code)
    }
    const flag = await failure(
      ark.submit({ request: arkRequest({ prompt: 'x --rs 720p' }), firstFrame: null, lastFrame: null }),
    )
    expect(flag.message).toContain('--rs')
    const huge = await failure(
      ark.submit({
        request: arkRequest({ mode: 'image', image: { path: 'x', sha256: 'y', name: 'huge.png' } }),
        firstFrame: { data: new Uint8Array(31 * 1024 * 1024), mime: 'image/png' },
        lastFrame: null,
      }),
    )
    expect(huge.code).toBe(PROVIDER_ERROR.invalidImage)
    const noImage = await failure(
      ark.submit({ request: arkRequest({ mode: 'image' }), firstFrame: null, lastFrame: null }),
    )
    expect(noImage.code).toBe(PROVIDER_ERROR.unsupported)
    expect(rig.events).toHaveLength(0)
  })

  it('input moderation is CONTENT_POLICY at once; output moderation fails the task with CONTENT_POLICY', async () => {
    const ark = rig.provider()
    const input = await failure(
      ark.submit({ request: arkRequest({ prompt: 'gore everywhere' }), firstFrame: null, lastFrame: null }),
    )
    expect(input).toMatchObject({
      code: PROVIDER_ERROR.contentPolicy,
      serviceCode: 'InputTextSensitiveContentDetected',
    })
    const sent = await ark.submit({
      request: arkRequest({ prompt: 'a quiet street output-policy-test' }),
      firstFrame: null,
      lastFrame: null,
    })
    const failed = await until(rig, ark, sent.remoteId, (s) => s.phase === 'failed')
    expect(failed.error).toMatchObject({
      code: PROVIDER_ERROR.contentPolicy,
      serviceCode: 'OutputVideoSensitiveContentDetected.PolicyViolation',
    })
    expect(failed.videoUrl).toBeNull()
    expect(failed.cost).toBeNull()
  })

  it('a task still unfinished past execution_expires_after (48 h by default) is expired: JOB_EXPIRED', async () => {
    const ark = rig.provider()
    rig.sandbox.setGenerationSeconds({ min: 200_000, max: 200_000 })
    const sent = await ark.submit({ request: arkRequest({ prompt: 'a slow one' }), firstFrame: null, lastFrame: null })
    rig.sandbox.setGenerationSeconds({ min: 10, max: 10 })
    expect((await ark.get([{ remoteId: sent.remoteId, model: 'm' }])).get(sent.remoteId)?.phase).toBe('queued')
    rig.clock.advance(172_800_000)
    const expired = (await ark.get([{ remoteId: sent.remoteId, model: 'm' }])).get(sent.remoteId)
    expect(expired).toMatchObject({ phase: 'expired', serviceStatus: 'expired', videoUrl: null })
    expect(expired?.error?.code).toBe(PROVIDER_ERROR.expired)
  })

  it('an image Ark cannot take is INVALID_IMAGE (too small: 200×200)', async () => {
    const error = await failure(
      rig.provider().submit({
        request: arkRequest({ mode: 'image', image: { path: 'x', sha256: 'y', name: 'tiny.png' } }),
        firstFrame: { data: await picture(200, 200), mime: 'image/png' },
        lastFrame: null,
      }),
    )
    expect(error).toMatchObject({ code: PROVIDER_ERROR.invalidImage, serviceCode: 'InvalidParameter', status: 400 })
  })

  it('an unavailable service is retried, then SERVICE_UNAVAILABLE or RATE_LIMIT_EXCEEDED with Ark’s code', async () => {
    rig.sandbox.options.faults.unavailableRate = 1
    const error = await failure(rig.provider({ retry: { maxAttempts: 2, baseDelayMs: 1, max429Waits: 1 } }).checkKey())
    expect([PROVIDER_ERROR.unavailable, PROVIDER_ERROR.slowDown]).toContain(error.code)
    expect(['InternalServiceError', 'ServerOverloaded']).toContain(error.serviceCode)
    expect(rig.events.filter((e) => e.type === 'retry').length).toBeGreaterThan(0)
  })
})

describe('Ark over the Sandbox: failed jobs', { timeout: 60_000 }, () => {
  let rig: ArkRig
  beforeAll(async () => {
    rig = await arkRig({ faults: { jobFailureRate: 1, unavailableRate: 0, latencyMs: 0, dropAfterCreateRate: 0 } })
  })
  afterAll(() => rig.close())

  it('a generation that fails at Ark is JOB_FAILED with its code kept', async () => {
    const ark = rig.provider()
    const sent = await ark.submit({ request: arkRequest(), firstFrame: null, lastFrame: null })
    const failed = await until(rig, ark, sent.remoteId, (s) => s.phase === 'failed')
    expect(failed.error).toMatchObject({ code: PROVIDER_ERROR.jobFailed, serviceCode: 'InternalServiceError' })
  })
})

describe('Ark over the Sandbox: rate limits', { timeout: 60_000 }, () => {
  let rig: ArkRig
  beforeAll(async () => {
    rig = await arkRig({ doorLimits: { ark: { requestsPerMinute: 5 } } })
  })
  afterAll(() => rig.close())

  it('at the catalog’s rate (here 5 a minute) the adapter provokes no 429: it waits on its own clock', async () => {
    const ark = rig.provider({ requestsPerMinute: 5 })
    rig.events.length = 0
    const start = rig.clock.now()
    for (let i = 0; i < 12; i++) await ark.checkKey()
    expect(rig.events.filter((e) => e.status === 429)).toHaveLength(0)
    expect(rig.events.filter((e) => e.type === 'response')).toHaveLength(12)
    expect(rig.clock.now() - start).toBeGreaterThanOrEqual(2 * 60_000)
  })

  it('the door’s 429 (account RPM) is waited out, not failed', async () => {
    rig.clock.advance(120_000)
    const ark = rig.provider({ requestsPerMinute: 100 })
    rig.events.length = 0
    for (let i = 0; i < 7; i++) await ark.checkKey()
    const waits = rig.events.filter((e) => e.type === 'retry' && e.status === 429)
    expect(waits.length).toBeGreaterThan(0)
    expect(rig.events.filter((e) => e.type === 'response' && e.status === 200)).toHaveLength(7)
  })
})

describe('Ark over the Sandbox: queue and cancel', { timeout: 60_000 }, () => {
  let rig: ArkRig
  beforeAll(async () => {
    rig = await arkRig({ doorLimits: { ark: { concurrency: 1, queueLimit: 2 } } })
  })
  afterAll(() => rig.close())

  it('past the running limit tasks queue; past the queue limit a create is QUEUE_FULL; cancel: queued ok, running refused', async () => {
    const ark = rig.provider()
    const submit = (prompt: string) =>
      ark.submit({ request: arkRequest({ prompt }), firstFrame: null, lastFrame: null })
    const running = await submit('first')
    rig.clock.advance(2000) // past its own short queue: it runs
    const held = await submit('second')
    const heldToo = await submit('third')
    const states = await ark.get([running, held, heldToo].map((s) => ({ remoteId: s.remoteId, model: 'm' })))
    expect(states.get(running.remoteId)?.phase).toBe('running')
    expect(states.get(held.remoteId)?.phase).toBe('queued')
    const full = await failure(submit('fourth'))
    expect(full).toMatchObject({ code: PROVIDER_ERROR.queueFull, serviceCode: 'QuotaExceeded', status: 429 })
    const refused = await failure(ark.cancel({ remoteId: running.remoteId, model: 'm' }))
    expect(refused.code).toBe(PROVIDER_ERROR.notCancellable)
    await expect(ark.cancel({ remoteId: heldToo.remoteId, model: 'm' })).resolves.toBe('cancelled')
    const after = (await ark.get([{ remoteId: heldToo.remoteId, model: 'm' }])).get(heldToo.remoteId)
    expect(after?.phase).toBe('cancelled')
    // The held task runs once the first finishes, then succeeds; cancelling a finished task deletes nothing.
    const done = await until(rig, ark, held.remoteId, (s) => s.phase === 'succeeded', 5000)
    expect(done.videoUrl).toBeTruthy()
    await expect(ark.cancel({ remoteId: held.remoteId, model: 'm' })).resolves.toBe('already-final')
    expect((await ark.get([{ remoteId: held.remoteId, model: 'm' }])).get(held.remoteId)?.phase).toBe('succeeded')
  })
})
