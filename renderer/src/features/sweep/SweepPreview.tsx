// A sweep's grid before anything is queued: its size, each job with what varies and its cost (or why its model
// refuses it), and the totals per provider in its own unit and in USD (issue 11, point 4).
import { providerInfo } from '../../../../electron/shared/providers'
import { amountText, type SweepPlan, usdText } from '../../../../electron/shared/sweep'
import { modelLabel } from '../composer/capabilities'

const jobs = (n: number) => `${n} job${n === 1 ? '' : 's'}`

export function SweepTotals({ plan }: { plan: SweepPlan }) {
  return (
    <div className="sweep-totals" data-testid="sweep-totals">
      <ul>
        {plan.totals.map((t) => (
          <li key={t.provider} data-testid={`sweep-total-${t.provider}`}>
            <strong>{providerInfo(t.provider).label}</strong>: {jobs(t.jobs)} · ≈ {amountText(t.amount, t.unit)}
            {t.usd !== null ? ` · ≈ ${usdText(t.usd)}` : ' · price not published'}
            {t.usd !== null && t.unpriced > 0 ? ` (${t.unpriced} without a price)` : ''}
          </li>
        ))}
      </ul>
      <p className="sweep-usd">
        Total <strong data-testid="sweep-usd">≈ {usdText(plan.usd)}</strong>
        {plan.unpriced > 0 && <span className="muted small"> + {jobs(plan.unpriced)} with no published USD price</span>}
      </p>
    </div>
  )
}

export function SweepPreview({ plan }: { plan: SweepPlan }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: it scrolls on its own past a few rows; focusable so the keyboard can scroll it (WCAG 2.1.1, axe scrollable-region-focusable).
    <section className="sweep-preview" data-testid="sweep-preview" aria-label="Jobs of this sweep" tabIndex={0}>
      <table>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">What varies</th>
            <th scope="col">Model</th>
            <th scope="col">Settings</th>
            <th scope="col">Cost</th>
          </tr>
        </thead>
        <tbody>
          {plan.cells.map((c) => (
            <tr key={c.index} className={c.problem ? 'refused' : undefined}>
              <td>{c.index + 1}</td>
              <td>{c.label}</td>
              <td className="small">{modelLabel(c.provider, c.model)}</td>
              <td className="muted small">
                {c.duration === 0 ? 'auto' : `${c.duration} s`} · {c.resolution} · {c.aspectRatio}
                {c.seed !== null ? ` · seed ${c.seed}` : ''}
              </td>
              <td className="small">
                {c.problem ? (
                  <span className="field-error">Refused: {c.problem.message}</span>
                ) : (
                  <>
                    ≈ {amountText(c.estimate.amount, c.estimate.unit)}
                    {c.estimate.usd !== null ? ` · ${usdText(c.estimate.usd)}` : ''}
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
