// The client against the real Sandbox over HTTP: every endpoint, every error code.
import { describe, expect, it } from 'vitest'
import { ApiError } from '../../../electron/core/providers/errors'
import { ClientRateLimiter, type LimiterClock } from '../../../electron/core/providers/rate-limiter'
import { SeedanceClient } from '../../../electron/core/providers/seedance/client'
import { startSandbox } from '../../../electron/sandbox/server'
import { picture } from '../../fixtures/images'
import { sandboxForTests, waitForJob } from '../../sandbox/helpers'

const { sandbox, client } = sandboxForTests({ credits: 40 })

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
    return 'ok'
  } catch (e) {
    return e instanceof ApiError ? e.code : `not an ApiError: ${e}`
  }
}

describe('SeedanceClient against the Sandbox', () => {
  it('submits text and image jobs, reads and lists them', async () => {
    const text = await client().generateTextToVideo({
      prompt: 'ocean waves',
      duration: 1,
      resolution: '720p',
      aspect_ratio: '1:1',
      style: 'dreamy',
    })
    const png = await picture(800, 600)
    const image = await client().generateImageToVideo({
      prompt: 'push in',
      image_base64: png.toString('base64'),
      duration: 1,
      resolution: '720p',
    })
    const done = await waitForJob(client(), text.job_id)
    expect(done.output).toMatchObject({ width: 720, height: 720, duration: 1, resolution: '720p' })
    expect((await waitForJob(client(), image.job_id)).mode).toBe('image-to-video')
    const page = await client().listJobs({ limit: 10 })
    expect(page.jobs.map((j) => j.job_id)).toEqual(expect.arrayContaining([text.job_id, image.job_id]))
    expect(client().rateLimit()).toBeNull() // this client runs without a limiter
  }, 60_000)

  it('maps every documented error to its code', async () => {
    const wrongKey = new SeedanceClient({ apiKey: 'nope', baseUrl: sandbox().baseUrl, limiter: null })
    expect(await codeOf(wrongKey.listJobs())).toBe('INVALID_API_KEY')
    expect(await codeOf(client().generateTextToVideo({ prompt: '' }))).toBe('INVALID_PROMPT')
    expect(await codeOf(client().generateTextToVideo({ prompt: 'x', duration: 9 }))).toBe('INVALID_DURATION')
    expect(await codeOf(client().generateTextToVideo({ prompt: 'x', resolution: '4k' as '720p' }))).toBe(
      'INVALID_RESOLUTION',
    )
    expect(await codeOf(client().generateTextToVideo({ prompt: 'x', aspect_ratio: '4:3' as '1:1' }))).toBe(
      'INVALID_ASPECT_RATIO',
    )
    expect(await codeOf(client().generateTextToVideo({ prompt: 'x', style: 's'.repeat(101) }))).toBe('INVALID_STYLE')
    expect(await codeOf(client().generateImageToVideo({ prompt: 'x', image_base64: 'aGVsbG8=' }))).toBe('INVALID_IMAGE')
    expect(
      await codeOf(client().generateImageToVideo({ prompt: 'x', image_base64: 'aGVsbG8=', motion_intensity: 3 })),
    ).toBe('INVALID_MOTION_INTENSITY')
    expect(await codeOf(client().getJob('job_missing'))).toBe('JOB_NOT_FOUND')
    expect(await codeOf(client().deleteWebhook('wh_missing'))).toBe('WEBHOOK_NOT_FOUND')
    expect(await codeOf(client().createWebhook({ url: 'x', secret: 'y' }))).toBe('INVALID_WEBHOOK')
    // 40 credits: 1 + 1 spent above; 8 s at 1080p costs 10.
    for (let i = 0; i < 3; i++)
      expect(await codeOf(client().generateTextToVideo({ prompt: 'spend', duration: 8, resolution: '1080p' }))).toBe(
        'ok',
      )
    expect(await codeOf(client().generateTextToVideo({ prompt: 'spend', duration: 8, resolution: '1080p' }))).toBe(
      'INSUFFICIENT_CREDITS',
    )
  }, 60_000)

  it('reports a failed generation as the job error JOB_FAILED', async () => {
    const sb = await startSandbox({
      faults: { jobFailureRate: 1, unavailableRate: 0, latencyMs: 0, dropAfterCreateRate: 0 },
      genSeconds: { min: 0.2, max: 0.2 },
    })
    try {
      const c = new SeedanceClient({ apiKey: sb.apiKey, baseUrl: sb.baseUrl, limiter: null })
      const job = await waitForJob(c, (await c.generateTextToVideo({ prompt: 'x', duration: 1 })).job_id)
      expect(job.error?.code).toBe('JOB_FAILED')
    } finally {
      await sb.close()
    }
  })

  it('retries through a 503 burst and gives up with SERVICE_UNAVAILABLE when it does not end', async () => {
    const sb = await startSandbox({
      faults: { jobFailureRate: 0, unavailableRate: 1, latencyMs: 0, dropAfterCreateRate: 0 },
    })
    try {
      const delays: number[] = []
      const clock: LimiterClock = {
        now: () => Date.now(),
        sleep: async (ms) => {
          delays.push(ms)
        },
      }
      const c = new SeedanceClient({
        apiKey: sb.apiKey,
        baseUrl: sb.baseUrl,
        limiter: null,
        clock,
        retry: { maxAttempts: 4 },
      })
      expect(await codeOf(c.listJobs())).toBe('SERVICE_UNAVAILABLE')
      expect(delays).toHaveLength(3)
    } finally {
      await sb.close()
    }
  })

  it('reports a dropped POST as OUTCOME_UNKNOWN while the job exists, so it can be reconciled by listing', async () => {
    const sb = await startSandbox({
      faults: { jobFailureRate: 0, unavailableRate: 0, latencyMs: 0, dropAfterCreateRate: 1 },
      genSeconds: { min: 5, max: 5 },
    })
    try {
      const c = new SeedanceClient({ apiKey: sb.apiKey, baseUrl: sb.baseUrl, limiter: null })
      expect(await codeOf(c.generateTextToVideo({ prompt: 'reconcile me', duration: 1, resolution: '720p' }))).toBe(
        'OUTCOME_UNKNOWN',
      )
      const page = await c.listJobs()
      expect(page.jobs).toHaveLength(1)
      expect(page.jobs[0]?.prompt).toBe('reconcile me')
    } finally {
      await sb.close()
    }
  })

  it('hits a 429 when it exceeds the limit without a limiter, and waits it out', async () => {
    const sb = await startSandbox({ requestsPerMinute: 2, rateWindowSeconds: 2 })
    try {
      const waits: number[] = []
      const c = new SeedanceClient({
        apiKey: sb.apiKey,
        baseUrl: sb.baseUrl,
        limiter: null,
        onEvent: (e) => {
          if (e.type === 'retry' && e.status === 429) waits.push(e.delayMs ?? 0)
        },
      })
      for (let i = 0; i < 3; i++) await c.listJobs()
      expect(waits).toHaveLength(1)
      expect(waits[0]).toBeGreaterThan(0)
      expect(waits[0]).toBeLessThanOrEqual(2000)
    } finally {
      await sb.close()
    }
  }, 15_000)
})

describe('client-side rate limiting against the Sandbox', () => {
  it('keeps a steady stream of requests under the limit: zero 429 responses', async () => {
    const sb = await startSandbox({ requestsPerMinute: 5, rateWindowSeconds: 2 })
    try {
      const statuses: number[] = []
      const clock: LimiterClock = {
        now: () => Date.now(),
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      }
      const c = new SeedanceClient({
        apiKey: sb.apiKey,
        baseUrl: sb.baseUrl,
        clock,
        limiter: new ClientRateLimiter(5, clock, 2000),
        onEvent: (e) => {
          if (e.type === 'response' && e.status) statuses.push(e.status)
        },
      })
      const started = Date.now()
      await Promise.all(Array.from({ length: 12 }, () => c.listJobs({ limit: 1 })))
      expect(statuses).toHaveLength(12)
      expect(statuses.filter((s) => s === 429)).toEqual([])
      expect(Date.now() - started).toBeGreaterThanOrEqual(4000) // 12 requests at 5 per 2 s need three windows
      expect(c.rateLimit()).toMatchObject({ limit: 5 })
    } finally {
      await sb.close()
    }
  }, 30_000)
})
