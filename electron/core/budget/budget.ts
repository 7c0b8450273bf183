// A budget that holds (issue 11 point 5): caps per provider, daily and monthly, over the spend ledger (ledger.ts),
// kept in the data folder (budget.json, written atomically) so spend, caps and holds survive a restart. The job
// manager asks `check` before it sends a job: a job that would pass a cap is not sent, and its provider's queue
// waits (BUDGET_CAP) until the cap is raised or cleared, or the period ends at local midnight.
import { readFile, rename } from 'node:fs/promises'
import {
  BUDGET_ERROR,
  type BudgetCap,
  type BudgetHold,
  type BudgetStatus,
  CAP_PERIODS,
  type CapPeriod,
  type CapState,
  capUnits,
  formatCapAmount,
  type ProviderBudget,
} from '../../shared/budget'
import type { JobRecord } from '../../shared/model'
import { PROVIDER_IDS, type ProviderId, providerInfo } from '../../shared/providers'
import { EngineError } from '../engine-error'
import type { Clock } from '../jobs/route'
import { writeFileAtomic } from '../util/atomic-write'
import type { Logger } from '../util/logger'
import {
  emptyLedger,
  inUnit,
  jobCharge,
  type LedgerData,
  observeJob,
  type PeriodTotals,
  prune,
  releaseStale,
  totals,
} from './ledger'
import { parseLedger } from './ledger-file'
import { type LocalCalendar, localCalendar, systemTimeZone } from './local-time'

export interface BudgetOptions {
  /** budget.json in the data folder. */
  file: string
  clock: Clock
  /** The IANA zone days and months are counted in (default: the system's). */
  timeZone?: string
  logger?: Logger
}

const DAY = 24 * 3_600_000
/** Spend older than this is dropped from the ledger: no cap looks back further than a month. */
const KEEP_MS = 70 * DAY
/** A timer set further ahead than this is set again when it fires (setTimeout's range; a month is longer). */
const MAX_TIMER_MS = DAY

export class Budget {
  private readonly listeners = new Set<(status: BudgetStatus) => void>()
  private readonly lastHold = new Map<ProviderId, BudgetHold>()
  private holds = new Map<ProviderId, BudgetHold>()
  private writes: Promise<void> = Promise.resolve()
  private timer: unknown = null
  private closed = false
  /** Sums by provider and period, kept until the ledger changes: `check` runs for every waiting job on each pass. */
  private readonly sums = new Map<string, PeriodTotals>()
  readonly calendar: LocalCalendar

  private constructor(
    private readonly o: BudgetOptions,
    private data: LedgerData,
  ) {
    this.calendar = calendarFor(o.timeZone, o.logger)
  }

