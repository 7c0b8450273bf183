// Which waiting job goes next, per door and its rate policy (shared/providers.ts ProviderInfo.rate): 'reject'
// services get no more than their concurrency and the user's setting; 'queue' services take more, up to their queue;
// create budgets (Replicate: 600 a minute) are kept; doors do not hold each other up.
import { describe, expect, it } from 'vitest'
import { Scheduler, slotLimit } from '../../../electron/core/jobs/scheduler'
import type { JobRecord } from '../../../electron/shared/model'
import { type ProviderId, providerInfo } from '../../../electron/shared/providers'
import { FakeClock } from '../../fakes/clock'
import { job as jobRecord } from '../../fixtures/records'

const clock = new FakeClock()
let n = 0
function job(provider: ProviderId, state: JobRecord['state'], over: Partial<JobRecord> = {}): JobRecord {
  n += 1
  const base = jobRecord()
  return jobRecord({
    id: `${provider}-${state}-${n}`,
    state,
    createdAt: clock.now() - 1_000_000 + n,
    nextAt: null,
    request: { ...base.request, provider, model: providerInfo(provider).defaultModel },
    ...over,
  })
}
const many = (count: number, provider: ProviderId, state: JobRecord['state']) =>
  Array.from({ length: count }, () => job(provider, state))

describe('slotLimit', () => {
  it('a service that refuses past its concurrency: its figure, and never more than the user’s setting', () => {
    const guide = providerInfo('seedance').rate
    expect(slotLimit(guide, 5)).toBe(2)
    expect(slotLimit(guide, 1)).toBe(1)
  })
  it('a service that queues: its running jobs and its queue (Ark: 10 + 120), whatever the setting', () => {
    expect(slotLimit(providerInfo('ark').rate, 1)).toBe(130)
    expect(slotLimit(providerInfo('fal').rate, 1)).toBe(Number.POSITIVE_INFINITY)
  })
})

describe('Scheduler.pick', () => {
  it('sends the oldest due job whose door has room', () => {
    const s = new Scheduler()
    const older = job('seedance', 'pending')
    const newer = job('seedance', 'pending')
    const later = job('seedance', 'pending', { nextAt: clock.now() + 1000, createdAt: 0 })
    expect(s.pick([newer, later, older], { now: clock.now(), maxConcurrentJobs: 2 }).job?.id).toBe(older.id)
  })

  it('keeps the guide’s door at 2 jobs out while Ark’s door goes on', () => {
    const s = new Scheduler()
    const jobs = [...many(2, 'seedance', 'processing'), job('seedance', 'pending'), job('ark', 'pending')]
    expect(s.pick(jobs, { now: clock.now(), maxConcurrentJobs: 4 }).job?.request.provider).toBe('ark')
    const full = [...many(2, 'seedance', 'outcome-unknown'), job('seedance', 'pending')]
    expect(s.pick(full, { now: clock.now(), maxConcurrentJobs: 4 }).job).toBeNull()
  })

  it('sends more to a queueing service than its running limit, up to its queue', () => {
    const s = new Scheduler()
    expect(
      s.pick([...many(50, 'ark', 'queued'), job('ark', 'pending')], { now: clock.now(), maxConcurrentJobs: 2 }).job,
    ).not.toBeNull()
    expect(
      s.pick([...many(130, 'ark', 'queued'), job('ark', 'pending')], { now: clock.now(), maxConcurrentJobs: 2 }).job,
    ).toBeNull()
  })

  it('skips a job whose door is held', () => {
    const s = new Scheduler()
    const held = job('fal', 'pending')
    const free = job('seedance', 'pending')
    expect(s.pick([held, free], { now: clock.now(), maxConcurrentJobs: 2, blocked: (j) => j === held }).job).toBe(free)
  })

  it('keeps Replicate under 600 new jobs a minute, and says when the next may go', () => {
    const s = new Scheduler()
    const start = clock.now()
    for (let i = 0; i < 600; i++) s.sent('replicate', start + i)
    const waiting = [job('replicate', 'pending'), job('seedance', 'pending')]
    const pick = s.pick(waiting, { now: start + 1000, maxConcurrentJobs: 2 })
    expect(pick.job?.request.provider).toBe('seedance') // the other door is not held up
    expect(s.pick([waiting[0] as JobRecord], { now: start + 1000, maxConcurrentJobs: 2 })).toEqual({
      job: null,
      wakeAt: start + 60_000,
    })
    expect(s.pick([waiting[0] as JobRecord], { now: start + 60_001, maxConcurrentJobs: 2 }).job).toBe(waiting[0])
  })
})
