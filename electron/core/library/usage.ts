// Usage figures derived from the journal (and library): jobs, success rate, generation time p50/p95,
// credits per day and errors by code.
import type { JobRecord, UsageReport } from '../../shared/model'

export type { UsageReport } from '../../shared/model'

export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null
  const rank = Math.ceil((p / 100) * sorted.length) - 1
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] as number
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

export function usageReport(jobs: readonly JobRecord[]): UsageReport {
  const succeeded = jobs.filter((j) => j.state === 'done')
  const failed = jobs.filter((j) => j.state === 'failed')
  const times = succeeded
    .map((j) => (j.completedAt !== null && j.submittedAt !== null ? j.completedAt - j.submittedAt : null))
    .filter((t): t is number => t !== null && t >= 0)
    .sort((a, b) => a - b)
  const credits = new Map<string, number>()
  for (const j of jobs) {
    if (j.credits && j.submittedAt && j.state !== 'pending')
      credits.set(day(j.submittedAt), (credits.get(day(j.submittedAt)) ?? 0) + j.credits)
  }
  const errors = new Map<string, number>()
  for (const j of failed) if (j.error) errors.set(j.error.code, (errors.get(j.error.code) ?? 0) + 1)
  const finished = succeeded.length + failed.length
  return {
    jobs: jobs.length,
    finished,
    succeeded: succeeded.length,
    failed: failed.length,
    successRate: finished ? succeeded.length / finished : null,
    generationMs: { p50: percentile(times, 50), p95: percentile(times, 95) },
    creditsByDay: [...credits].sort(([a], [b]) => a.localeCompare(b)).map(([d, c]) => ({ day: d, credits: c })),
    errorsByCode: [...errors].sort((a, b) => b[1] - a[1]).map(([code, count]) => ({ code, count })),
  }
}
