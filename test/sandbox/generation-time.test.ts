// Sandbox.setGenerationSeconds: tests that depend on a job's timing set it (a job held in `processing` while a
// view is checked) instead of racing a fixed one.
import { afterEach, expect, it } from 'vitest'
import { type Sandbox, startSandbox } from '../../electron/sandbox/server'

let sb: Sandbox | undefined
afterEach(async () => {
  await sb?.close()
})

async function create(s: Sandbox): Promise<{ created: number; estimated: number }> {
  const created = Date.now()
  const res = await fetch(`${s.baseUrl}/generate/text-to-video`, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ prompt: 'harbour at dusk', duration: 1, resolution: '720p' }),
  })
  const { job_id } = (await res.json()) as { job_id: string }
  const job = (await (
    await fetch(`${s.baseUrl}/jobs/${job_id}`, { headers: { authorization: `Bearer ${s.apiKey}` } })
  ).json()) as {
    estimated_completion: string
  }
  return { created, estimated: Date.parse(job.estimated_completion) }
}

it('jobs created after setGenerationSeconds take the new time; the caller’s options object is not changed', async () => {
  const mine = { min: 1, max: 1 }
  sb = await startSandbox({ genSeconds: mine, requestsPerMinute: 100 })
  const fast = await create(sb)
  expect(fast.estimated - fast.created).toBeLessThan(60_000)
  sb.setGenerationSeconds({ min: 3600, max: 3600 })
  const held = await create(sb)
  expect(held.estimated - held.created).toBeGreaterThan(3599_000 - 60_000)
  expect(mine).toEqual({ min: 1, max: 1 })
})
