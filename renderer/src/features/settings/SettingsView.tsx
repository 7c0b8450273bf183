// Settings (issue 10, point 7): the default provider and model, every provider with its key, region and address,
// then generation, the library folder and appearance. Keys go renderer → main once (save, test) and never back.
import { useCallback, useEffect, useState } from 'react'
import type { AppSettings, ProviderStatus } from '../../../../electron/shared/contract'
import { AppError, call } from '../../bridge'
import { useEngine } from '../../stores/engine'
import { DefaultProvider } from './DefaultProvider'
import { LibraryFolder } from './LibraryFolder'
import { ProviderCard, withCode } from './ProviderCard'

const message = (e: unknown) => (e instanceof AppError ? e.message : String(e))

export function SettingsView() {
  const status = useEngine((s) => s.status)
  const refreshEngine = useEngine((s) => s.refresh)
  const [settings, setSettings] = useState<AppSettings | null>(null)
  const [providers, setProviders] = useState<ProviderStatus[] | null>(null)
  const [providersError, setProvidersError] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [loadError, setLoadError] = useState<string | null>(null)

  const loadProviders = useCallback(async () => {
    try {
      setProviders(await call('providers:list', undefined))
      setProvidersError(null)
    } catch (e) {
      setProvidersError(message(e))
    }
  }, [])
  useEffect(() => {
    // Settings show at once; the keychain answers on its own time (and may be unavailable).
    call('settings:get', undefined).then(setSettings, (e: unknown) => setLoadError(message(e)))
    void loadProviders()
  }, [loadProviders])

  /** Apply a patch; main's refusal is thrown to the caller (a card shows it beside itself). */
  const apply = async (patch: Partial<AppSettings>) => {
    setSettings(await call('settings:update', patch))
    void refreshEngine()
  }
  async function update(patch: Partial<AppSettings>) {
    setBusy(true)
    setError(null)
    try {
      await apply(patch)
      if ('provider' in patch || 'sandbox' in patch || 'models' in patch) await loadProviders()
    } catch (e) {
      setError(withCode(e))
    } finally {
      setBusy(false)
    }
  }
  const changed = async () => {
    await loadProviders()
    void refreshEngine()
  }

  if (loadError)
    return (
      <p className="field-error" role="alert">
        The settings could not be read: {loadError}
      </p>
    )
  if (!settings) return <p className="muted">Loading settings…</p>
  return (
    <section className="settings" aria-labelledby="settings-title">
      <h2 id="settings-title" className="view-title">
        Settings
      </h2>
      {error && (
        <p className="field-error" role="alert" data-testid="settings-error">
          {error}
        </p>
      )}

      <DefaultProvider settings={settings} status={status} busy={busy} update={(p) => void update(p)} />

      <fieldset className="card-block">
        <legend>Providers and keys</legend>
        {providersError && (
          <p className="field-error" role="alert" data-testid="providers-error">
            {providersError}
          </p>
        )}
        {!providers && !providersError && <p className="muted">Checking the system keychain…</p>}
        {providers?.map((p) => (
          <ProviderCard key={p.id} status={p} settings={settings} update={apply} changed={changed} />
        ))}
      </fieldset>

      <fieldset className="card-block">
        <legend>Generation</legend>
        <label className="field">
          <span>Jobs at once: {settings.maxConcurrentJobs}</span>
          <input
            type="range"
            min={1}
            max={10}
            value={settings.maxConcurrentJobs}
            onChange={(e) => void update({ maxConcurrentJobs: Number(e.target.value) })}
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={settings.retryFailedOnce}
            onChange={(e) => void update({ retryFailedOnce: e.target.checked })}
          />{' '}
          Retry a failed generation once with the same settings
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={settings.notifications}
            onChange={(e) => void update({ notifications: e.target.checked })}
          />{' '}
          Notify me when a video is ready or fails
        </label>
      </fieldset>

      <LibraryFolder onChanged={() => void call('settings:get', undefined).then(setSettings)} />

      <fieldset className="card-block">
        <legend>Appearance</legend>
        <fieldset className="segmented" aria-label="Theme">
          {(['system', 'light', 'dark'] as const).map((t) => (
            <button
              key={t}
              type="button"
              aria-pressed={settings.theme === t}
              className={settings.theme === t ? 'on' : ''}
              onClick={() => void update({ theme: t })}
            >
              {t[0]?.toUpperCase() + t.slice(1)}
            </button>
          ))}
        </fieldset>
      </fieldset>
    </section>
  )
}
