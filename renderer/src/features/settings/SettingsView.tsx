import { useEffect, useState } from 'react'
import type { AppSettings, KeyStatus, KeyTestResult } from '../../../../electron/shared/contract'
import { AppError, call } from '../../bridge'
import { useEngine } from '../../stores/engine'
import { LibraryFolder } from './LibraryFolder'

const message = (e: unknown) => (e instanceof AppError ? e.message : String(e))
/** A refusal with its code, as the key test shows it: the code is what support and the docs name. */
const withCode = (e: unknown) => (e instanceof AppError ? `${e.message} (${e.code})` : String(e))

export function SettingsView() {
  const status = useEngine((s) => s.status)
  const [settings, setSettings] = useState<AppSettings | null>(null)
  const [key, setKey] = useState<KeyStatus | null>(null)
  const [draft, setDraft] = useState('')
  const [test, setTest] = useState<KeyTestResult | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  const [keyError, setKeyError] = useState<string | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  useEffect(() => {
    // Settings show at once; the keychain answers on its own time (and may be unavailable).
    call('settings:get', undefined).then(setSettings, (e: unknown) => setLoadError(message(e)))
    call('key:status', undefined).then(setKey, (e: unknown) => setKeyError(message(e)))
  }, [])

  async function run(work: () => Promise<void>, onError?: () => void) {
    setBusy(true)
    setError(null)
    try {
      await work()
    } catch (e) {
      setError(withCode(e))
      onError?.()
    } finally {
      setBusy(false)
    }
  }
  const update = (patch: Partial<AppSettings>) => run(async () => setSettings(await call('settings:update', patch)))

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

      <fieldset className="card-block">
        <legend>Service</legend>
        <fieldset className="segmented" aria-label="Provider">
          {(['sandbox', 'cloud'] as const).map((p) => (
            <button
              key={p}
              type="button"
              aria-pressed={settings.provider === p}
              className={settings.provider === p ? 'on' : ''}
              disabled={busy}
              onClick={() => void update({ provider: p })}
            >
              {p === 'sandbox' ? 'Sandbox (local, free)' : 'Seedance Cloud'}
            </button>
          ))}
        </fieldset>
        <p className="muted small" data-testid="connection">
          Now using <strong>{status?.provider === 'cloud' ? 'Seedance Cloud' : 'the built-in Sandbox'}</strong>
          {status?.reason ? `: ${status.reason}${status.reasonCode ? ` (${status.reasonCode})` : ''}` : '.'}
        </p>
      </fieldset>

      <fieldset className="card-block">
        <legend>Seedance API key</legend>
        <p data-testid="key-status" className={keyError ? 'field-error' : undefined}>
          {keyError
            ? keyError
            : !key
              ? 'Checking the system keychain…'
              : key.hasKey
                ? `A key ending in …${key.last4} is stored ${key.source === 'environment' ? '(from SEEDANCE_API_KEY)' : 'in the system keychain'}.`
                : 'No key is stored.'}
        </p>
        <div className="row-inline">
          <input
            type="password"
            aria-label="API key"
            placeholder="Paste your API key"
            autoComplete="off"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
          />
          <button
            type="button"
            disabled={busy || (!draft && !key?.hasKey)}
            onClick={() => void run(async () => setTest(await call('key:test', { key: draft || undefined })))}
          >
            Test connection
          </button>
          <button
            type="button"
            className="primary"
            disabled={busy || !draft}
            onClick={() =>
              void run(async () => {
                setKey(await call('key:set', { key: draft }))
                setDraft('')
              })
            }
          >
            Save
          </button>
          {key?.hasKey && key.source === 'keychain' && (
            <button
              type="button"
              className="danger-outline"
              disabled={busy}
              onClick={() => void run(async () => setKey(await call('key:remove', undefined)))}
            >
              Remove
            </button>
          )}
        </div>
        {test && (
          <p role="status" data-testid="key-test" className={test.ok ? 'ok' : 'field-error'}>
            {test.ok
              ? `Connected. Rate limit: ${test.limit ?? '?'} requests per minute, ${test.remaining ?? '?'} left${test.resetAt ? `, resets at ${new Date(test.resetAt).toLocaleTimeString()}` : ''}.`
              : `${test.message} (${test.code})`}
          </p>
        )}
        <details>
          <summary>Advanced</summary>
          <label className="field">
            <span>Base URL</span>
            {/* Main checks the address (https, or http to this machine) and asks, in its own dialog, before the
                stored key may go to another origin; a refusal puts the saved address back. */}
            <input
              defaultValue={settings.baseUrl}
              onBlur={(e) => {
                const field = e.target
                if (field.value === settings.baseUrl) return
                void run(
                  async () => setSettings(await call('settings:update', { baseUrl: field.value })),
                  () => {
                    field.value = settings.baseUrl
                  },
                )
              }}
            />
          </label>
        </details>
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
