// The Sandbox's Ark door over raw HTTP: its answers pass the same wire schemas the adapter reads (and that the
// documented examples pass), and it refuses what Ark refuses, with Ark's codes and `param`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createTaskResponseSchema,
  errorBodySchema,
  listTasksResponseSchema,
  taskSchema,
} from '../../electron/core/providers/ark/wire-types'
import { type ArkRig, arkRig } from '../core/providers/ark-sandbox'
import { picture } from '../fixtures/images'
import { api, type JsonResponse } from './helpers'

const TASKS = '/ark/api/v3/contents/generations/tasks'
const body = (over: Record<string, unknown> = {}) => ({
  model: 'seedance-1-0-pro-250528',
  content: [{ type: 'text', text: 'a paper boat on a pond' }],
  resolution: '480p',
  ratio: '16:9',
  duration: 2,
  ...over,
})

async function arkFailure(res: JsonResponse, status: number, code: string, param?: string): Promise<void> {
  expect(res.status).toBe(status)
  const parsed = errorBodySchema.parse(await res.json())
  expect(parsed.error.code).toBe(code)
  if (param !== undefined) expect(parsed.error.param).toBe(param)
}

describe('the Ark door', { timeout: 60_000 }, () => {
  let rig: ArkRig
  beforeAll(async () => {
    rig = await arkRig({ doorLimits: { ark: { concurrency: 1, queueLimit: 3 } } })
  })
  afterAll(() => rig.close())
  const post = (json: unknown, key?: string | null) =>
    api(rig.sandbox, TASKS, { json, ...(key !== undefined ? { key } : {}) })
  const get = (path: string, key?: string | null) => api(rig.sandbox, path, key !== undefined ? { key } : {})

  it('wants the Bearer key: Ark’s AuthenticationError body', async () => {
    await arkFailure(await get(`${TASKS}?page_size=1`, null), 401, 'AuthenticationError')
    await arkFailure(await post(body(), 'wrong'), 401, 'AuthenticationError')
  })

  it('creates a task (cgt-<date>-<random>) whose GET and list answers pass the wire schemas, with the seed echoed', async () => {
    const created = createTaskResponseSchema.parse(
      await (await post(body({ seed: -1, return_last_frame: true }))).json(),
    )
    expect(created.id).toMatch(/^cgt-20261201\d{6}-[a-z0-9]{5}$/)
    const task = taskSchema.parse(await (await get(`${TASKS}/${created.id}`)).json())
    expect(task).toMatchObject({ id: created.id, model: 'seedance-1-0-pro-250528', status: 'queued', error: null })
    expect(task.seed).toBeGreaterThanOrEqual(0)
    const list = listTasksResponseSchema.parse(await (await get(`${TASKS}?filter.task_ids=${created.id}`)).json())
    expect(list.items.map((i) => i.id)).toEqual([created.id])
  })

  it('refuses bad requests with Ark’s codes and the failing param', async () => {
    const { model: _m, ...noModel } = body()
    await arkFailure(await post(noModel), 400, 'MissingParameter', 'model')
    await arkFailure(await post(body({ model: 'seedance-9-ultra' })), 404, 'InvalidEndpointOrModel.NotFound')
    await arkFailure(await post(body({ duration: 13 })), 400, 'InvalidParameter', 'duration')
    await arkFailure(await post(body({ resolution: '4k' })), 400, 'InvalidParameter', 'resolution')
    await arkFailure(await post(body({ seed: 2 ** 32 })), 400, 'InvalidParameter', 'seed')
    await arkFailure(
      await post(body({ model: 'dreamina-seedance-2-0-260128', duration: 5, camera_fixed: true })),
      400,
      'InvalidParameter',
      'camera_fixed',
    )
    await arkFailure(await post(body({ generate_audio: true })), 400, 'InvalidParameter', 'generate_audio')
    await arkFailure(
      await post(body({ content: [{ type: 'text', text: 'a boat --rs 720p' }] })),
      400,
      'InvalidParameter',
      'content.text',
    )
    await arkFailure(
      await post(body({ content: [{ type: 'text', text: 'nsfw boat' }] })),
      400,
      'InputTextSensitiveContentDetected',
    )
    const png = `data:image/png;base64,${(await picture(640, 480)).toString('base64')}`
    await arkFailure(
      await post(body({ content: [{ type: 'image_url', image_url: { url: png }, role: 'last_frame' }] })),
      400,
      'InvalidParameter',
      'content',
    )
    await arkFailure(
      await post(
        body({
          model: 'seedance-1-0-pro-fast-251015',
          content: [
            { type: 'image_url', image_url: { url: png }, role: 'first_frame' },
            { type: 'image_url', image_url: { url: png }, role: 'last_frame' },
          ],
        }),
      ),
      400,
      'InvalidParameter',
      'content',
    )
    const tiny = `data:image/png;base64,${(await picture(200, 200)).toString('base64')}`
    await arkFailure(
      await post(body({ content: [{ type: 'image_url', image_url: { url: tiny } }] })),
      400,
      'InvalidParameter',
      'content[0].image_url',
    )
  })

  it('lists flex-tier tasks only when filter.service_tier=flex asks (the filter defaults to default)', async () => {
    const { id } = (await (await post(body({ service_tier: 'flex' }))).json()) as { id: string }
    const plain = listTasksResponseSchema.parse(await (await get(`${TASKS}?page_size=500`)).json())
    expect(plain.items.map((i) => i.id)).not.toContain(id)
    const flex = listTasksResponseSchema.parse(await (await get(`${TASKS}?filter.service_tier=flex`)).json())
    expect(flex.items.map((i) => i.id)).toEqual([id])
    await arkFailure(await get(`${TASKS}?filter.service_tier=fast`), 400, 'InvalidParameter', 'filter.service_tier')
    expect((await api(rig.sandbox, `${TASKS}/${id}`, { method: 'DELETE' })).status).toBe(200)
  })

  it('accepts Volcengine’s doubao- ids and echoes the id it was sent', async () => {
    const { id } = (await (await post(body({ model: 'doubao-seedance-1-0-pro-250528' }))).json()) as { id: string }
    expect(taskSchema.parse(await (await get(`${TASKS}/${id}`)).json()).model).toBe('doubao-seedance-1-0-pro-250528')
  })

  it('list: page_num/page_size 1–500, filters by status and repeated task ids, newest first', async () => {
    await arkFailure(await get(`${TASKS}?page_size=501`), 400, 'InvalidParameter', 'page_size')
    await arkFailure(await get(`${TASKS}?page_num=0`), 400, 'InvalidParameter', 'page_num')
    await arkFailure(await get(`${TASKS}?filter.status=done`), 400, 'InvalidParameter', 'filter.status')
    const all = listTasksResponseSchema.parse(await (await get(`${TASKS}?page_size=500`)).json())
    expect(all.total).toBe(all.items.length)
    const created = all.items.map((i) => i.created_at)
    expect([...created].sort((a, b) => b - a)).toEqual(created)
    const two = all.items.slice(0, 2).map((i) => i.id)
    const both = listTasksResponseSchema.parse(
      await (await get(`${TASKS}?${two.map((id) => `filter.task_ids=${id}`).join('&')}`)).json(),
    )
    expect(both.items.map((i) => i.id).sort()).toEqual([...two].sort())
    const queued = listTasksResponseSchema.parse(
      await (await get(`${TASKS}?filter.status=queued&page_size=500`)).json(),
    )
    expect(queued.items.every((i) => i.status === 'queued')).toBe(true)
  })

  it('past the queued-task limit: 429 QuotaExceeded that speaks of the queue', async () => {
    let res = await post(body())
    for (let i = 0; i < 5 && res.status === 200; i++) res = await post(body())
    expect(res.status).toBe(429)
    const queued = listTasksResponseSchema.parse(await (await get(`${TASKS}?filter.status=queued`)).json())
    expect(queued.total).toBe(3)
    const parsed = errorBodySchema.parse(await res.json())
    expect(parsed.error.code).toBe('QuotaExceeded')
    expect(parsed.error.message).toMatch(/queued tasks/)
  })

  it('DELETE: a queued task is cancelled; a running one is refused; a finished one’s record is deleted', async () => {
    const all = listTasksResponseSchema.parse(await (await get(`${TASKS}?page_size=500`)).json())
    const queued = all.items.filter((i) => i.status === 'queued')
    const victim = queued[0]?.id as string
    const del = await api(rig.sandbox, `${TASKS}/${victim}`, { method: 'DELETE' })
    expect(del.status).toBe(200)
    expect(await del.json()).toEqual({})
    expect(taskSchema.parse(await (await get(`${TASKS}/${victim}`)).json()).status).toBe('cancelled')
    await arkFailure(
      await api(rig.sandbox, `${TASKS}/${victim}`, { method: 'DELETE' }),
      400,
      'OperationDenied.InvalidState',
    )
    // Let the first task run (concurrency 1), then finish.
    rig.clock.advance(3000)
    const running = listTasksResponseSchema.parse(await (await get(`${TASKS}?filter.status=running`)).json()).items[0]
    expect(running).toBeDefined()
    await arkFailure(
      await api(rig.sandbox, `${TASKS}/${running?.id}`, { method: 'DELETE' }),
      400,
      'OperationDenied.InvalidState',
    )
    let done = taskSchema.parse(await (await get(`${TASKS}/${running?.id}`)).json())
    for (let i = 0; i < 400 && done.status !== 'succeeded'; i++) {
      rig.clock.advance(1000)
      await new Promise((r) => setTimeout(r, 25))
      done = taskSchema.parse(await (await get(`${TASKS}/${running?.id}`)).json())
    }
    expect(done.status).toBe('succeeded')
    expect(done.usage?.total_tokens).toBe(Math.round((864 * 480 * 24 * 2) / 1024))
    expect((await api(rig.sandbox, `${TASKS}/${done.id}`, { method: 'DELETE' })).status).toBe(200)
    await arkFailure(await get(`${TASKS}/${done.id}`), 404, 'ResourceNotFound')
  })

  it('links live 24 h from completion; records 7 days', async () => {
    const all = listTasksResponseSchema.parse(await (await get(`${TASKS}?page_size=500`)).json())
    let done = all.items.find((i) => i.status === 'succeeded')
    for (let i = 0; i < 400 && !done; i++) {
      rig.clock.advance(2000)
      await new Promise((r) => setTimeout(r, 25))
      done = listTasksResponseSchema
        .parse(await (await get(`${TASKS}?filter.status=succeeded`)).json())
        .items.find((t) => t.content?.video_url)
    }
    const url = done?.content?.video_url as string
    expect((await fetch(url)).status).toBe(200)
    rig.clock.advance(24 * 3600 * 1000 + 1000)
    expect((await fetch(url)).status).toBe(410)
    rig.clock.advance(7 * 24 * 3600 * 1000)
    await arkFailure(await get(`${TASKS}/${done?.id}`), 404, 'ResourceNotFound')
  })
})
