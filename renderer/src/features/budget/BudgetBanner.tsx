// The banner of a queue held by a spending cap (issue 11): what is spent, what is left, when the cap resets (local
// time), and a button to raise it (an inline editor) or see every cap in Usage. One banner per held provider.
import { useState } from 'react'
import type { BudgetHold } from '../../../../electron/shared/budget'
import { useBudget } from '../../stores/budget'
import { useUi } from '../../stores/ui'
import { CapEditor } from './CapEditor'
import { formatCapAmount, providerLabel, resetText } from './format'

export function BudgetBanner() {
  const status = useBudget((s) => s.status)
  const holds = status?.providers.flatMap((p) => (p.hold ? [p.hold] : [])) ?? []
  if (!status || holds.length === 0) return null
  const { timeZone } = status
  return (
    <>
      {holds.map((h) => (
        <HeldBanner key={h.provider} hold={h} timeZone={timeZone} />
      ))}
    </>
  )
}

function HeldBanner({ hold, timeZone }: { hold: BudgetHold; timeZone: string }) {
  const [editing, setEditing] = useState(false)
  const go = useUi((s) => s.go)
  const f = (n: number) => formatCapAmount(n, hold.cap.unit)
  const label = providerLabel(hold.provider)
  // Enough for the held job on top of what is spent and held, rounded up to a whole unit (cents for USD).
  const step = hold.cap.unit === 'usd' ? 100 : 1
  const suggested = hold.need === null ? hold.cap.amount : Math.ceil((hold.spent + hold.held + hold.need) * step) / step
  return (
    <section className="banner budget-banner" role="alert" aria-label={`${label} spending cap reached`}>
      <div className="budget-banner-text">
        <strong>
          {label}’s {hold.period} cap of {f(hold.cap.amount)} is reached: jobs wait in the queue.
        </strong>
        <dl className="budget-figures">
          <div>
            <dt>Spent</dt>
            <dd>{f(hold.spent)}</dd>
          </div>
          {hold.held > 0 && (
            <div>
              <dt>In progress</dt>
              <dd>{f(hold.held)}</dd>
            </div>
          )}
          <div>
            <dt>Left</dt>
            <dd>{f(hold.left)}</dd>
          </div>
          <div>
            <dt>Next job</dt>
            <dd>{hold.need === null ? 'no USD price' : f(hold.need)}</dd>
          </div>
          <div>
            <dt>Resets</dt>
            <dd>{resetText(hold.resetsAt, timeZone)}</dd>
          </div>
        </dl>
      </div>
      {editing ? (
        <CapEditor
          provider={hold.provider}
          period={hold.period}
          cap={hold.cap}
          suggested={suggested}
          onDone={() => setEditing(false)}
        />
      ) : (
        <div className="budget-actions">
          <button type="button" className="primary" onClick={() => setEditing(true)}>
            Raise cap
          </button>
          <button type="button" className="quiet" onClick={() => go('usage')}>
            See usage
          </button>
        </div>
      )}
    </section>
  )
}
