// A held queue lets go at local midnight by itself: the engine (its real wiring of budget and job manager) on the
// test's clock, in Paris, with an in-memory provider. At 23:50 a second job would pass the daily cap and waits; it
// is sent at 00:00 local (23:00 UTC), not a moment before, and counts against the new day.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Engine, openEngine } from '../../../electron/core/engine'
import type { ProviderSubmission, RemoteSnapshot } from '../../../electron/core/providers/port'
import { Keychain } from '../../../electron/core/secrets/keychain'
import { TimerClock } from '../../fakes/clock'
import { FakeProvider } from '../../fakes/video-provider'
import { type TestDirs, testDirs } from '../jobs/engine-helpers'

let dirs: TestDirs
let engine: Engine | undefined
beforeEach(async () => {
  dirs = await testDirs()
})
afterEach(async () => {
  await engine?.close()
  engine = undefined
  await dirs.cleanup()
})

describe('a daily cap at local midnight', () => {
  it('sends the held job when the day ends in the user’s zone', async () => {
    const clock = new TimerClock(Date.parse('2026-12-02T22:50:00Z')) // 23:50 in Paris (CET, UTC+1)
    // The service expects each job done in 3 hours (eta), so nothing else wakes the engine near midnight: only the
    // cap's reset can send the held job then.
    const sentAt: number[] = []
    const guide = new (class extends FakeProvider {
      override async submit(s: ProviderSubmission): Promise<RemoteSnapshot> {
        const snap = await super.submit(s)
        sentAt.push(clock.now())
        this.set(snap.remoteId, { eta: clock.now() + 3 * 3_600_000 })
        return this.remote.get(snap.remoteId) as RemoteSnapshot
      }
    })('seedance', { now: () => clock.now() })
    const e = await openEngine({
      paths: dirs.paths,
      role: 'cli',
      keychain: new Keychain({ env: { SEEDANCE_API_KEY: 'sk_test_midnight_0001' } }),
      factories: { seedance: () => guide },
      clock,
      timeZone: 'Europe/Paris',
    })
    engine = e
    e.budget.setCap('seedance', 'daily', { amount: 3, unit: 'credits' })
    // 4 s at 720p: 3 credits each.
    const submit = async (prompt: string) =>
      (await e.submit({ prompt, provider: 'seedance', duration: 4, resolution: '720p' })) as { job: { id: string } }
    const first = (await submit('before midnight')).job.id
    const second = (await submit('after midnight')).job.id

    const drive = async (check: () => boolean) => {
      for (let i = 0; i < 500 && !check(); i++) {
        await new Promise((r) => setTimeout(r, 2))
        if (!check()) clock.next()
      }
      return check()
    }
    expect(await drive(() => e.jobs.paused?.code === 'BUDGET_CAP')).toBe(true)
    expect(e.jobs.get(first)?.state).toBe('queued')
    expect(e.jobs.get(second)?.state).toBe('pending')
    expect(e.budget.status().providers[0]?.hold?.resetsAt).toBe(Date.parse('2026-12-02T23:00:00Z'))

    expect(await drive(() => guide.submitted() === 2)).toBe(true)
    expect(sentAt[1]).toBe(Date.parse('2026-12-02T23:00:00Z'))
    expect(e.jobs.paused).toBeNull()
    // The new day holds only the second job; the first counts for the day before.
    expect(e.budget.status().providers[0]?.caps[0]).toMatchObject({ held: 3, spent: 0, left: 0 })
  })
})
