// The Sweep panel on Create (issue 11, point 4): prompts × seeds × models (× durations × resolutions), the grid's
// size and its cost per provider and in USD shown live, worked out by the same module the engine queues with
// (shared/sweep.ts), before "Queue sweep"; then its videos as they arrive and "Open in compare".
import { useEffect, useState } from 'react'
import { ASPECT_RATIOS, type ProviderId, RESOLUTIONS } from '../../../../electron/shared/providers'
import { planSweep, type SweepPlan, type SweepSpec, sweepSize } from '../../../../electron/shared/sweep'
import { AppError, call } from '../../bridge'
import { useComposer } from '../../stores/composer'
import { modelChoices, modelLabel, PROVIDER_CHOICES } from '../composer/capabilities'
import { SweepPreview, SweepTotals } from './SweepPreview'
import { SweepResults } from './SweepResults'
import { useSweep } from './store'
import { parseDurations, parsePrompts, parseSeeds } from './sweep-form'

export interface SweepProps {
  /** Opens the compare view (the merger wires openCompare from features/compare/store.ts). */
  onCompare?: (ids: string[], labels?: Record<string, string>) => void
}

export function Sweep({ onCompare }: SweepProps) {
  // The whole form: every field of the sweep store is shown here.
  const form = useSweep()
  const composerProvider = useComposer((s) => s.provider)
  const composerModel = useComposer((s) => s.model)
  const [adding, setAdding] = useState<{ provider: ProviderId; model: string }>({ provider: 'ark', model: '' })
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  // The composer's model is the sweep's first, until the user edits the list.
  const models = form.models.length > 0 ? form.models : [{ provider: composerProvider, model: composerModel }]
  const seeds = parseSeeds(form.seeds)
  const durations = parseDurations(form.durations)
  const spec: SweepSpec = {
    prompts: parsePrompts(form.prompts),
    seeds: seeds.values,
    models,
    durations: durations.values,
    resolutions: form.resolutions,
    aspectRatio: form.aspectRatio,
    audio: form.audio,
    cameraFixed: form.cameraFixed ? true : null,
  }
  let plan: SweepPlan | null = null
  // A field's own mistake is said under it; the grid is worked out once the fields read.
  let planError: string | null = null
  if (!seeds.problem && !durations.problem && spec.prompts.length > 0) {
    try {
      plan = planSweep(spec)
    } catch (e) {
      planError = (e as Error).message
    }
  }
  const size = sweepSize(spec)

  useEffect(() => {
    const first = modelChoices(adding.provider)[0]
    if (!adding.model && first) setAdding((a) => ({ ...a, model: first.id }))
  }, [adding])

  async function queue() {
    setBusy(true)
    setError(null)
    try {
      const last = await call('sweep:submit', spec)
      form.patch({ last })
    } catch (e) {
      setError(e instanceof AppError ? e.message : String(e))
    } finally {
      setBusy(false)
    }
  }

  const toggleResolution = (r: (typeof RESOLUTIONS)[number]) =>
    form.patch({
      resolutions: form.resolutions.includes(r)
        ? form.resolutions.filter((x) => x !== r)
        : RESOLUTIONS.filter((x) => x === r || form.resolutions.includes(x)),
    })

  if (!form.open)
    return (
      <section className="sweep closed" aria-labelledby="sweep-title" data-testid="sweep">
        <h3 id="sweep-title">Sweep</h3>
        <p className="muted small">A grid of prompts × seeds × models, with its cost before anything is queued.</p>
        <button type="button" className="quiet" aria-expanded={false} onClick={() => form.patch({ open: true })}>
          Plan a sweep…
        </button>
      </section>
    )

  return (
    <section className="sweep" aria-labelledby="sweep-title" data-testid="sweep">
      <div className="row-inline sweep-head">
        <h3 id="sweep-title">Sweep</h3>
        <button type="button" className="link" aria-expanded={true} onClick={() => form.patch({ open: false })}>
          Close
        </button>
      </div>
      <p className="muted small">
        Every combination of the values below is one job; its cost is shown before anything is queued (at most 100).
      </p>
      <div className="sweep-axes">
        <div className="field sweep-prompts">
          <label htmlFor="sweep-prompts">Prompts (one per line)</label>
          <textarea
            id="sweep-prompts"
            rows={3}
            value={form.prompts}
            onChange={(e) => form.patch({ prompts: e.target.value })}
          />
        </div>
        <AxisField
          id="sweep-seeds"
          label="Seeds"
          placeholder="random"
          value={form.seeds}
          problem={seeds.problem}
          hint="e.g. 1, 2, 3; empty: random"
          onChange={(seeds) => form.patch({ seeds })}
        />
        <AxisField
          id="sweep-durations"
          label="Durations"
          placeholder="model default"
          value={form.durations}
          problem={durations.problem}
          hint="seconds, e.g. 4, 8 or auto"
          onChange={(durations) => form.patch({ durations })}
        />
        <fieldset className="field">
          <legend>Resolutions</legend>
          <div className="segmented">
            {RESOLUTIONS.map((r) => (
              <button
                key={r}
                type="button"
                aria-pressed={form.resolutions.includes(r)}
                className={form.resolutions.includes(r) ? 'on' : ''}
                onClick={() => toggleResolution(r)}
              >
                {r}
              </button>
            ))}
          </div>
          <span className="muted small">none: each model's default</span>
        </fieldset>
        <div className="field">
          <label htmlFor="sweep-shape">Shape</label>
          <select
            id="sweep-shape"
            value={form.aspectRatio ?? ''}
            onChange={(e) => form.patch({ aspectRatio: (e.target.value || null) as SweepSpec['aspectRatio'] })}
          >
            <option value="">Each model's default</option>
            {ASPECT_RATIOS.filter((r) => r !== 'adaptive').map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <label className="check small">
            <input type="checkbox" checked={form.audio} onChange={(e) => form.patch({ audio: e.target.checked })} />{' '}
            Sound (models that make it)
          </label>
        </div>
      </div>
      <fieldset className="field sweep-models">
        <legend>Models</legend>
        <ul>
          {models.map((m) => (
            <li key={`${m.provider}:${m.model}`}>
              {modelLabel(m.provider, m.model)}{' '}
              <button
                type="button"
                className="link"
                aria-label={`Remove ${modelLabel(m.provider, m.model)}`}
                disabled={models.length === 1}
                onClick={() => form.patch({ models: models.filter((x) => x !== m) })}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
        <div className="row-inline">
          <select
            aria-label="Service to add"
            value={adding.provider}
            onChange={(e) => setAdding({ provider: e.target.value as ProviderId, model: '' })}
          >
            {PROVIDER_CHOICES.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
          <select
            aria-label="Model to add"
            value={adding.model}
            onChange={(e) => setAdding({ ...adding, model: e.target.value })}
          >
            {modelChoices(adding.provider).map((m) => (
              <option key={m.id} value={m.id}>
                {m.label}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="quiet"
            disabled={!adding.model || models.some((m) => m.provider === adding.provider && m.model === adding.model)}
            onClick={() => form.patch({ models: [...models, adding] })}
          >
            Add model
          </button>
        </div>
      </fieldset>
      <p className="sweep-size" data-testid="sweep-size">
        {spec.prompts.length} prompt{spec.prompts.length === 1 ? '' : 's'} × {Math.max(1, seeds.values.length)} seed
        {seeds.values.length > 1 ? 's' : ''} × {models.length} model{models.length === 1 ? '' : 's'} ×{' '}
        {Math.max(1, durations.values.length)} duration{durations.values.length > 1 ? 's' : ''} ×{' '}
        {Math.max(1, form.resolutions.length)} resolution{form.resolutions.length > 1 ? 's' : ''} ={' '}
        <strong>
          {size} job{size === 1 ? '' : 's'}
        </strong>
        {plan && plan.refused > 0 ? ` (${plan.refused} refused by their model)` : ''}
      </p>
      {planError && (
        <p className="field-error" role="alert" data-testid="sweep-error">
          {planError}
        </p>
      )}
      {plan && <SweepTotals plan={plan} />}
      {plan && <SweepPreview plan={plan} />}
      <div className="row-inline">
        <button
          type="button"
          className="primary"
          disabled={!plan || plan.ready === 0 || busy}
          onClick={() => void queue()}
        >
          {busy ? 'Queueing…' : `Queue sweep (${plan?.ready ?? 0} job${plan?.ready === 1 ? '' : 's'})`}
        </button>
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {form.last && <SweepResults result={form.last} onCompare={onCompare} />}
    </section>
  )
}

/** One axis typed as a list (seeds, durations): its field, and under it the hint or what is wrong with it. */
function AxisField(p: {
  id: string
  label: string
  placeholder: string
  value: string
  problem: string | null | undefined
  hint: string
  onChange: (value: string) => void
}) {
  return (
    <div className="field">
      <label htmlFor={p.id}>{p.label}</label>
      <input
        id={p.id}
        type="text"
        placeholder={p.placeholder}
        value={p.value}
        aria-describedby={`${p.id}-hint`}
        onChange={(e) => p.onChange(e.target.value)}
      />
      <span id={`${p.id}-hint`} className={p.problem ? 'field-error' : 'muted small'}>
        {p.problem ?? p.hint}
      </span>
    </div>
  )
}
