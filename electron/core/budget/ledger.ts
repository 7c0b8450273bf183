// The spend ledger, pure: one entry per job attempt sent to a service, held (its estimate reserved while it is out)
// or spent (settled when it finished). A job is charged what its service reported where it reports it (the guide's
// credits, Ark's tokens), else the price table's estimate (shared/providers.ts estimateCost); a job that failed or
// was cancelled before the service finished it is released. Settling is idempotent: the same job seen twice (each
// journaled change is told) counts once.
import type { BudgetCap, CapPeriod, Spend } from '../../shared/budget'
import { FINAL_STATES } from '../../shared/job-states'
import type { JobRecord } from '../../shared/model'
import { type CostUnit, defaultModel, estimateCost, findModel, type ProviderId } from '../../shared/providers'

export interface LedgerEntry {
  provider: ProviderId
  /** When the job was sent: its spend belongs to that local day and month. */
  at: number
  amount: number
  unit: CostUnit
  /** USD where the price table knows the model's price, else null. */
  usd: number | null
  status: 'held' | 'spent'
  /** Where the amount comes from: what the service reported, or the price table's estimate. */
  source: 'service' | 'estimate'
}

export type CapsByProvider = Partial<Record<ProviderId, Partial<Record<CapPeriod, BudgetCap>>>>

export interface LedgerData {
  version: 1
  caps: CapsByProvider
  /** By `${jobId}#${attempt}`: a job sent again (a retry) is a new attempt, which may be charged again. */
  entries: Record<string, LedgerEntry>
}

export const emptyLedger = (): LedgerData => ({ version: 1, caps: {}, entries: {} })

/** What a job costs: what its service reported, else the estimate. */
export function jobCharge(job: JobRecord): Omit<LedgerEntry, 'at' | 'status'> {
  const r = job.request
  const model = findModel(r.provider, r.model) ?? defaultModel(r.provider)
  const estimate = estimateCost(r.provider, model, {
    duration: r.duration,
    resolution: r.resolution,
    aspectRatio: r.aspectRatio,
    audio: r.audio,
  })
  const reported =
    job.cost && job.cost.unit === estimate.unit
      ? job.cost.amount
      : job.credits !== null && estimate.unit === 'credits'
        ? job.credits
        : null
  if (reported === null) return { provider: r.provider, ...estimate, source: 'estimate' }
  // The service's figure in its unit; its USD at the price table's rate for this job.
  const usd = estimate.usd === null || estimate.amount === 0 ? null : (reported * estimate.usd) / estimate.amount
  return { provider: r.provider, amount: reported, unit: estimate.unit, usd, source: 'service' }
}

export const attemptKey = (job: Pick<JobRecord, 'id' | 'attempts'>) => `${job.id}#${job.attempts}`

/** The service finished the job's work (a video was made): it is paid for, whatever happens to the download. */
function paid(job: JobRecord): boolean {
  return job.output !== null || job.state === 'downloading' || job.state === 'download-retry' || job.state === 'done'
}

/**
 * Fold a job's current record into the ledger. Returns true when the ledger changed. A job out at its service
 * holds its charge; a finished one is charged (paid) or released (failed or cancelled without charge).
 */
export function observeJob(data: LedgerData, job: JobRecord): boolean {
  const key = attemptKey(job)
  const entry = data.entries[key]
  // Failed or cancelled before a video was made: released. The services bill finished videos only (providers.md:
  // Ark and fal do not charge failures, Replicate's aborted is free); a job cancelled while running that a service
  // still bills for its time is not known to the app, so it is not counted.
  if (job.state === 'pending' || (FINAL_STATES.has(job.state) && !paid(job))) {
    // Not (or no longer) out: a hold is released; a settled charge stays.
    if (entry?.status !== 'held') return false
    delete data.entries[key]
    return true
  }
  if (job.submittedAt === null) return false
  const status: LedgerEntry['status'] = FINAL_STATES.has(job.state) || paid(job) ? 'spent' : 'held'
  const next: LedgerEntry = { ...jobCharge(job), at: job.submittedAt, status }
  if (entry?.status === 'spent' && (next.source === entry.source || entry.source === 'service')) return false
  if (entry && sameEntry(entry, next)) return false
  data.entries[key] = next
  return true
}

function sameEntry(a: LedgerEntry, b: LedgerEntry): boolean {
  return a.status === b.status && a.amount === b.amount && a.source === b.source && a.at === b.at
}

/** Holds of attempts no longer out (a job sent again, or gone from the journal): released. */
export function releaseStale(data: LedgerData, jobs: ReadonlyMap<string, JobRecord>): boolean {
  let changed = false
  for (const [key, entry] of Object.entries(data.entries)) {
    if (entry.status !== 'held') continue
    const id = key.slice(0, key.lastIndexOf('#'))
    const job = jobs.get(id)
    if (!job || attemptKey(job) !== key) {
      delete data.entries[key]
      changed = true
    }
  }
  return changed
}

/** Entries older than `before` are dropped (their months are past any cap). */
export function prune(data: LedgerData, before: number): boolean {
  let changed = false
  for (const [key, entry] of Object.entries(data.entries))
    if (entry.status === 'spent' && entry.at < before) {
      delete data.entries[key]
      changed = true
    }
  return changed
}

export interface PeriodTotals {
  spent: Spend
  held: Spend
}

const zero = (): Spend => ({ amount: 0, usd: 0, unpriced: 0 })

/** A provider's spend and holds sent in [from, to). */
export function totals(data: LedgerData, provider: ProviderId, from: number, to: number): PeriodTotals {
  const out: PeriodTotals = { spent: zero(), held: zero() }
  for (const e of Object.values(data.entries)) {
    if (e.provider !== provider || e.at < from || e.at >= to) continue
    const t = e.status === 'spent' ? out.spent : out.held
    t.amount += e.amount
    if (e.usd === null) t.unpriced += 1
    else t.usd += e.usd
  }
  return out
}

/** A spend in a cap's unit: USD, or the provider's own. */
export function inUnit(spend: Spend, cap: BudgetCap): number {
  return cap.unit === 'usd' ? spend.usd : spend.amount
}
