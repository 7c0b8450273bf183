// A cap reached mid-batch, over real HTTP against the Sandbox (the guide's door, which reports each job's credits):
// the jobs that fit are sent, the next one is not; the door's queue pauses with BUDGET_CAP while the first jobs are
// still out (their holds count), stays held after a restart with the same cap, and goes on once the cap is raised.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Engine } from '../../../electron/core/engine'
import { type Sandbox, startSandbox } from '../../../electron/sandbox/server'
import { engineFor, finished, requestLog, type TestDirs, testDirs, until } from '../jobs/engine-helpers'

let dirs: TestDirs
let sandbox: Sandbox | undefined
let engine: Engine | undefined
beforeEach(async () => {
  dirs = await testDirs()
})
afterEach(async () => {
  await engine?.close()
  await sandbox?.close()
  engine = undefined
  sandbox = undefined
  await dirs.cleanup()
})

// 1 s at 720p: 1 credit on the guide's door (ceil(1 × 0.75)).
const text = (e: Engine, prompt: string) => e.prepare({ prompt, duration: 1, resolution: '720p' })

describe('a spending cap reached mid-batch', () => {
  it('pauses the queue, holds after a restart, and resumes when the cap is raised', async () => {
    const log = requestLog()
    sandbox = await startSandbox({ genSeconds: { min: 2, max: 2 }, requestsPerMinute: 200, log: log.log })
    const first = await engineFor(dirs, sandbox, { timeZone: 'Europe/Paris' })
    engine = first
    first.budget.setCap('seedance', 'daily', { amount: 2, unit: 'credits' })
    const ids: string[] = []
    for (const p of ['cap a', 'cap b', 'cap c', 'cap d']) ids.push((await first.jobs.submit(await text(first, p))).id)

    const paused = await first.jobs.whenIdle((j) => ids.includes(j.id))
    expect(paused?.code).toBe('BUDGET_CAP')
    // Held while the first two were still out: their holds, not their charges, filled the cap.
    expect(ids.slice(0, 2).some((id) => !finished(first.jobs.get(id)))).toBe(true)
    expect(paused?.message).toContain('2 credits held by jobs in progress, 0 credits left')
    const seedance = () => first.budget.status().providers.find((p) => p.provider === 'seedance')
    expect(seedance()?.hold).toMatchObject({ code: 'BUDGET_CAP', period: 'daily', left: 0, need: 1 })

    await until(() => ids.slice(0, 2).every((id) => finished(first.jobs.get(id))), 30_000, 'the two jobs that fit')
    expect(ids.map((id) => first.jobs.get(id)?.state)).toEqual(['done', 'done', 'pending', 'pending'])
    // The held jobs say why in their queue row.
    expect(first.jobs.get(ids[2] as string)?.note).toMatch(
      /^Held by a spending cap: Seedance API's daily cap of 2 credits \(0 credits left; this job needs 1 credits\); it resets at 00:00 on /,
    )
    expect(seedance()?.caps[0]).toMatchObject({ spent: 2, held: 0, left: 0 })
    expect(log.count(/^POST \/v1\/generate/)).toBe(2)
    await first.close()

    // A restarted engine with the same cap keeps holding: nothing more is sent.
    const second = await engineFor(dirs, sandbox, { timeZone: 'Europe/Paris' })
    engine = second
    expect((await second.jobs.whenIdle((j) => ids.includes(j.id)))?.code).toBe('BUDGET_CAP')
    expect(second.budget.status().providers.find((p) => p.provider === 'seedance')?.today.amount).toBe(2)
    expect(log.count(/^POST \/v1\/generate/)).toBe(2)

    // Raising the cap lets the queue go on by itself.
    second.budget.setCap('seedance', 'daily', { amount: 4, unit: 'credits' })
    await until(() => ids.every((id) => finished(second.jobs.get(id))), 30_000, 'every job')
    expect(ids.map((id) => second.jobs.get(id)?.state)).toEqual(['done', 'done', 'done', 'done'])
    expect(second.jobs.paused).toBeNull()
    expect(ids.map((id) => second.jobs.get(id)?.note ?? null).filter((n) => n?.startsWith('Held'))).toEqual([])
    expect(log.count(/^POST \/v1\/generate/)).toBe(4)
    expect(second.budget.status().providers.find((p) => p.provider === 'seedance')?.caps[0]).toMatchObject({
      spent: 4,
      left: 0,
    })
  }, 90_000)
})
