// What `seedance sweep` prints: the grid with each job's cost (or why its model refuses it) and the totals, before
// anything is queued; then the results, one row per job named by what varied (the batch results' columns).
import type { Engine } from '../core/engine'
import type { JobRecord } from '../shared/model'
import { providerInfo } from '../shared/providers'
import { amountText, type SweepPlan, type SweepSubmitted, usdText } from '../shared/sweep'
import type { BatchResult } from './batch'
import { clean } from './terminal'

const jobs = (n: number) => `${n} ${n === 1 ? 'job' : 'jobs'}`

/** The grid, one line per job, and the totals per provider (its unit) and in USD. */
export function describePlan(plan: SweepPlan): string {
  const width = String(plan.cells.length).length
  const lines = plan.cells.map((cell) => {
    const n = String(cell.index + 1).padStart(width)
    // The settings the label does not already name.
    const settings = [
      cell.vary.model ? null : `${cell.provider}:${cell.model}`,
      cell.vary.seed || cell.seed === null ? null : `seed ${cell.seed}`,
      cell.vary.duration ? null : cell.duration === 0 ? 'auto' : `${cell.duration} s`,
      cell.vary.resolution ? null : cell.resolution,
    ].filter(Boolean)
    const what = `${clean(cell.label)}${settings.length > 0 ? ` (${settings.join(', ')})` : ''}`
    if (cell.problem) return `  ${n}  ${what}: refused: ${clean(cell.problem.message)}`
    const e = cell.estimate
    return `  ${n}  ${what}: ≈ ${amountText(e.amount, e.unit)}${e.usd === null ? ', price not published' : ` (≈ ${usdText(e.usd)})`}`
  })
  const totals = plan.totals.map(
    (t) =>
      `  ${providerInfo(t.provider).label}: ${jobs(t.jobs)}, ≈ ${amountText(t.amount, t.unit)}${t.usd === null ? '' : ` (≈ ${usdText(t.usd)})`}${t.unpriced > 0 && t.usd !== null ? `, ${t.unpriced} without a published price` : ''}`,
  )
  const unpriced = plan.unpriced > 0 ? ` (+ ${jobs(plan.unpriced)} with no published USD price)` : ''
  return [
    `Sweep: ${jobs(plan.cells.length)}, ${plan.ready} to queue${plan.refused > 0 ? `, ${plan.refused} refused` : ''}.`,
    ...lines,
    'Total before anything is queued:',
    ...totals,
    `  USD: ≈ ${usdText(plan.usd)}${unpriced}`,
    '',
  ].join('\n')
}

export type CellOutcome = SweepSubmitted['cells'][number]

function statusOf(job: JobRecord): BatchResult['status'] {
  if (job.state === 'done') return 'done'
  if (job.state === 'failed') return 'failed'
  if (job.state === 'cancelled') return 'cancelled'
  return 'pending'
}

/** One results row per job, named by what varied: its video's path, or why it was refused or failed. */
export function resultsOf(cells: readonly CellOutcome[], engine: Pick<Engine, 'jobs' | 'library'>): BatchResult[] {
  return cells.map((cell) => {
    const row = { id: `${cell.index + 1} ${cell.label}`, video: '', job_id: '', error: '' }
    if (cell.status === 'refused') return { ...row, status: 'invalid', error: cell.message ?? '' }
    if (cell.status === 'exists') {
      const entry = cell.videoId ? engine.library.get(cell.videoId) : undefined
      return { ...row, status: 'exists', video: entry ? engine.library.videoPath(entry) : '' }
    }
    const job = engine.jobs.get(cell.jobId as string) as JobRecord
    const entry = job.videoId ? engine.library.get(job.videoId) : undefined
    return {
      ...row,
      status: statusOf(job),
      video: entry && !entry.expired ? engine.library.videoPath(entry) : '',
      job_id: job.remoteId ?? '',
      error: job.error ? `${job.error.code}: ${job.error.message}` : '',
    }
  })
}
