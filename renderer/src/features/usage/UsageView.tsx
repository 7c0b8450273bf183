import { useEffect, useState } from 'react'
import type { UsageReport } from '../../../../electron/shared/contract'
import { call } from '../../bridge'
import { useJobs } from '../../stores/jobs'
import { BudgetCaps } from '../budget/BudgetCaps'

function secs(ms: number | null): string {
  return ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`
}

export function UsageView() {
  const [usage, setUsage] = useState<UsageReport | null>(null)
  const changes = useJobs((s) => s.ids.length + s.activeCount)
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the queue changes.
  useEffect(() => {
    void call('usage:get', undefined).then(setUsage)
  }, [changes])
  if (!usage) return <p className="muted">Loading…</p>
  const max = Math.max(1, ...usage.creditsByDay.map((d) => d.credits))
  return (
    <section aria-labelledby="usage-title">
      <h2 id="usage-title" className="view-title">
        Usage
      </h2>
      <dl className="stats" data-testid="usage-stats">
        <div>
          <dt>Jobs</dt>
          <dd>{usage.jobs}</dd>
        </div>
        <div>
          <dt>Success rate</dt>
          <dd>{usage.successRate === null ? '—' : `${Math.round(usage.successRate * 100)}%`}</dd>
        </div>
        <div>
          <dt>Generation p50</dt>
          <dd>{secs(usage.generationMs.p50)}</dd>
        </div>
        <div>
          <dt>Generation p95</dt>
          <dd>{secs(usage.generationMs.p95)}</dd>
        </div>
      </dl>
      {/* Budget (issue 11): spend against each cap. */}
      <BudgetCaps />
      <h3>Credits per day</h3>
      {usage.creditsByDay.length === 0 ? (
        <p className="muted">No credits spent yet.</p>
      ) : (
        <ol className="bars" aria-label="Credits per day">
          {usage.creditsByDay.map((d) => (
            <li key={d.day}>
              <span className="bar" style={{ height: `${(d.credits / max) * 100}%` }} />
              <span className="small">{d.credits}</span>
              <span className="muted small">{d.day.slice(5)}</span>
            </li>
          ))}
        </ol>
      )}
      <h3>Errors by code</h3>
      {usage.errorsByCode.length === 0 ? (
        <p className="muted">No errors.</p>
      ) : (
        <ul>
          {usage.errorsByCode.map((e) => (
            <li key={e.code}>
              <span className="code">{e.code}</span>: {e.count}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
