// Conformance (issue 10, point 6): Replicate's official JavaScript client (replicate 1.4.0, pinned, unmodified)
// against the Sandbox's Replicate door, pointed at it with the client's documented `baseUrl` option (its default
// `fetch`, globalThis.fetch, is kept). Every call below is the client's own code path.
import Replicate, { type Prediction } from 'replicate'
import { describe, expect, it } from 'vitest'
import { probeMp4 } from '../../electron/core/media/mp4-probe'
import { api, sandboxForTests } from './helpers'

const MODEL = 'bytedance/seedance-1-pro-fast'
const { sandbox } = sandboxForTests({ genSeconds: { min: 0.3, max: 0.3 } })

function client(auth = sandbox().apiKey): Replicate {
  return new Replicate({ auth, baseUrl: sandbox().doors.replicate.baseUrl })
}

const input = {
  prompt: 'a paper boat drifting on a calm lake at dawn',
  duration: 2,
  resolution: '480p',
  aspect_ratio: '16:9',
}

async function download(url: string): Promise<Uint8Array> {
  const res = await fetch(url)
  expect(res.status).toBe(200)
  return new Uint8Array(await res.arrayBuffer())
}

describe('the official replicate client against the Replicate door', () => {
  it('creates a prediction, waits for it, and its output is a real H.264 video at the model size', async () => {
    const replicate = client()
    const created = await replicate.predictions.create({ model: MODEL, input })
    expect(created.id).toMatch(/^[a-z2-7]{26}$/)
    expect(created.status).toBe('starting')
    expect(created.model).toBe(MODEL)
    expect(created.input).toEqual(input)
    expect(created.urls.get).toBe(`${sandbox().doors.replicate.baseUrl}/predictions/${created.id}`)
    const done = await replicate.wait(created, { interval: 100 })
    expect(done.status).toBe('succeeded')
    expect(typeof done.output).toBe('string')
    expect(done.data_removed).toBe(false)
    expect(done.metrics?.predict_time).toBeGreaterThan(0)
    const again = await replicate.predictions.get(created.id)
    expect(again.output).toBe(done.output)
    const probe = probeMp4(await download(done.output as string))
    expect(probe).toMatchObject({ width: 864, height: 480, frames: 48 })
    expect(probe.codec).toMatch(/^avc1\./)
  })

  it('run() (Prefer: wait) returns the output URL; http:// links are not wrapped as FileOutput', async () => {
    // 1.4.0 wraps only "https:" and "data:" strings as FileOutput (index.js run → transform); the Sandbox's links
    // are http://127.0.0.1, so run() returns the URL string itself, with useFileOutput on (the default) or off.
    for (const useFileOutput of [true, false]) {
      const replicate = new Replicate({
        auth: sandbox().apiKey,
        baseUrl: sandbox().doors.replicate.baseUrl,
        useFileOutput,
      })
      const output = await replicate.run(MODEL, { input: { ...input, aspect_ratio: '9:16', seed: 7 } })
      expect(typeof output).toBe('string')
      expect(probeMp4(await download(output as unknown as string))).toMatchObject({ width: 480, height: 864 })
    }
  })

  it('run() of a prompt the content policy flags throws with Replicate E005 wording', async () => {
    await expect(client().run(MODEL, { input: { ...input, prompt: 'a nsfw scene' } })).rejects.toThrow(
      /Prediction failed: .*flagged as sensitive.*E005/,
    )
  })

  it('cancels a running prediction', async () => {
    sandbox().setGenerationSeconds({ min: 60, max: 60 })
    try {
      const replicate = client()
      const created = await replicate.predictions.create({ model: MODEL, input })
      const cancelled = await replicate.predictions.cancel(created.id)
      expect(cancelled.status).toBe('canceled')
      expect(cancelled.output).toBeNull()
      expect((await replicate.predictions.get(created.id)).status).toBe('canceled')
      // wait() returns at once for a cancelled prediction.
      expect((await replicate.wait(cancelled, {})).status).toBe('canceled')
    } finally {
      sandbox().setGenerationSeconds({ min: 0.3, max: 0.3 })
    }
  })

  it('paginate(predictions.list) yields the predictions made, newest first', async () => {
    const replicate = client()
    const made = await replicate.predictions.create({ model: MODEL, input: { ...input, prompt: 'listed prediction' } })
    const seen: Prediction[] = []
    for await (const page of replicate.paginate(replicate.predictions.list)) seen.push(...page)
    expect(seen[0]?.id).toBe(made.id)
    expect(seen[0]?.input).toMatchObject({ prompt: 'listed prediction' })
    expect(new Set(seen.map((p) => p.id)).size).toBe(seen.length)
  })

  it('accounts.current answers; a wrong token is an ApiError with status 401 and a detail', async () => {
    expect(await client().accounts.current()).toMatchObject({ username: 'sandbox', type: 'user' })
    const error = await client('r8_wrong')
      .predictions.list()
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'ApiError' })
    const response = (error as { response: Response }).response
    expect(response.status).toBe(401)
  })

  it('refuses invalid input with a 422 naming the field, and an unknown model with a 404', async () => {
    const bad = await client()
      .predictions.create({ model: MODEL, input: { ...input, duration: 99, camera_fixed: 'yes' } })
      .catch((e: unknown) => e)
    expect((bad as { response: Response }).response.status).toBe(422)
    expect((bad as Error).message).toMatch(/input\.duration/)
    expect((bad as Error).message).toMatch(/input\.camera_fixed/)
    const unknown = await client()
      .predictions.create({ model: 'bytedance/not-a-model', input })
      .catch((e: unknown) => e)
    expect((unknown as { response: Response }).response.status).toBe(404)
    // A field the model does not have (2.x-only generate_audio on 1.0 pro fast) is refused, not ignored.
    const res = await api(sandbox(), `/replicate/v1/models/${MODEL}/predictions`, {
      json: { input: { ...input, generate_audio: true } },
    })
    expect(res.status).toBe(422)
    expect((await res.json()).invalid_fields).toEqual([
      expect.objectContaining({ field: 'input.generate_audio', type: 'additional_property_not_allowed' }),
    ])
  })
})
