// Conformance with Ark's own documentation (its official SDKs are not on npm): the request and response examples of
// its docs, kept as fixtures with their source (test/fixtures/ark), are read by the adapter's schemas and mapping,
// and the requests the adapter sends have the documented shape.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { snapshotFromTask } from '../../../electron/core/providers/ark/adapter'
import { arkError } from '../../../electron/core/providers/ark/errors'
import {
  createTaskRequestSchema,
  createTaskResponseSchema,
  deleteTaskResponseSchema,
  listTasksResponseSchema,
  taskSchema,
} from '../../../electron/core/providers/ark/wire-types'
import { PROVIDER_ERROR } from '../../../electron/core/providers/port'
import { picture } from '../../fixtures/images'
import { type ArkRig, arkRequest, arkRig } from './ark-sandbox'

// biome-ignore lint/suspicious/noExplicitAny: fixtures are raw JSON, read field by field.
function fixture(name: string): any {
  return JSON.parse(readFileSync(new URL(`../../fixtures/ark/${name}.json`, import.meta.url), 'utf8'))
}

describe('the documented answers, read by the adapter', () => {
  it('every fixture names its source', () => {
    for (const name of [
      'create-request',
      'create-response',
      'get-succeeded',
      'get-last-frame',
      'get-running',
      'get-failed-output-moderation',
      'list',
      'list-task-ids',
      'list-sdk-failure-reason',
      'delete-response',
      'errors',
    ])
      expect(fixture(name).source, name).toMatch(/VolcanoArkDocs|python-sdk|TanStack|错误码/)
  })

  it('a succeeded task (the query doc’s example): video, tokens, times in ms, link expiry = updated_at + 24 h', () => {
    const snap = snapshotFromTask(taskSchema.parse(fixture('get-succeeded').body))
    expect(snap).toMatchObject({
      remoteId: 'cgt-2025******-****',
      phase: 'succeeded',
      serviceStatus: 'succeeded',
      error: null,
      videoUrl: 'https://ark-content-generation-cn-beijing.tos-cn-beijing.volces.com/doubao-seedance-1-0-pro/****',
      lastFrameUrl: null,
      thumbnailUrl: null,
      createdAt: 1743414619000,
      completedAt: 1743414673000,
      linkExpiresAt: 1743414673000 + 24 * 3600 * 1000,
      cost: { amount: 108900, unit: 'tokens' },
      seed: 10,
      // 720p 16:9 is 1248×704 on Seedance (shared frameSize).
      width: 1248,
      height: 704,
      // Volcengine's doubao- id is the catalog's model.
      echo: { model: 'seedance-1-0-pro-250528', duration: 5, resolution: '720p', ratio: '16:9' },
    })
  })

  it('the last frame link when return_last_frame was set', () => {
    const snap = snapshotFromTask(taskSchema.parse(fixture('get-last-frame').body))
    expect(snap).toMatchObject({ lastFrameUrl: 'https://example.tos/last.png', cost: { amount: 243000 }, width: 1920 })
  })

  it('a running task: no completion, no cost, the 2.0 model known by its Volcengine id', () => {
    const snap = snapshotFromTask(taskSchema.parse(fixture('get-running').body))
    expect(snap).toMatchObject({ phase: 'running', completedAt: null, cost: null, videoUrl: null, linkExpiresAt: null })
    expect(snap.echo?.model).toBe('dreamina-seedance-2-0-260128')
  })

  it('output moderation: a failed task with Ark’s code is CONTENT_POLICY', () => {
    const snap = snapshotFromTask(taskSchema.parse(fixture('get-failed-output-moderation').body))
    expect(snap.phase).toBe('failed')
    expect(snap.error).toEqual({
      code: PROVIDER_ERROR.contentPolicy,
      serviceCode: 'OutputVideoSensitiveContentDetected.PolicyViolation',
      message: 'The request failed because the output video may contain sensitive information.',
    })
  })

  it('the list doc’s examples (a page; several task ids) parse, newest first', () => {
    const page = listTasksResponseSchema.parse(fixture('list').body)
    expect(page.total).toBe(3)
    expect(page.items.map(snapshotFromTask).map((s) => s.seed)).toEqual([10, 23, 4])
    const byIds = listTasksResponseSchema.parse(fixture('list-task-ids').body)
    expect(byIds.items.map((i) => i.id)).toEqual(['cgt-20250730114109-jfd6d', 'cgt-20250730114109-xtv7k'])
    // A model the app does not offer (1.0 lite, deactivated) keeps the id Ark gave.
    expect(snapshotFromTask(byIds.items[0] as never).echo?.model).toBe('doubao-seedance-1-0-lite-i2v-250428')
  })

  it('a list item’s failure_reason (the SDK’s type) is read like GET’s error', () => {
    const [item] = listTasksResponseSchema.parse(fixture('list-sdk-failure-reason').body).items
    const snap = snapshotFromTask(item as never)
    expect(snap.error).toMatchObject({
      code: PROVIDER_ERROR.contentPolicy,
      serviceCode: 'OutputVideoSensitiveContentDetected',
    })
    expect(snap.cost).toBeNull()
  })

  it('create and delete answers parse', () => {
    expect(createTaskResponseSchema.parse(fixture('create-response').body).id).toBe('cgt-20250331175019-68d9t')
    expect(deleteTaskResponseSchema.parse(fixture('delete-response').body)).toEqual({})
  })

  it('every documented error code maps to the app’s code, keeping Ark’s', () => {
    for (const c of fixture('errors').cases as Array<{
      status: number
      app: string
      body: { error: { code: string } }
    }>) {
      const error = arkError({ status: c.status, headers: new Headers(), body: c.body, now: 0 })
      expect({ code: error.code, serviceCode: error.serviceCode }, c.body.error.code).toEqual({
        code: c.app,
        serviceCode: c.body.error.code,
      })
      // Rate codes are waited out and 5xx retried; a full queue or a refusal is not retried blindly.
      expect(error.retryable, c.body.error.code).toBe(
        c.app === 'RATE_LIMIT_EXCEEDED' || c.app === 'SERVICE_UNAVAILABLE',
      )
    }
    // A proxy's page instead of Ark's envelope: the status decides.
    expect(arkError({ status: 502, headers: new Headers(), body: undefined, now: 0 }).code).toBe(
      PROVIDER_ERROR.unavailable,
    )
  })

  it('the documented request example passes the (strict) request schema; an invented field does not', () => {
    const body = fixture('create-request').body
    expect(createTaskRequestSchema.safeParse(body).success).toBe(true)
    expect(createTaskRequestSchema.safeParse({ ...body, prompt_extend: true }).success).toBe(false)
  })
})

