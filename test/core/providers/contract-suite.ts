// One contract every adapter keeps (issue 10, point 8), run against each door of the Sandbox through the port alone:
// submit, poll to done, download a real H.264 video at the model's size, a wrong key, a setting the model cannot do
// (refused before any request), several jobs checked at once, cancel, a lost POST found again where the service
// can list (and honestly not where it cannot), an unknown id. The Sandbox's clock is held, so a job stays queued
// until the test moves it: nothing here races real time; the only waits are for real renders to finish.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { probeMp4 } from '../../../electron/core/media/mp4-probe'
import type {
  ProviderFactory,
  ProviderSubmission,
  RemoteSnapshot,
  VideoProvider,
} from '../../../electron/core/providers/port'
import { type Sandbox, startSandbox } from '../../../electron/sandbox/server'
import type { GenerationRequest } from '../../../electron/shared/model'
import { findModel, frameSize, type ProviderId, providerInfo } from '../../../electron/shared/providers'

export interface ContractTarget {
  provider: ProviderId
  factory: ProviderFactory
  /** A model of the provider to make the videos with (480p where it has it: quick renders). */
  model: string
}

/** A held clock for the Sandbox: jobs stay queued until the test moves it. */
function heldClock() {
  let t = Date.UTC(2026, 11, 1, 9, 0, 0)
  return { now: () => t, advance: (ms: number) => (t += ms) }
}

export function textRequest(target: ContractTarget, prompt: string, over: Partial<GenerationRequest> = {}) {
  const m = findModel(target.provider, target.model)
  if (!m) throw new Error(`${target.provider} has no model ${target.model}`)
  const request: GenerationRequest = {
    provider: target.provider,
    model: target.model,
    mode: 'text',
    prompt,
    duration: m.durations.min,
    resolution: m.resolutions[0] as GenerationRequest['resolution'],
    aspectRatio: '16:9',
    style: null,
    motionIntensity: null,
    image: null,
    ...over,
  }
  return { request, firstFrame: null, lastFrame: null } satisfies ProviderSubmission
}

/** Poll through the port until the job is final (the Sandbox's clock moved past its generation first). */
async function untilFinal(p: VideoProvider, remoteId: string, model: string): Promise<RemoteSnapshot> {
  for (let i = 0; i < 600; i++) {
    const snap = (await p.get([{ remoteId, model }])).get(remoteId)
    if (!snap) throw new Error(`${remoteId} unknown to the service`)
    if (['succeeded', 'failed', 'cancelled', 'expired'].includes(snap.phase)) return snap
    await new Promise((r) => setTimeout(r, 100)) // the render itself is real work, done in real time
  }
  throw new Error(`${remoteId} never finished`)
}

