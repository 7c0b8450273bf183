// Spending caps per provider (issue 11 point 5): the shapes the engine, the renderer and the CLI share. A cap is
// daily or monthly, in the provider's own unit (credits, tokens, seconds) or in USD where the price table knows it.
// Days and months are the user's local ones.
import { type CostUnit, type ProviderId, providerInfo } from './providers'

export const CAP_PERIODS = ['daily', 'monthly'] as const
export type CapPeriod = (typeof CAP_PERIODS)[number]

export const CAP_UNITS = ['usd', 'credits', 'tokens', 'seconds'] as const
export type CapUnit = (typeof CAP_UNITS)[number]

/** The stable codes of the budget. */
export const BUDGET_ERROR = {
  /** A job that would pass a cap is held: its provider's queue waits. */
  cap: 'BUDGET_CAP',
  /** A cap in a unit the provider does not count in. */
  unit: 'BUDGET_UNIT',
  /** A cap that is not a positive number. */
  amount: 'BUDGET_AMOUNT',
} as const

export interface BudgetCap {
  amount: number
  unit: CapUnit
}

/** What one provider spent in one period: in its unit, and in USD for the jobs whose price is known. */
export interface Spend {
  amount: number
  usd: number
  /** Jobs in the period with no USD price (their USD is not in `usd`). */
  unpriced: number
}

export interface CapState {
  period: CapPeriod
  cap: BudgetCap
  /** Charged in this period, in the cap's unit. */
  spent: number
  /** Held by jobs sent and not finished, in the cap's unit. */
  held: number
  /** What is left: cap − spent − held (0 at least). */
  left: number
  /** When the period ends and the cap starts again (ms since the epoch; local midnight). */
  resetsAt: number
}

/** Why a provider's queue waits: the first waiting job would pass a cap. */
export interface BudgetHold {
  code: typeof BUDGET_ERROR.cap
  provider: ProviderId
  period: CapPeriod
  cap: BudgetCap
  spent: number
  held: number
  left: number
  /** What the waiting job is estimated to cost, in the cap's unit; null when its USD price is not known. */
  need: number | null
  resetsAt: number
  message: string
  /** The short line a held job's queue row shows. */
  note: string
}

export interface ProviderBudget {
  provider: ProviderId
  unit: CostUnit
  today: Spend
  month: Spend
  caps: CapState[]
  /** Set while this provider's queue waits for a cap. */
  hold: BudgetHold | null
}

export interface BudgetStatus {
  /** The IANA time zone days and months are counted in. */
  timeZone: string
  providers: ProviderBudget[]
}

/** Units a cap of this provider may be set in: its own unit, and USD where the price table knows a model's price. */
export function capUnits(provider: ProviderId): CapUnit[] {
  const info = providerInfo(provider)
  const priced = info.models.some((m) => m.price.usdPerUnit !== null)
  return priced ? ['usd', info.costUnit] : [info.costUnit]
}

export function isCapUnit(value: unknown): value is CapUnit {
  return typeof value === 'string' && (CAP_UNITS as readonly string[]).includes(value)
}

/** An amount in a cap's unit, for people: $1.25, 1,200 credits, 40 s. */
export function formatCapAmount(amount: number, unit: CapUnit): string {
  if (unit === 'usd') return `$${amount.toFixed(2)}`
  const n = Math.round(amount).toLocaleString('en-US')
  if (unit === 'seconds') return `${n} s`
  return `${n} ${unit}`
}
