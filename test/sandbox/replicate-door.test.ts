// The Sandbox's Replicate door at the wire: shapes and headers the adapter and the official client do not show.
import Replicate, { type Prediction } from 'replicate'
import { describe, expect, it } from 'vitest'
import { api, sandboxForTests } from './helpers'

const MODEL = 'bytedance/seedance-1-pro'
const PATH = `/replicate/v1/models/${MODEL}/predictions`
const input = { prompt: 'rain on a window at night', duration: 2, resolution: '480p', aspect_ratio: '1:1' }

let t = Date.parse('2026-03-01T10:00:00Z')

describe('Replicate door', { timeout: 90_000 }, () => {
  const { sandbox } = sandboxForTests({ now: () => t, genSeconds: { min: 1, max: 1 }, renderWorkers: 1 })

  it('answers 401 in Replicate’s shape, with no key or a wrong one', async () => {
    for (const key of [null, 'r8_wrong']) {
      const res = await api(sandbox(), '/replicate/v1/predictions', { key })
      expect(res.status).toBe(401)
      expect(await res.json()).toEqual({
        title: 'Unauthenticated',
        detail: 'You did not pass a valid authentication token',
        status: 401,
      })
    }
  })

  it('throttles the 601st create of a minute with 429, a detail and Retry-After; other calls still pass', async () => {
    t += 120_000
    const bad = { input: { ...input, duration: 99 } }
    for (let i = 0; i < 600; i++) expect((await api(sandbox(), PATH, { json: bad })).status).toBe(422)
    t += 15_000
    const res = await api(sandbox(), PATH, { json: { input } })
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('45')
    expect(await res.json()).toMatchObject({ detail: 'Request was throttled. Your rate limit resets in ~45s.' })
    expect((await api(sandbox(), '/replicate/v1/account')).status).toBe(200)
    t += 45_000
    expect((await api(sandbox(), PATH, { json: { input } })).status).toBe(201)
  })

  it('keeps outputs 1 h after completion, then removes input, output and logs (data_removed)', async () => {
    const created = await (await api(sandbox(), PATH, { json: { input } })).json()
    let p = created
    const deadline = Date.now() + 60_000
    while (p.status !== 'succeeded' && Date.now() < deadline) {
      t += 500
      await new Promise((r) => setTimeout(r, 40))
      p = await (await api(sandbox(), `/replicate/v1/predictions/${created.id}`)).json()
    }
    expect(p).toMatchObject({ status: 'succeeded', data_removed: false, input, error: null })
    expect(p.logs).toMatch(/640×640/)
    t = Date.parse(p.completed_at) + 3_600_000 - 1000
    const late = await (await api(sandbox(), `/replicate/v1/predictions/${created.id}`)).json()
    expect(late.output).toBe(p.output)
    expect((await fetch(late.output)).status).toBe(200)
    t += 1001
    const gone = await (await api(sandbox(), `/replicate/v1/predictions/${created.id}`)).json()
    expect(gone).toMatchObject({ status: 'succeeded', data_removed: true, output: null, input: {}, logs: '' })
    expect((await fetch(p.output)).status).toBe(410)
  })

  it('Prefer: wait=1 holds a create for at most 1 s, then answers the prediction as it stands', async () => {
    sandbox().setGenerationSeconds({ min: 600, max: 600 })
    try {
      const res = await api(sandbox(), PATH, { json: { input }, headers: { prefer: 'wait=1' } })
      expect(res.status).toBe(201)
      expect((await res.json()).status).toBe('starting')
    } finally {
      sandbox().setGenerationSeconds({ min: 1, max: 1 })
    }
  })

  it('Cancel-After: not started by the deadline → aborted (not charged); running at it → canceled (charged)', async () => {
    sandbox().setGenerationSeconds({ min: 600, max: 600 })
    try {
      const before = sandbox().credits()
      // A generation this long waits 2 s in `starting`: a 1 s deadline passes before it starts.
      const early = await (await api(sandbox(), PATH, { json: { input }, headers: { 'cancel-after': '1s' } })).json()
      const late = await (await api(sandbox(), PATH, { json: { input }, headers: { 'cancel-after': '3s' } })).json()
      expect(sandbox().credits()).toBe(before - 4)
      t += 5000
      const aborted = await (await api(sandbox(), `/replicate/v1/predictions/${early.id}`)).json()
      expect(aborted).toMatchObject({ status: 'aborted', started_at: null, output: null })
      expect(Date.parse(aborted.completed_at) - Date.parse(aborted.created_at)).toBe(1000)
      const canceled = await (await api(sandbox(), `/replicate/v1/predictions/${late.id}`)).json()
      expect(canceled).toMatchObject({ status: 'canceled', output: null })
      expect(sandbox().credits()).toBe(before - 2)
      const bad = await api(sandbox(), PATH, { json: { input }, headers: { 'cancel-after': 'soon' } })
      expect(bad.status).toBe(400)
      expect((await bad.json()).detail).toMatch(/Cancel-After/)
    } finally {
      sandbox().setGenerationSeconds({ min: 1, max: 1 })
    }
  })

  it('unknown routes, methods and predictions answer with a detail', async () => {
    expect(await (await api(sandbox(), '/replicate/v1/predictions/nope')).json()).toMatchObject({ status: 404 })
    const res = await api(sandbox(), '/replicate/v1/predictions', { method: 'DELETE' })
    expect(res.status).toBe(405)
    expect((await res.json()).detail).toBe('Method "DELETE" not allowed.')
  })
})

describe('Replicate door list pages', { timeout: 90_000 }, () => {
  // Every job fails at once (an injected fault), so 101 predictions cost no rendering. The clock stands still, so all
  // 101 are made in the same millisecond: newest first must still hold (it flaked when a few shared one by chance).
  const { sandbox } = sandboxForTests({
    now: () => Date.parse('2026-03-01T10:00:00Z'),
    faults: { jobFailureRate: 1, unavailableRate: 0, latencyMs: 0, dropAfterCreateRate: 0 },
  })

  it('pages 100 predictions at a time; the official client follows next to the end', async () => {
    const replicate = new Replicate({ auth: sandbox().apiKey, baseUrl: sandbox().doors.replicate.baseUrl })
    const ids: string[] = []
    for (let i = 0; i < 101; i++)
      ids.push(
        (await replicate.predictions.create({ model: MODEL, input: { ...input, prompt: `prediction ${i}` } })).id,
      )
    const first = await replicate.predictions.list()
    expect(first.results).toHaveLength(100)
    expect(first.next).toMatch(new RegExp(`^${sandbox().doors.replicate.baseUrl}/predictions\\?cursor=`))
    expect(first.previous).toBeNull()
    const pages: Prediction[][] = []
    for await (const page of replicate.paginate(replicate.predictions.list)) pages.push(page)
    expect(pages.map((p) => p.length)).toEqual([100, 1])
    expect(pages.flat().map((p) => p.id)).toEqual([...ids].reverse())
    const bad = await api(sandbox(), '/replicate/v1/predictions?cursor=!!')
    expect(bad.status).toBe(400)
  })
})
