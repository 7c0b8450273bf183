// The default door (issue 10, point 7): which provider new jobs go through (automatic: the one with a key, else the
// Sandbox), its model (from the catalog in shared/providers.ts), and "use the built-in Sandbox" for every door.
// Changing them never strands a job already sent: each is followed through the door it went to.
import { useId } from 'react'
import type { AppSettings, EngineStatus } from '../../../../electron/shared/contract'
import { PROVIDERS, type ProviderId, providerInfo } from '../../../../electron/shared/providers'

interface Props {
  settings: AppSettings
  status: EngineStatus | null
  busy: boolean
  update(patch: Partial<AppSettings>): void
}

export function DefaultProvider({ settings, status, busy, update }: Props) {
  const providerId = useId()
  const modelId = useId()
  // The door whose model is chosen here: the one picked, else the one automatic picks now.
  const door: ProviderId = settings.provider ?? status?.provider ?? 'seedance'
  const info = providerInfo(door)
  const model = settings.models[door] ?? info.defaultModel
  return (
    <fieldset className="card-block">
      <legend>Default provider</legend>
      <div className="field">
        <label htmlFor={providerId}>Provider for new videos</label>
        <select
          id={providerId}
          value={settings.provider ?? ''}
          disabled={busy}
          onChange={(e) => update({ provider: (e.target.value || null) as ProviderId | null })}
        >
          <option value="">Automatic (the provider with a key; else the Sandbox)</option>
          {PROVIDERS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={modelId}>Model ({info.label})</label>
        <select
          id={modelId}
          value={model}
          disabled={busy}
          onChange={(e) => update({ models: { [door]: e.target.value } })}
        >
          {info.models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.label}
              {m.legacy ? ' (older)' : ''}
            </option>
          ))}
        </select>
      </div>
      <label className="check">
        <input
          type="checkbox"
          checked={settings.sandbox}
          disabled={busy}
          onChange={(e) => update({ sandbox: e.target.checked })}
        />{' '}
        Use the built-in Sandbox for every provider (local and free: no key is used, no credits spent)
      </label>
      <p className="muted small" data-testid="connection">
        {status ? (
          <>
            New videos go through <strong>{providerInfo(status.provider).label}</strong> to{' '}
            <strong>{status.target === 'cloud' ? 'its service' : 'the built-in Sandbox'}</strong>
            {status.reason ? `: ${status.reason}${status.reasonCode ? ` (${status.reasonCode})` : ''}` : '.'}
          </>
        ) : (
          'Checking where new videos go…'
        )}
      </p>
    </fieldset>
  )
}
