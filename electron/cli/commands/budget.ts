// `seedance budget`: spending caps per provider (issue 11 point 5). `budget` shows what each provider spent today
// and this month against its caps (and a held queue); `budget set --provider P --daily N --monthly N [--unit U]`
// sets caps in USD or the provider's unit; `budget clear --provider P [--period daily|monthly]` removes them.
// Nothing is sent or polled: a queue a raised cap lets go runs with the next `seedance resume` or in the app.
import {
  type BudgetHold,
  type BudgetStatus,
  CAP_PERIODS,
  type CapPeriod,
  type CapState,
  type CapUnit,
  capUnits,
  formatCapAmount,
  isCapUnit,
  type ProviderBudget,
  type Spend,
} from '../../shared/budget'
import { isProviderId, type ProviderId, providerInfo } from '../../shared/providers'
import { UsageError, type Values } from '../args'
import { EXIT } from '../exit-codes'
import { type Io, withEngine } from '../session'
import { clean } from '../terminal'

export async function budget(positionals: string[], values: Values, io: Io): Promise<number> {
  const [action = 'show', extra] = positionals
  if (extra !== undefined || !['show', 'set', 'clear'].includes(action))
    throw new UsageError('budget takes one action: seedance budget [show|set|clear]. See: seedance budget --help')
  const change = action === 'set' ? setArgs(values) : action === 'clear' ? clearArgs(values) : null
  return withEngine(
    values,
    io,
    async ({ engine }) => {
      if (change?.kind === 'set')
        for (const [period, amount] of change.caps)
          engine.budget.setCap(change.provider, period, { amount, unit: change.unit })
      else if (change?.kind === 'clear') engine.budget.clearCap(change.provider, change.period)
      // Nothing runs in this look, so the holds are worked out here: the oldest waiting job of each provider.
      const waiting = engine.jobs
        .list()
        .filter((j) => j.state === 'pending')
        .sort((a, b) => a.createdAt - b.createdAt)
      const held = new Map<ProviderId, BudgetHold>()
      for (const j of waiting) {
        if (held.has(j.request.provider) || waiting.find((w) => w.request.provider === j.request.provider) !== j)
          continue
        const hold = engine.budget.check(j)
        if (hold) held.set(j.request.provider, hold)
      }
      const base = engine.budget.status()
      const status = { ...base, providers: base.providers.map((p) => ({ ...p, hold: held.get(p.provider) ?? p.hold })) }
      if (values.json) io.out.write(`${JSON.stringify(status, null, 2)}\n`)
      else io.out.write(statusText(status, change ? change.provider : null))
      if (change) io.err.write('Saved. Jobs held by a cap go on with: seedance resume (or in the app).\n')
      return EXIT.ok
    },
    // Only the caps change: nothing is sent or polled in this run.
    { resume: false },
  )
}

function providerArg(values: Values): ProviderId {
  const p = values.provider
  if (typeof p !== 'string' || !isProviderId(p))
    throw new UsageError('Name the provider: --provider seedance, ark, fal or replicate.')
  return p
}

function setArgs(values: Values) {
  const provider = providerArg(values)
  const unitText = (values.unit as string | undefined) ?? providerInfo(provider).costUnit
  const units = capUnits(provider)
  if (!isCapUnit(unitText) || !units.includes(unitText))
    throw new UsageError(
      `--unit for ${providerInfo(provider).label} is ${units.join(' or ')} (got "${clean(unitText)}").`,
    )
  const caps: Array<[CapPeriod, number]> = []
  for (const period of CAP_PERIODS) {
    const text = values[period] as string | undefined
    if (text === undefined) continue
    const amount = Number(text)
    if (!Number.isFinite(amount) || amount <= 0)
      throw new UsageError(`--${period} must be a positive amount (got "${clean(text)}").`)
    caps.push([period, amount])
  }
  if (caps.length === 0) throw new UsageError('Give a cap: --daily N and/or --monthly N.')
  return { kind: 'set' as const, provider, unit: unitText as CapUnit, caps }
}

function clearArgs(values: Values) {
  const provider = providerArg(values)
  const period = values.period as string | undefined
  if (period !== undefined && !(CAP_PERIODS as readonly string[]).includes(period))
    throw new UsageError(`--period is daily or monthly (got "${clean(period)}").`)
  return { kind: 'clear' as const, provider, period: period as CapPeriod | undefined }
}

function spendText(s: Spend, p: ProviderBudget): string {
  const usd =
    s.usd > 0 || s.unpriced === 0
      ? ` (${formatCapAmount(s.usd, 'usd')}${s.unpriced ? ` + ${s.unpriced} unpriced` : ''})`
      : ''
  return `${formatCapAmount(s.amount, p.unit)}${p.unit === 'credits' && s.usd === 0 ? '' : usd}`
}

function capText(c: CapState, timeZone: string): string {
  const f = (n: number) => formatCapAmount(n, c.cap.unit)
  const resets = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(c.resetsAt))
  return `  ${c.period.padEnd(8)} cap ${f(c.cap.amount)}: ${f(c.spent)} spent, ${f(c.held)} held, ${f(c.left)} left; resets ${resets}`
}

export function statusText(status: BudgetStatus, only: ProviderId | null): string {
  const lines: string[] = []
  for (const p of status.providers) {
    if (only !== null && p.provider !== only) continue
    if (only === null && p.caps.length === 0 && p.month.amount === 0) continue
    lines.push(
      `${providerInfo(p.provider).label} (${p.provider}): today ${spendText(p.today, p)}, this month ${spendText(p.month, p)}`,
    )
    if (p.caps.length === 0) lines.push('  no cap')
    for (const c of p.caps) lines.push(capText(c, status.timeZone))
    if (p.hold) lines.push(`  HELD: ${clean(p.hold.message)}`)
  }
  if (lines.length === 0)
    lines.push('No spend and no caps yet. Set one with: seedance budget set --provider P --daily N [--unit usd]')
  return `${lines.join('\n')}\n(days and months in ${status.timeZone})\n`
}