  static async open(o: BudgetOptions): Promise<Budget> {
    let data = emptyLedger()
    try {
      data = parseLedger(JSON.parse(await readFile(o.file, 'utf8')))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        // A damaged file is kept aside (its caps may matter to the user), and the log says where.
        const aside = `${o.file}.damaged-${o.clock.now()}`
        await rename(o.file, aside).catch(() => undefined)
        o.logger?.warn('budget file was damaged; moved aside and started empty', { file: aside, error: String(error) })
      }
    }
    return new Budget(o, data)
  }

  onChange(listener: (status: BudgetStatus) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** At start: every journaled job folded in; holds of attempts no longer out released. */
  reconcile(jobs: readonly JobRecord[]): void {
    let changed = releaseStale(this.data, new Map(jobs.map((j) => [j.id, j])))
    for (const job of jobs) changed = observeJob(this.data, job) || changed
    changed = prune(this.data, this.o.clock.now() - KEEP_MS) || changed
    if (changed) this.changed()
  }

  /** Each journaled job change: a job sent holds its charge, a finished one is charged or released. */
  observe(job: JobRecord): void {
    if (observeJob(this.data, job)) this.changed()
  }

  /** Why this job may not be sent now (a cap its estimate would pass), or null. */
  check(job: JobRecord): BudgetHold | null {
    const provider = job.request.provider
    const caps = this.data.caps[provider]
    if (!caps) return null
    const charge = jobCharge(job)
    const now = this.o.clock.now()
    for (const period of CAP_PERIODS) {
      const cap = caps[period]
      if (!cap) continue
      const state = this.capState(provider, period, cap, now)
      const need = cap.unit === 'usd' ? charge.usd : charge.amount
      if (need !== null && state.spent + state.held + need <= cap.amount * (1 + 1e-9)) continue
      const hold: BudgetHold = {
        code: BUDGET_ERROR.cap,
        provider,
        ...state,
        need,
        message: this.holdMessage(provider, state, need, job.request.model),
        note: this.holdNote(provider, state, need),
      }
      this.lastHold.set(provider, hold)
      return hold
    }
    return null
  }

  /** The job manager says which providers' queues wait for a cap now (each the hold `check` last gave). */
  held(providers: readonly ProviderId[]): void {
    const next = new Map<ProviderId, BudgetHold>()
    for (const p of providers) {
      const hold = this.lastHold.get(p)
      if (hold) next.set(p, hold)
    }
    const same =
      next.size === this.holds.size &&
      [...next].every(([p, h]) => this.holds.get(p)?.message === h.message && this.holds.get(p)?.left === h.left)
    this.holds = next
    this.armTimer()
    if (!same) this.emit()
  }

  status(): BudgetStatus {
    const now = this.o.clock.now()
    const cal = this.calendar
    const providers: ProviderBudget[] = PROVIDER_IDS.map((provider) => {
      const caps = this.data.caps[provider] ?? {}
      return {
        provider,
        unit: providerInfo(provider).costUnit,
        today: this.sum(provider, cal.dayStart(now), cal.nextDay(now)).spent,
        month: this.sum(provider, cal.monthStart(now), cal.nextMonth(now)).spent,
        caps: CAP_PERIODS.flatMap((period): CapState[] => {
          const cap = caps[period]
          return cap ? [this.capState(provider, period, cap, now)] : []
        }),
        hold: this.holds.get(provider) ?? null,
      }
    })
    return { timeZone: cal.timeZone, providers }
  }

  /** Set (or replace) a cap; a held queue is looked at again at once. */
  setCap(provider: ProviderId, period: CapPeriod, cap: BudgetCap): BudgetStatus {
    if (!Number.isFinite(cap.amount) || cap.amount <= 0)
      throw new EngineError(BUDGET_ERROR.amount, 'A spending cap must be a positive amount.')
    const info = providerInfo(provider)
    if (!capUnits(provider).includes(cap.unit))
      throw new EngineError(
        BUDGET_ERROR.unit,
        cap.unit === 'usd'
          ? `No USD price is known for ${info.label}'s models: set its cap in ${info.costUnit}.`
          : `${info.label} counts in ${info.costUnit}: set its cap in ${capUnits(provider).join(' or ')}.`,
      )
    this.data.caps[provider] = { ...this.data.caps[provider], [period]: { amount: cap.amount, unit: cap.unit } }
    this.changed()
    return this.status()
  }

  /** Remove a provider's cap for one period, or both. */
  clearCap(provider: ProviderId, period?: CapPeriod): BudgetStatus {
    const caps = { ...this.data.caps[provider] }
    for (const p of period ? [period] : CAP_PERIODS) delete caps[p]
    if (Object.keys(caps).length === 0) delete this.data.caps[provider]
    else this.data.caps[provider] = caps
    this.changed()
    return this.status()
  }

  /** Wait for the file writes under way. */
  flush(): Promise<void> {
    return this.writes
  }

  async close(): Promise<void> {
    this.closed = true
    if (this.timer) this.o.clock.clearTimeout(this.timer)
    this.timer = null
    await this.flush()
  }

  // --- inside ----------------------------------------------------------------------------------------

  private capState(provider: ProviderId, period: CapPeriod, cap: BudgetCap, now: number): CapState {
    const cal = this.calendar
    const from = period === 'daily' ? cal.dayStart(now) : cal.monthStart(now)
    const resetsAt = period === 'daily' ? cal.nextDay(now) : cal.nextMonth(now)
    const t = this.sum(provider, from, resetsAt)
    const spent = inUnit(t.spent, cap)
    const held = inUnit(t.held, cap)
    return { period, cap, spent, held, left: Math.max(0, cap.amount - spent - held), resetsAt }
  }

  private holdMessage(provider: ProviderId, s: CapState, need: number | null, model: string): string {
    const label = providerInfo(provider).label
    const f = (n: number) => formatCapAmount(n, s.cap.unit)
    const resets = `The cap resets ${this.localTime(s.resetsAt)}.`
    if (need === null)
      return `${label}'s ${s.period} cap is in USD, and no USD price is known for ${model}: the job is held. Set the cap in ${providerInfo(provider).costUnit}, or clear it, to send it.`
    return `${label}'s ${s.period} cap of ${f(s.cap.amount)} would be passed: ${f(s.spent)} spent${s.held > 0 ? `, ${f(s.held)} held by jobs in progress` : ''}, ${f(s.left)} left, and the next job needs ${f(need)}. ${resets} Raise or clear the cap to send it now.`
  }

  private holdNote(provider: ProviderId, s: CapState, need: number | null): string {
    const f = (n: number) => formatCapAmount(n, s.cap.unit)
    const needs = need === null ? 'no USD price is known for this model' : `this job needs ${f(need)}`
    return `${providerInfo(provider).label}'s ${s.period} cap of ${f(s.cap.amount)} (${f(s.left)} left; ${needs}); it resets ${this.localTime(s.resetsAt)}.`
  }

  /** "at 00:00 on Thu 3 Dec" in the budget's zone. */
  private localTime(ms: number): string {
    const f = new Intl.DateTimeFormat('en-GB', {
      timeZone: this.calendar.timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
    const parts = Object.fromEntries(f.formatToParts(new Date(ms)).map((p) => [p.type, p.value]))
    return `at ${parts.hour}:${parts.minute} on ${parts.weekday} ${parts.day} ${parts.month}`
  }

  /** While a queue is held, wake when the earliest held cap resets (a new day or month lets it go). */
  private armTimer(): void {
    if (this.timer) this.o.clock.clearTimeout(this.timer)
    this.timer = null
    if (this.closed || this.holds.size === 0) return
    const at = Math.min(...[...this.holds.values()].map((h) => h.resetsAt))
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, at - this.o.clock.now()))
    this.timer = this.o.clock.setTimeout(() => {
      this.timer = null
      this.emit()
    }, wait)
  }

  private sum(provider: ProviderId, from: number, to: number): PeriodTotals {
    const key = `${provider}|${from}|${to}`
    let t = this.sums.get(key)
    if (!t) {
      t = totals(this.data, provider, from, to)
      this.sums.set(key, t)
    }
    return t
  }

  private changed(): void {
    this.sums.clear()
    this.save()
    this.emit()
  }

  private emit(): void {
    if (this.closed) return
    const status = this.status()
    for (const l of this.listeners) l(status)
  }

  private save(): void {
    if (this.closed) return
    const text = `${JSON.stringify(this.data, null, 1)}\n`
    const write = this.writes.then(() => writeFileAtomic(this.o.file, text))
    this.writes = write.catch((error) => this.o.logger?.error('budget file not saved', { error: String(error) }))
  }
}

function calendarFor(timeZone: string | undefined, logger: Logger | undefined): LocalCalendar {
  try {
    return localCalendar(timeZone ?? systemTimeZone())
  } catch {
    logger?.warn('unknown time zone; counting days in UTC', { timeZone })
    return localCalendar('UTC')
  }
}