describe('the adapter’s requests have the documented shape', { timeout: 60_000 }, () => {
  let rig: ArkRig
  const bodies: unknown[] = []
  beforeAll(async () => {
    rig = await arkRig()
  })
  afterAll(() => rig.close())

  const recording: typeof fetch = (url, init) => {
    if (init?.method === 'POST') bodies.push(JSON.parse(String(init.body)))
    return fetch(url, init)
  }

  it('text, first frame, first + last frame, and audio on 2.0: documented fields only, as the example has them', async () => {
    const ark = rig.provider({ fetch: recording })
    const png = await picture(640, 480)
    const image = { path: 'x', sha256: 'y', name: 'a.png' }
    await ark.submit({ request: arkRequest({ seed: 42, cameraFixed: true }), firstFrame: null, lastFrame: null })
    await ark.submit({
      request: arkRequest({ mode: 'image', image, aspectRatio: null }),
      firstFrame: { data: png, mime: 'image/png' },
      lastFrame: null,
    })
    await ark.submit({
      request: arkRequest({ mode: 'image', image, lastImage: image }),
      firstFrame: { data: png, mime: 'image/png' },
      lastFrame: { data: png, mime: 'image/png' },
    })
    await ark.submit({
      request: arkRequest({ model: 'dreamina-seedance-2-0-260128', duration: -1, audio: true, resolution: '720p' }),
      firstFrame: null,
      lastFrame: null,
    })
    const example = fixture('create-request').body
    const documented = new Set([...Object.keys(example), 'generate_audio'])
    expect(bodies).toHaveLength(4)
    for (const body of bodies) {
      const parsed = createTaskRequestSchema.parse(body)
      for (const key of Object.keys(parsed)) expect(documented).toContain(key)
      expect(parsed).toMatchObject({ watermark: false, return_last_frame: true })
      for (const item of parsed.content)
        expect(Object.keys(item).sort()).toEqual(
          Object.keys(example.content.find((e: { type: string }) => e.type === item.type)).sort(),
        )
    }
    const [text, first, both, v2] = bodies as Array<Record<string, unknown>>
    expect(text).toEqual({
      model: 'seedance-1-0-pro-250528',
      content: [{ type: 'text', text: 'a lighthouse at dusk, waves rolling in' }],
      resolution: '480p',
      ratio: '16:9',
      duration: 2,
      seed: 42,
      camera_fixed: true,
      watermark: false,
      return_last_frame: true,
    })
    // No ratio chosen: none sent (Ark's default for an image is adaptive); a random seed is -1.
    expect(first).not.toHaveProperty('ratio')
    expect(first).toMatchObject({ seed: -1, content: [{ type: 'text' }, { role: 'first_frame' }] })
    const firstImage = (first?.content as Array<{ image_url?: { url: string } }> | undefined)?.[1]
    expect(firstImage?.image_url?.url.slice(0, 22)).toBe('data:image/png;base64,')
    expect(both?.content).toMatchObject([{ type: 'text' }, { role: 'first_frame' }, { role: 'last_frame' }])
    // 2.0: auto duration is -1, sound asked for, no camera_fixed (it has none).
    expect(v2).toMatchObject({ duration: -1, generate_audio: true })
    expect(v2).not.toHaveProperty('camera_fixed')
  })

  it('the Volcengine region sends doubao- model ids', async () => {
    bodies.length = 0
    const ark = rig.provider({ fetch: recording, region: 'cn-beijing' })
    await ark.submit({
      request: arkRequest({ model: 'dreamina-seedance-2-0-fast-260128', duration: 4 }),
      firstFrame: null,
      lastFrame: null,
    })
    await ark.submit({ request: arkRequest(), firstFrame: null, lastFrame: null })
    expect(bodies.map((b) => (b as { model: string }).model)).toEqual([
      'doubao-seedance-2-0-fast-260128',
      'doubao-seedance-1-0-pro-250528',
    ])
  })
})
