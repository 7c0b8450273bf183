// Spend against each cap, in the Usage view (issue 11): per provider, today's and this month's spend, a bar per cap
// (spent, held by jobs in progress, left) with when it resets, and an inline editor to set, raise or clear it.
import { useState } from 'react'
import type { CapState, ProviderBudget, Spend } from '../../../../electron/shared/budget'
import { useBudget } from '../../stores/budget'
import { CapEditor } from './CapEditor'
import { formatCapAmount, providerLabel, resetText } from './format'

function spendText(s: Spend, p: ProviderBudget): string {
  const own = formatCapAmount(s.amount, p.unit)
  if (s.usd === 0 && s.unpriced > 0) return own
  return `${own} · ${formatCapAmount(s.usd, 'usd')}${s.unpriced > 0 ? ` + ${s.unpriced} unpriced` : ''}`
}

export function BudgetCaps() {
  const status = useBudget((s) => s.status)
  if (!status) return null
  return (
    <section className="budget-caps" aria-labelledby="budget-title">
      <h3 id="budget-title">Spending caps</h3>
      <p className="muted small">
        A job that would pass a cap is not sent: its provider’s queue waits until the cap is raised or resets at local
        midnight ({status.timeZone}).
      </p>
      <ul className="budget-list">
        {status.providers.map((p) => (
          <ProviderCaps key={p.provider} budget={p} timeZone={status.timeZone} />
        ))}
      </ul>
    </section>
  )
}

function ProviderCaps({ budget: p, timeZone }: { budget: ProviderBudget; timeZone: string }) {
  const [editing, setEditing] = useState<CapState['period'] | 'new' | null>(null)
  const label = providerLabel(p.provider)
  const missing = (['daily', 'monthly'] as const).find((period) => !p.caps.some((c) => c.period === period))
  return (
    <li className="budget-provider" aria-label={`${label} budget`}>
      <div className="budget-head">
        <strong>{label}</strong>
        <span className="muted small">
          Today {spendText(p.today, p)} · This month {spendText(p.month, p)}
        </span>
      </div>
      {p.caps.map((c) => (
        <div key={c.period} className="cap-row">
          <CapBar cap={c} held={p.hold?.period === c.period} timeZone={timeZone} />
          {editing === c.period ? (
            <CapEditor provider={p.provider} period={c.period} cap={c.cap} onDone={() => setEditing(null)} />
          ) : (
            <button type="button" className="quiet" onClick={() => setEditing(c.period)}>
              Edit {c.period} cap
            </button>
          )}
        </div>
      ))}
      {editing === 'new' && missing ? (
        <CapEditor provider={p.provider} period={missing} onDone={() => setEditing(null)} />
      ) : (
        missing && (
          <button type="button" className="link" onClick={() => setEditing('new')}>
            Add a {missing} cap
          </button>
        )
      )}
    </li>
  )
}

function CapBar({ cap: c, held, timeZone }: { cap: CapState; held: boolean; timeZone: string }) {
  const f = (n: number) => formatCapAmount(n, c.cap.unit)
  const pct = (n: number) => `${Math.min(100, (n / c.cap.amount) * 100)}%`
  const used = c.spent + c.held
  return (
    <div className="cap-bar-block">
      <div className="cap-bar-label small">
        <span>
          {c.period === 'daily' ? 'Daily' : 'Monthly'} cap {f(c.cap.amount)}
          {held && <span className="cap-held"> · holding the queue</span>}
        </span>
        <span className="muted">
          {f(c.spent)} spent{c.held > 0 ? `, ${f(c.held)} in progress` : ''}, {f(c.left)} left · resets{' '}
          {resetText(c.resetsAt, timeZone)}
        </span>
      </div>
      <meter
        className="sr-only"
        aria-label={`${c.period} cap used`}
        min={0}
        max={c.cap.amount}
        value={Math.min(used, c.cap.amount)}
      >
        {f(used)} of {f(c.cap.amount)}
      </meter>
      <div className={`cap-bar${used >= c.cap.amount ? ' full' : ''}`} aria-hidden="true">
        <span className="cap-spent" style={{ width: pct(c.spent) }} />
        <span className="cap-heldpart" style={{ width: pct(c.held) }} />
      </div>
    </div>
  )
}
