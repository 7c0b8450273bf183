// The Replicate adapter's reading of answers the Sandbox does not produce on demand: statuses it never reaches
// (aborted), error bodies in other shapes, and a list whose `next` link points elsewhere.
import { afterEach, describe, expect, it } from 'vitest'
import { createReplicateProvider } from '../../../electron/core/providers/replicate/adapter'
import { failureOf, replicateError } from '../../../electron/core/providers/replicate/errors'
import { snapshotOf } from '../../../electron/core/providers/replicate/snapshot'
import type { Prediction } from '../../../electron/core/providers/replicate/wire-types'
import { json, type Script, type ScriptedServer, scriptedServer } from './scripted-server'

const prediction = (over: Partial<Prediction>): Prediction => ({
  id: 'gm3qorzdhgbfurvjtvhg6dckhu',
  model: 'bytedance/seedance-1-pro',
  status: 'starting',
  input: { prompt: 'a fox', duration: 5, resolution: '720p', aspect_ratio: '16:9', seed: 9 },
  output: null,
  error: null,
  created_at: '2026-03-01T10:00:00.000000Z',
  started_at: null,
  completed_at: null,
  data_removed: false,
  ...over,
})

describe('Replicate snapshots', () => {
  it('maps every status to a phase, keeping the service word', () => {
    const phases = Object.fromEntries(
      (['starting', 'processing', 'failed', 'canceled', 'aborted'] as const).map((status) => [
        status,
        snapshotOf(prediction({ status })).phase,
      ]),
    )
    expect(phases).toEqual({
      starting: 'queued',
      processing: 'running',
      failed: 'failed',
      canceled: 'cancelled',
      aborted: 'expired',
    })
    expect(snapshotOf(prediction({ status: 'aborted' })).error).toMatchObject({ code: 'JOB_EXPIRED' })
    expect(snapshotOf(prediction({ status: 'aborted' })).error?.message).toMatch(/not charge/)
  })

  it('a success carries its URL until 1 h after completion, the seed and the echo; no cost', () => {
    const s = snapshotOf(
      prediction({
        status: 'succeeded',
        output: 'https://replicate.delivery/x/out.mp4',
        completed_at: '2026-03-01T10:01:00Z',
      }),
    )
    expect(s).toMatchObject({
      phase: 'succeeded',
      videoUrl: 'https://replicate.delivery/x/out.mp4',
      linkExpiresAt: Date.parse('2026-03-01T11:01:00Z'),
      seed: 9,
      cost: null,
      echo: { prompt: 'a fox', model: 'bytedance/seedance-1-pro', duration: 5, resolution: '720p', ratio: '16:9' },
    })
  })

  it('a success whose data was removed is expired with a clear reason, never a video', () => {
    const s = snapshotOf(prediction({ status: 'succeeded', output: null, input: {}, data_removed: true }))
    expect(s).toMatchObject({
      phase: 'expired',
      videoUrl: null,
      error: { code: 'JOB_EXPIRED', serviceCode: 'data_removed' },
    })
  })
})

describe('Replicate failures and error bodies', () => {
  it('E005 and moderation words are CONTENT_POLICY; anything else JOB_FAILED', () => {
    expect(
      failureOf('The input or output was flagged as sensitive. Please try again with different inputs. (E005)'),
    ).toEqual({
      code: 'CONTENT_POLICY',
      serviceCode: 'E005',
      message: expect.stringContaining('flagged'),
    })
    expect(failureOf('NSFW content detected in the output').code).toBe('CONTENT_POLICY')
    expect(failureOf('Prediction interrupted; please retry (code: PA)').code).toBe('JOB_FAILED')
    expect(failureOf('CUDA out of memory').code).toBe('JOB_FAILED')
    expect(failureOf(null)).toMatchObject({ code: 'JOB_FAILED', message: expect.stringContaining('no reason') })
  })

  it('reads detail (and title, invalid_fields) defensively, by status', () => {
    const read = replicateError('JOB_NOT_FOUND')
    const at = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      read({ status, body, headers: new Headers(headers), now: 0 })
    expect(at(401, { detail: 'Invalid token.' })).toMatchObject({ code: 'INVALID_API_KEY', message: 'Invalid token.' })
    expect(at(402, { title: 'Insufficient credit', detail: 'You have insufficient credit' })).toMatchObject({
      code: 'INSUFFICIENT_CREDITS',
      serviceCode: 'Insufficient credit',
    })
    expect(at(429, { detail: 'Request was throttled. Your rate limit resets in ~30s.' })).toMatchObject({
      code: 'RATE_LIMIT_EXCEEDED',
      retryAfter: 30,
      retryable: true,
    })
    expect(at(429, { detail: 'throttled' }, { 'retry-after': '7' }).retryAfter).toBe(7)
    const image = at(422, {
      detail: '- input.last_frame_image: bad',
      invalid_fields: [{ field: 'input.last_frame_image' }],
    })
    expect(image.code).toBe('INVALID_IMAGE')
    expect(at(422, { detail: '- input.prompt: too long', invalid_fields: [{ field: 'input.prompt' }] }).code).toBe(
      'INVALID_PROMPT',
    )
    expect(at(422, { detail: '- input.duration: Must be 2–12' }).code).toBe('INVALID_REQUEST')
    expect(at(404, { detail: 'Not found.' }).code).toBe('JOB_NOT_FOUND')
    expect(replicateError('MODEL_NOT_ENABLED')({ status: 404, body: {}, headers: new Headers(), now: 0 }).code).toBe(
      'MODEL_NOT_ENABLED',
    )
    // A proxy's HTML page: no body read, the status decides.
    expect(at(502, undefined)).toMatchObject({ code: 'SERVICE_UNAVAILABLE', retryable: true })
  })
})

describe('Replicate list pages', () => {
  let server: ScriptedServer | undefined
  afterEach(async () => server?.close())

  const provider = (url: string) =>
    createReplicateProvider({
      apiKey: 'r8_test',
      baseUrl: url,
      keyOrigin: new URL(url).origin,
      retry: { maxAttempts: 1 },
    })

  it('follows a next link on its own origin, and refuses one elsewhere without sending the key there', async () => {
    const pageWithNext =
      (next: (host: string) => string): Script =>
      (req, res, body) =>
        json(200, { results: [], next: next(req.headers.host ?? ''), previous: null })(req, res, body)
    server = await scriptedServer([
      pageWithNext((host) => `http://${host}/v1/predictions?cursor=abc`),
      pageWithNext(() => 'https://api.replicate.com.evil.example/v1/predictions?cursor=x'),
    ])
    const p = provider(server.url)
    const first = await p.list?.({ limit: 100 })
    expect(first?.next).toBe(`${server.url}/predictions?cursor=abc`)
    const second = await p.list?.({ limit: 100, cursor: first?.next }).catch((e: unknown) => e)
    expect(second).toMatchObject({ code: 'MALFORMED_RESPONSE' })
    expect((second as Error).message).toMatch(/not followed, so the key is not sent there/)
    expect(server.requests.map((r) => r.path)).toEqual(['/v1/predictions', '/v1/predictions?cursor=abc'])
    // A cursor naming another origin is refused before any request, too.
    const forged = await p
      .list?.({ limit: 100, cursor: 'https://evil.example/v1/predictions' })
      .catch((e: unknown) => e)
    expect(forged).toMatchObject({ code: 'MALFORMED_RESPONSE' })
    expect(server.requests).toHaveLength(2)
  })
})
