import { describe, expect, it } from 'vitest'
import { startSandbox } from '../../electron/sandbox/server'
import { api } from './helpers'

describe('Sandbox: fault injection', () => {
  it('is off by default', async () => {
    const sb = await startSandbox()
    try {
      expect(sb.options.faults).toEqual({ jobFailureRate: 0, unavailableRate: 0, latencyMs: 0, dropAfterCreateRate: 0 })
    } finally {
      await sb.close()
    }
  })

  it('fails jobs with JOB_FAILED and refunds their credits', async () => {
    const sb = await startSandbox({
      faults: { jobFailureRate: 1, unavailableRate: 0, latencyMs: 0, dropAfterCreateRate: 0 },
      genSeconds: { min: 0.3, max: 0.3 },
    })
    try {
      const before = sb.credits()
      const { job_id, credits_used } = await (
        await api(sb, '/v1/generate/text-to-video', { json: { prompt: 'p', duration: 8, resolution: '1080p' } })
      ).json()
      expect(sb.credits()).toBe(before - credits_used)
      await new Promise((r) => setTimeout(r, 600))
      const job = await (await api(sb, `/v1/jobs/${job_id}`)).json()
      expect(job).toMatchObject({ status: 'failed', error: { code: 'JOB_FAILED' } })
      expect(job.output).toBeUndefined()
      expect(sb.credits()).toBe(before)
    } finally {
      await sb.close()
    }
  })

  it('answers 503 SERVICE_UNAVAILABLE', async () => {
    const sb = await startSandbox({
      faults: { jobFailureRate: 0, unavailableRate: 1, latencyMs: 0, dropAfterCreateRate: 0 },
    })
    try {
      const res = await api(sb, '/v1/jobs')
      expect(res.status).toBe(503)
      expect((await res.json()).error.code).toBe('SERVICE_UNAVAILABLE')
    } finally {
      await sb.close()
    }
  })

  it('adds latency', async () => {
    const sb = await startSandbox({
      faults: { jobFailureRate: 0, unavailableRate: 0, latencyMs: 300, dropAfterCreateRate: 0 },
    })
    try {
      const t0 = Date.now()
      await api(sb, '/v1/jobs')
      expect(Date.now() - t0).toBeGreaterThanOrEqual(290)
    } finally {
      await sb.close()
    }
  })

  it('drops the connection after creating the job: the caller gets no answer, yet the job exists and was charged', async () => {
    const sb = await startSandbox({
      faults: { jobFailureRate: 0, unavailableRate: 0, latencyMs: 0, dropAfterCreateRate: 1 },
      genSeconds: { min: 5, max: 5 },
    })
    try {
      await expect(
        api(sb, '/v1/generate/text-to-video', { json: { prompt: 'lost answer', duration: 1, resolution: '720p' } }),
      ).rejects.toThrow()
      const list = await (await api(sb, '/v1/jobs')).json()
      expect(list.jobs).toHaveLength(1)
      expect(list.jobs[0]).toMatchObject({ prompt: 'lost answer', credits_used: 1 })
      expect(sb.credits()).toBe(sb.options.credits - 1)
    } finally {
      await sb.close()
    }
  })
})
