import { describe, expect, it } from 'vitest'
import { percentile, usageReport } from '../../../electron/core/library/usage'
import type { JobRecord } from '../../../electron/shared/model'

const day = (d: number, h = 12) => Date.UTC(2026, 10, d, h)
const job = (
  state: JobRecord['state'],
  submittedAt: number,
  genS: number | null,
  credits: number,
  error: string | null = null,
) =>
  ({
    state,
    submittedAt,
    completedAt: genS === null ? null : submittedAt + genS * 1000,
    credits,
    error: error ? { code: error, message: '' } : null,
  }) as JobRecord

describe('usageReport', () => {
  it('derives jobs, success rate, p50/p95 generation time, credits per day and errors by code', () => {
    const jobs = [
      job('done', day(25), 30, 10),
      job('done', day(25), 40, 10),
      job('done', day(26), 50, 6),
      job('done', day(26), 90, 6),
      job('failed', day(26), null, 0, 'JOB_FAILED'),
      job('failed', day(26), null, 0, 'DISK_FULL'),
      job('failed', day(26), null, 0, 'JOB_FAILED'),
      job('processing', day(26), null, 10),
    ]
    const u = usageReport(jobs)
    expect(u).toMatchObject({ jobs: 8, finished: 7, succeeded: 4, failed: 3 })
    expect(u.successRate).toBeCloseTo(4 / 7)
    expect(u.generationMs).toEqual({ p50: 40_000, p95: 90_000 })
    expect(u.creditsByDay).toEqual([
      { day: '2026-11-25', credits: 20 },
      { day: '2026-11-26', credits: 22 },
    ])
    expect(u.errorsByCode).toEqual([
      { code: 'JOB_FAILED', count: 2 },
      { code: 'DISK_FULL', count: 1 },
    ])
  })

  it('has no rates before anything finished', () => {
    expect(usageReport([])).toMatchObject({ jobs: 0, successRate: null, generationMs: { p50: null, p95: null } })
    expect(percentile([5], 95)).toBe(5)
  })
})