export function providerContract(target: ContractTarget): void {
  const info = providerInfo(target.provider)
  describe(`${info.label} adapter over the Sandbox's ${target.provider} door (port contract)`, () => {
    const clock = heldClock()
    const requests: string[] = []
    let sandbox: Sandbox
    let provider: VideoProvider
    const make = (apiKey: string) =>
      target.factory({
        apiKey,
        baseUrl: sandbox.doors[target.provider].baseUrl,
        keyOrigin: sandbox.origin,
        retry: { maxAttempts: 1, max429Waits: 0 },
      })

    beforeAll(async () => {
      sandbox = await startSandbox({
        now: clock.now,
        genSeconds: { min: 30, max: 30 },
        requestsPerMinute: 10_000,
        maxConcurrentJobs: 50,
        renderWorkers: 2,
        log: (line) => requests.push(line),
      })
      provider = make(sandbox.apiKey)
    })
    afterAll(async () => {
      await sandbox?.close()
    })
    const doorRequests = () =>
      requests.filter((l) => l.startsWith(`${target.provider} `) || /^(GET|POST|PUT|DELETE) \//.test(l))

    it('submits, polls to succeeded and downloads a real H.264 video at the model size', async () => {
      const submitted = await provider.submit(textRequest(target, 'a lighthouse at dusk, slow pan'))
      expect(submitted.remoteId).toBeTruthy()
      expect(['queued', 'running']).toContain(submitted.phase)
      clock.advance(31_000)
      const done = await untilFinal(provider, submitted.remoteId, target.model)
      expect(done.phase).toBe('succeeded')
      expect(done.serviceStatus).toBeTruthy()
      // The run time, its queue wait excluded, where the service reports one (fal's inference_time, Replicate's
      // predict_time): the Sandbox took 30 s on its clock, its first second queued.
      if (['fal', 'replicate'].includes(target.provider)) expect(done.runMs).toBe(29_000)
      else expect(done.runMs).toBeNull()
      const response = await fetch(done.videoUrl as string)
      expect(response.status).toBe(200)
      const probe = probeMp4(new Uint8Array(await response.arrayBuffer()))
      const m = findModel(target.provider, target.model)
      const size =
        target.provider === 'seedance'
          ? { width: 1280, height: 720 } // the guide's own 720p size
          : frameSize(m?.resolutions[0] ?? '720p', '16:9')
      expect({ width: probe.width, height: probe.height }).toEqual(size)
      expect(probe.codec).toMatch(/^avc1/)
    })

    it('a wrong key is INVALID_API_KEY, with the service’s own code kept where it has one', async () => {
      const wrong = make('not-the-key')
      await expect(wrong.checkKey()).rejects.toMatchObject({ code: 'INVALID_API_KEY' })
      await expect(wrong.submit(textRequest(target, 'a quiet harbor'))).rejects.toMatchObject({
        code: 'INVALID_API_KEY',
      })
    })

    it('refuses a duration past the model’s maximum before any request', async () => {
      const m = findModel(target.provider, target.model)
      const before = doorRequests().length
      await expect(
        provider.submit(textRequest(target, 'too long a shot', { duration: (m?.durations.max ?? 8) + 1 })),
      ).rejects.toMatchObject({ code: expect.stringMatching(/UNSUPPORTED_SETTING|INVALID_DURATION/) })
      expect(doorRequests().length).toBe(before)
    })

    it('answers several jobs at once, and null for an id the service does not know', async () => {
      const a = await provider.submit(textRequest(target, 'first of two, a red kite'))
      const b = await provider.submit(textRequest(target, 'second of two, a blue kite'))
      const got = await provider.get([
        { remoteId: a.remoteId, model: target.model },
        { remoteId: b.remoteId, model: target.model },
      ])
      expect(got.get(a.remoteId)?.phase).toBe('queued')
      expect(got.get(b.remoteId)?.phase).toBe('queued')
      const unknown = await provider.get([{ remoteId: 'no-such-job-0000', model: target.model }])
      expect(unknown.get('no-such-job-0000')).toBeNull()
    })

    it('cancels a job still queued, as the service allows', async () => {
      const job = await provider.submit(textRequest(target, 'a job to cancel, grey sea'))
      if (info.cancel === 'none') {
        // The guide's API has no cancel endpoint: the adapter says so rather than pretending.
        await expect(provider.cancel({ remoteId: job.remoteId, model: target.model })).rejects.toMatchObject({
          code: 'NOT_CANCELLABLE',
        })
        return
      }
      const outcome = await provider.cancel({ remoteId: job.remoteId, model: target.model })
      expect(['cancelled', 'requested']).toContain(outcome)
      const after = (await provider.get([{ remoteId: job.remoteId, model: target.model }])).get(job.remoteId)
      expect(after?.phase).toBe('cancelled')
    })

    it(
      info.canList
        ? 'lists recent jobs newest first, with what they were asked (a lost POST is found by it)'
        : 'cannot list: the adapter has no list, so a lost POST is reported, never guessed',
      async () => {
        if (!info.canList) {
          expect(provider.list).toBeUndefined()
          return
        }
        const prompt = `a lost submission, found again ${Date.now()}`
        clock.advance(1_000) // the held clock: newer than every job before it
        const job = await provider.submit(textRequest(target, prompt))
        const page = await provider.list?.({ limit: 20 })
        const found = page?.jobs.find((j) => j.remoteId === job.remoteId)
        expect(found).toBeTruthy()
        expect(found?.createdAt).toBe(clock.now() - (clock.now() % 1000)) // matched on its time (Ark: seconds)
        // The prompt where the service echoes it (Ark's task answers do not: matched on model, settings and time).
        if (found?.echo?.prompt !== undefined) expect(found.echo.prompt).toBe(prompt)
        expect(found?.echo?.model).toBe(target.model)
        expect(page?.jobs[0]?.remoteId).toBe(job.remoteId)
      },
    )
  })
}
