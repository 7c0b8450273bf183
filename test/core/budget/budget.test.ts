// The spend ledger and its caps, on a fake clock in a chosen zone: a job sent holds its estimate, a finished one is
// charged what the service reported (else the estimate), a failed one is released; caps count the local day and
// month and reset at local midnight; spend and caps survive a reopen from budget.json.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Budget } from '../../../electron/core/budget/budget'
import type { JobRecord } from '../../../electron/shared/model'
import { TimerClock } from '../../fakes/clock'
import { job } from '../../fixtures/records'

let dir: string
let file: string
let clock: TimerClock
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'budget-'))
  file = path.join(dir, 'budget.json')
  // 22:00 on 1 Dec in New York (EST, UTC−5).
  clock = new TimerClock(Date.parse('2026-12-02T03:00:00Z'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

const open = () => Budget.open({ file, clock, timeZone: 'America/New_York' })

/** A guide job (4 s at 720p: 3 credits by the price table) in a given state. */
const guide = (id: string, over: Partial<JobRecord> = {}): JobRecord =>
  job({ id, state: 'pending', submittedAt: null, credits: null, remoteId: null, attempts: 0, ...over })

const sent = (j: JobRecord, over: Partial<JobRecord> = {}): JobRecord => ({
  ...j,
  state: 'queued',
  submittedAt: clock.now(),
  attempts: j.attempts + 1,
  ...over,
})

describe('the spend ledger', () => {
  it('holds a job while it is out, charges the service’s figure when it finishes, releases a failure', async () => {
    const b = await open()
    const a = sent(guide('a'))
    b.observe(a)
    const today = () => b.status().providers.find((p) => p.provider === 'seedance')
    b.setCap('seedance', 'daily', { amount: 100, unit: 'credits' })
    expect(today()?.caps[0]).toMatchObject({ spent: 0, held: 3, left: 97 })
    // The service says it cost 5 credits (more than the table's 3): that is what counts.
    b.observe({ ...a, state: 'done', credits: 5, cost: { amount: 5, unit: 'credits' }, completedAt: clock.now() })
    b.observe({ ...a, state: 'done', credits: 5, cost: { amount: 5, unit: 'credits' }, note: 'seen again' })
    expect(today()?.caps[0]).toMatchObject({ spent: 5, held: 0, left: 95 })
    expect(today()?.today.amount).toBe(5)
    const f = sent(guide('f'))
    b.observe(f)
    expect(today()?.caps[0]).toMatchObject({ spent: 5, held: 3 })
    b.observe({ ...f, state: 'failed', error: { code: 'JOB_FAILED', message: 'x' } })
    expect(today()?.caps[0]).toMatchObject({ spent: 5, held: 0 })
    // A paid video whose download failed is still paid.
    const d = sent(guide('d'))
    b.observe({ ...d, state: 'downloading' })
    b.observe({
      ...d,
      state: 'failed',
      output: { videoUrl: 'x', thumbnailUrl: null, file: 'd.mp4', width: 1, height: 1 },
    })
    expect(today()?.caps[0]).toMatchObject({ spent: 8, held: 0 })
    await b.close()
  })

  it('holds a job that would pass the daily cap, says what is spent, left and when it resets', async () => {
    const b = await open()
    b.setCap('seedance', 'daily', { amount: 7, unit: 'credits' })
    b.observe(sent(guide('a')))
    b.observe(sent(guide('b')))
    const hold = b.check(guide('c'))
    expect(hold).toMatchObject({
      code: 'BUDGET_CAP',
      period: 'daily',
      spent: 0,
      held: 6,
      left: 1,
      need: 3,
      // Local midnight in New York: 05:00 UTC.
      resetsAt: Date.parse('2026-12-02T05:00:00Z'),
    })
    expect(hold?.message).toContain('1 credits left')
    expect(hold?.message).toContain('at 00:00 on Wed 2 Dec')
    // A smaller job fits what is left? No: 3 credits is the least a guide job costs; a raised cap lets it go.
    b.setCap('seedance', 'daily', { amount: 9, unit: 'credits' })
    expect(b.check(guide('c'))).toBeNull()
    await b.close()
  })

  it('starts the daily cap again at local midnight, while the monthly cap keeps counting', async () => {
    const b = await open()
    b.setCap('seedance', 'daily', { amount: 6, unit: 'credits' })
    b.setCap('seedance', 'monthly', { amount: 9, unit: 'credits' })
    for (const id of ['a', 'b']) b.observe({ ...sent(guide(id)), state: 'done', credits: 3 })
    expect(b.check(guide('c'))?.period).toBe('daily')
    // 23:59 local: still the same day.
    clock.setTimeout(() => {}, Date.parse('2026-12-02T04:59:00Z') - clock.now())
    clock.next()
    expect(b.check(guide('c'))?.period).toBe('daily')
    // 00:01 local on 2 Dec: a new day, the same month.
    clock.setTimeout(() => {}, 2 * 60_000)
    clock.next()
    expect(b.check(guide('c'))).toBeNull()
    b.observe({ ...sent(guide('c')), state: 'done', credits: 3 })
    expect(b.check(guide('d'))).toMatchObject({
      period: 'monthly',
      spent: 9,
      left: 0,
      resetsAt: Date.parse('2027-01-01T05:00:00Z'),
    })
    const status = b.status().providers.find((p) => p.provider === 'seedance')
    expect(status?.today.amount).toBe(3)
    expect(status?.month.amount).toBe(9)
    await b.close()
  })

  it('caps in USD where the price table knows the model, and refuses a USD cap where it knows none', async () => {
    const b = await open()
    // fal's Seedance 1.0 Pro at $2.5 per million tokens: 4 s at 720p (1248 × 704) is 82,368 tokens, $0.20592.
    const falJob = (id: string) =>
      guide(id, {
        request: { ...guide(id).request, provider: 'fal', model: 'fal-ai/bytedance/seedance/v1/pro' },
      })
    b.setCap('fal', 'daily', { amount: 0.5, unit: 'usd' })
    b.observe(sent(falJob('a')))
    b.observe(sent(falJob('b')))
    const hold = b.check(falJob('c'))
    expect(hold?.held).toBeCloseTo(0.41184, 6)
    expect(hold?.need).toBeCloseTo(0.20592, 6)
    expect(hold?.message).toContain('$0.09 left')
    expect(() => b.setCap('seedance', 'daily', { amount: 5, unit: 'usd' })).toThrow(
      expect.objectContaining({ code: 'BUDGET_UNIT' }),
    )
    expect(() => b.setCap('fal', 'daily', { amount: 5, unit: 'credits' })).toThrow(
      expect.objectContaining({ code: 'BUDGET_UNIT' }),
    )
    expect(() => b.setCap('fal', 'daily', { amount: 0, unit: 'usd' })).toThrow(
      expect.objectContaining({ code: 'BUDGET_AMOUNT' }),
    )
    await b.close()
  })

  it('keeps caps, spend and holds across a reopen; a hold whose job went back to waiting is released', async () => {
    const b = await open()
    b.setCap('seedance', 'daily', { amount: 7, unit: 'credits' })
    const a = sent(guide('a'))
    const c = sent(guide('c'))
    b.observe({ ...a, state: 'done', credits: 3 })
    b.observe(c)
    await b.close()
    const saved = JSON.parse(await readFile(file, 'utf8'))
    expect(saved.caps.seedance.daily).toEqual({ amount: 7, unit: 'credits' })

    const again = await open()
    // The journal says c was sent again later (a retry): its first attempt's hold is gone.
    again.reconcile([
      { ...a, state: 'done', credits: 3 },
      { ...c, state: 'pending', attempts: 1 },
    ])
    expect(again.status().providers.find((p) => p.provider === 'seedance')?.caps[0]).toMatchObject({
      spent: 3,
      held: 0,
      left: 4,
    })
    expect(again.check(guide('d'))).toBeNull()
    again.observe(sent(guide('d')))
    expect(again.check(guide('e'))).toMatchObject({ code: 'BUDGET_CAP', left: 1 })
    await again.close()
  })

  it('moves a damaged budget.json aside and starts empty', async () => {
    await writeFile(file, '{"version":1,"caps":{"seedance":{"daily":{"amount":-1')
    const b = await open()
    expect(b.status().providers.every((p) => p.caps.length === 0)).toBe(true)
    await b.close()
  })
})
