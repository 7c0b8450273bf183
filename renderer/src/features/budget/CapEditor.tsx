// Set, raise or clear one provider's daily or monthly spending cap, inline (the banner and the Usage view).
import { useId, useState } from 'react'
import { type BudgetCap, CAP_PERIODS, type CapPeriod, type CapUnit, capUnits } from '../../../../electron/shared/budget'
import type { ProviderId } from '../../../../electron/shared/providers'
import { AppError, call } from '../../bridge'
import { useBudget } from '../../stores/budget'
import { providerLabel } from './format'

const UNIT_LABEL: Record<CapUnit, string> = { usd: 'USD', credits: 'credits', tokens: 'tokens', seconds: 'seconds' }

export function CapEditor({
  provider,
  period: initialPeriod = 'daily',
  cap,
  suggested,
  onDone,
}: {
  provider: ProviderId
  period?: CapPeriod
  /** The cap as it is now, when there is one. */
  cap?: BudgetCap | null
  /** A starting amount (the banner suggests what the held job needs). */
  suggested?: number
  onDone: () => void
}) {
  const id = useId()
  const units = capUnits(provider)
  const [period, setPeriod] = useState<CapPeriod>(initialPeriod)
  const [unit, setUnit] = useState<CapUnit>(cap?.unit ?? (units[0] as CapUnit))
  const [amount, setAmount] = useState(String(suggested ?? cap?.amount ?? ''))
  const [error, setError] = useState<string | null>(null)
  const setStatus = useBudget((s) => s.set)

  const save = async () => {
    const value = Number(amount)
    if (!Number.isFinite(value) || value <= 0) return setError('Enter an amount above 0.')
    try {
      setStatus(await call('budget:set', { provider, period, amount: value, unit }))
      onDone()
    } catch (e) {
      setError(e instanceof AppError ? e.message : String(e))
    }
  }
  const clear = async () => {
    try {
      setStatus(await call('budget:clear', { provider, period }))
      onDone()
    } catch (e) {
      setError(e instanceof AppError ? e.message : String(e))
    }
  }

  return (
    <form
      className="cap-editor"
      aria-label={`${providerLabel(provider)} spending cap`}
      onSubmit={(e) => {
        e.preventDefault()
        void save()
      }}
    >
      <label htmlFor={`${id}-period`}>Cap</label>
      <select id={`${id}-period`} value={period} onChange={(e) => setPeriod(e.target.value as CapPeriod)}>
        {CAP_PERIODS.map((p) => (
          <option key={p} value={p}>
            {p === 'daily' ? 'Daily' : 'Monthly'}
          </option>
        ))}
      </select>
      <input
        aria-label="Amount"
        inputMode="decimal"
        value={amount}
        onChange={(e) => {
          setAmount(e.target.value)
          setError(null)
        }}
        size={8}
      />
      <select aria-label="Unit" value={unit} onChange={(e) => setUnit(e.target.value as CapUnit)}>
        {units.map((u) => (
          <option key={u} value={u}>
            {UNIT_LABEL[u]}
          </option>
        ))}
      </select>
      <button type="submit" className="primary">
        Save cap
      </button>
      {cap && (
        <button type="button" className="quiet" onClick={() => void clear()}>
          Remove cap
        </button>
      )}
      <button type="button" className="quiet" onClick={onDone}>
        Cancel
      </button>
      {error && (
        <p className="cap-error" role="alert">
          {error}
        </p>
      )}
    </form>
  )
}
