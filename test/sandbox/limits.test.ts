import { describe, expect, it } from 'vitest'
import { startSandbox } from '../../electron/sandbox/server'
import { api, fetchJson } from './helpers'

describe('Sandbox: rate limits', () => {
  it('counts API requests per minute, reports X-RateLimit-* on every answer, then answers 429 with Retry-After', async () => {
    const sb = await startSandbox({ requestsPerMinute: 3 })
    try {
      const seen: Array<[number, string | null]> = []
      for (let i = 0; i < 4; i++) {
        const res = await api(sb, '/v1/jobs')
        seen.push([res.status, res.headers.get('x-ratelimit-remaining')])
        expect(res.headers.get('x-ratelimit-limit')).toBe('3')
        const reset = Number(res.headers.get('x-ratelimit-reset'))
        expect(reset * 1000).toBeGreaterThan(Date.now())
        expect(reset * 1000).toBeLessThanOrEqual(Date.now() + 61_000)
        if (res.status === 429) {
          const body = await res.json()
          expect(body.error.code).toBe('RATE_LIMIT_EXCEEDED')
          expect(body.error.retry_after).toBeGreaterThan(0)
          expect(res.headers.get('retry-after')).toBe(String(body.error.retry_after))
        }
      }
      expect(seen).toEqual([
        [200, '2'],
        [200, '1'],
        [200, '0'],
        [429, '0'],
      ])
    } finally {
      await sb.close()
    }
  })

  it('limits concurrent jobs: a third job while two run gets 429 with a retry_after', async () => {
    const sb = await startSandbox({ maxConcurrentJobs: 2, genSeconds: { min: 30, max: 30 }, requestsPerMinute: 100 })
    try {
      const post = () =>
        api(sb, '/v1/generate/text-to-video', { json: { prompt: 'city at night', duration: 1, resolution: '720p' } })
      expect((await post()).status).toBe(200)
      expect((await post()).status).toBe(200)
      const third = await post()
      expect(third.status).toBe(429)
      const body = await third.json()
      expect(body.error.code).toBe('RATE_LIMIT_EXCEEDED')
      expect(body.error.message).toContain('Concurrent job limit')
      expect(body.error.retry_after).toBeGreaterThanOrEqual(29)
      expect(third.headers.get('retry-after')).toBe(String(body.error.retry_after))
      const balance = sb.credits()
      expect(balance).toBe(sb.options.credits - 2)
    } finally {
      await sb.close()
    }
  })
})

describe('Sandbox: expiring output URLs', () => {
  it('answers 410 URL_EXPIRED once a URL is past its TTL, and a fresh fetch of the job gives a working one', async () => {
    // The link's lifetime passes on the Sandbox's clock, moved on by the test: no race with real time.
    let skew = 0
    const sb = await startSandbox({
      urlTtlSeconds: 60,
      genSeconds: { min: 0.3, max: 0.3 },
      requestsPerMinute: 100,
      now: () => Date.now() + skew,
    })
    try {
      const { job_id } = await (
        await api(sb, '/v1/generate/text-to-video', { json: { prompt: 'ocean', duration: 1, resolution: '720p' } })
      ).json()
      let job: { status: string; output?: { video_url: string } }
      do {
        await new Promise((r) => setTimeout(r, 200))
        job = await (await api(sb, `/v1/jobs/${job_id}`)).json()
      } while (job.status !== 'completed')
      const url = job.output?.video_url ?? ''
      expect((await fetchJson(url)).status).toBe(200)
      skew = 61_000
      const expired = await fetchJson(url)
      expect(expired.status).toBe(410)
      expect((await expired.json()).error.code).toBe('URL_EXPIRED')
      const fresh = await (await api(sb, `/v1/jobs/${job_id}`)).json()
      expect((await fetchJson(fresh.output.video_url)).status).toBe(200)
    } finally {
      await sb.close()
    }
  }, 30_000)

  it('answers 410 for every URL once the file retention has passed', async () => {
    let skew = 0
    const sb = await startSandbox({
      retentionSeconds: 60,
      genSeconds: { min: 0.3, max: 0.3 },
      requestsPerMinute: 100,
      now: () => Date.now() + skew,
    })
    try {
      const { job_id } = await (
        await api(sb, '/v1/generate/text-to-video', { json: { prompt: 'ocean', duration: 1, resolution: '720p' } })
      ).json()
      let job: { status: string; output?: { video_url: string } }
      do {
        await new Promise((r) => setTimeout(r, 200))
        job = await (await api(sb, `/v1/jobs/${job_id}`)).json()
      } while (job.status !== 'completed')
      skew = 61_000
      const again = await (await api(sb, `/v1/jobs/${job_id}`)).json()
      expect((await fetchJson(again.output.video_url)).status).toBe(410)
    } finally {
      await sb.close()
    }
  }, 30_000)
})

describe('Sandbox: request body limit', () => {
  // A client that sends too much gets an answer it can show (413 in the guide's error format), not a reset.
  it('answers an oversized body with 413 and a JSON error, whether its length is declared or not', async () => {
    const sb = await startSandbox()
    try {
      const big = new Uint8Array(16 * 1024 * 1024).fill(0x20)
      const declared = await api(sb, '/v1/generate/image-to-video', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: big,
      })
      expect(declared.status).toBe(413)
      expect((await declared.json()).error).toMatchObject({ code: 'REQUEST_TOO_LARGE', message: /15 MB/ })

      // Streamed without a length: the answer comes once the limit is passed, before the sender finishes.
      const chunk = new Uint8Array(256 * 1024).fill(0x20)
      let sent = 0
      const stream = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent >= 64 * 1024 * 1024) return controller.close()
          sent += chunk.length
          controller.enqueue(chunk)
        },
      })
      const chunked = await fetchJson(`${sb.origin}/v1/generate/text-to-video`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sb.apiKey}`, 'content-type': 'application/json' },
        body: stream,
        duplex: 'half',
      } as RequestInit)
      expect(chunked.status).toBe(413)
      expect((await chunked.json()).error.code).toBe('REQUEST_TOO_LARGE')
      expect(sent).toBeLessThan(64 * 1024 * 1024)
      // The Sandbox still answers afterwards.
      expect((await api(sb, '/v1/jobs')).status).toBe(200)
    } finally {
      await sb.close()
    }
  })
})
