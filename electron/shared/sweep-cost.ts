// A sweep's cost (issue 11, point 4): each cell's estimate is the composer's own (providers.ts estimateCost, as
// capabilities.ts costLines calls it), and the totals per provider (its unit) and in USD are their sums in grid
// order, over the cells that will be queued. Pure.
import {
  type CostEstimate,
  type CostUnit,
  estimateCost,
  type ModelInfo,
  PROVIDER_IDS,
  type ProviderId,
} from './providers'
import type { SweepCell, SweepPlan } from './sweep'

export interface ProviderTotal {
  provider: ProviderId
  unit: CostUnit
  /** Jobs to queue through this provider. */
  jobs: number
  amount: number
  /** USD of the priced jobs; null when none of them has a published price. */
  usd: number | null
  /** Jobs whose model has no published USD price. */
  unpriced: number
}

/** The composer's estimate for the same settings (capabilities.ts costLines): the audio price only where it has sound. */
export function cellEstimate(
  cell: Pick<SweepCell, 'provider' | 'duration' | 'resolution' | 'aspectRatio' | 'audio'>,
  model: ModelInfo,
): CostEstimate {
  return estimateCost(cell.provider, model, {
    duration: cell.duration,
    resolution: cell.resolution,
    aspectRatio: cell.aspectRatio,
    audio: model.audio ? cell.audio : null,
  })
}

/** The totals over the cells that will be queued, per provider (its unit) and in USD, summed in grid order. */
export function totalsOf(cells: readonly SweepCell[]): Omit<SweepPlan, 'cells'> {
  const byProvider = new Map<ProviderId, ProviderTotal>()
  let usd = 0
  let unpriced = 0
  let ready = 0
  for (const cell of cells) {
    if (cell.problem) continue
    ready += 1
    const total = byProvider.get(cell.provider) ?? {
      provider: cell.provider,
      unit: cell.estimate.unit,
      jobs: 0,
      amount: 0,
      usd: null,
      unpriced: 0,
    }
    total.jobs += 1
    total.amount += cell.estimate.amount
    if (cell.estimate.usd === null) {
      total.unpriced += 1
      unpriced += 1
    } else {
      total.usd = (total.usd ?? 0) + cell.estimate.usd
      usd += cell.estimate.usd
    }
    byProvider.set(cell.provider, total)
  }
  const totals = [...byProvider.values()].sort(
    (a, b) => PROVIDER_IDS.indexOf(a.provider) - PROVIDER_IDS.indexOf(b.provider),
  )
  return { ready, refused: cells.length - ready, totals, usd, unpriced }
}

const UNIT_WORDS: Record<CostUnit, [string, string]> = {
  credits: ['credit', 'credits'],
  tokens: ['token', 'tokens'],
  seconds: ['second', 'seconds'],
}

/** "1,234 tokens", as the composer writes an amount. */
export function amountText(amount: number, unit: CostUnit): string {
  const [one, many] = UNIT_WORDS[unit]
  return `${amount.toLocaleString('en')} ${amount === 1 ? one : many}`
}

/** "$1.23" (four places under a cent), as the composer writes a price. */
export function usdText(usd: number): string {
  return `$${usd > 0 && usd < 0.01 ? usd.toFixed(4) : usd.toFixed(2)}`
}
