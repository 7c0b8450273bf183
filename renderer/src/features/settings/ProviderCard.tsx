// One provider in Settings (issue 10, point 7): its key (test, save, remove; only where it comes from and its last
// four characters are ever shown: the key never travels back from main), where its jobs go and why, Ark's region,
// and Advanced › its base URL (main asks, in its own dialog, before a stored key may follow a new address).
import { useId, useState } from 'react'
import type { AppSettings, KeyTestResult, ProviderStatus } from '../../../../electron/shared/contract'
import { providerInfo } from '../../../../electron/shared/providers'
import { AppError, call } from '../../bridge'

/** A refusal with its code: the code is what support and the docs name. */
export const withCode = (e: unknown) => (e instanceof AppError ? `${e.message} (${e.code})` : String(e))

interface Props {
  status: ProviderStatus
  settings: AppSettings
  /** Settings changed by this card (region, base URL); throws what main refused. */
  update(patch: Partial<AppSettings>): Promise<void>
  /** The key or an address changed: read every provider's status again. */
  changed(): Promise<void>
}

function keyText(status: ProviderStatus): string {
  const { key } = status
  if (!key) return 'The system keychain cannot be read, so no stored key is used.'
  if (!key.hasKey) return 'No key is stored.'
  return key.source === 'environment'
    ? `A key ending in …${key.last4} is set from ${providerInfo(status.id).keyEnv}.`
    : `A key ending in …${key.last4} is stored in the system keychain.`
}

function whereText(status: ProviderStatus): string {
  if (status.target === 'cloud')
    return `Jobs go to ${providerInfo(status.id).label} at ${new URL(status.baseUrl).origin}.`
  if (!status.reason) return 'Jobs go to the built-in Sandbox (local, free), as chosen above.'
  return `${status.reason}${status.reasonCode ? ` (${status.reasonCode})` : ''}`
}

function testText(test: KeyTestResult): string {
  if (!test.ok) return `${test.message} (${test.code})`
  const rate =
    test.limit !== null
      ? ` Rate limit: ${test.limit} requests per minute, ${test.remaining ?? '?'} left${test.resetAt ? `, resets at ${new Date(test.resetAt).toLocaleTimeString()}` : ''}.`
      : ''
  return `Connected.${rate}`
}

export function ProviderCard({ status, settings, update, changed }: Props) {
  const info = providerInfo(status.id)
  const headingId = useId()
  const [draft, setDraft] = useState('')
  const [test, setTest] = useState<KeyTestResult | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

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
  const provider = status.id
  const savedUrl = settings.baseUrls[provider] ?? ''

  return (
    <section className="card-block provider-card" aria-labelledby={headingId} data-testid={`provider-${provider}`}>
      <h3 id={headingId}>{info.label}</h3>
      <p className="muted small">{info.blurb}</p>
      {error && (
        <p className="field-error" role="alert" data-testid={`provider-error-${provider}`}>
          {error}
        </p>
      )}
      <p data-testid={`key-status-${provider}`} className={status.key ? undefined : 'field-error'}>
        {keyText(status)}
      </p>
      <div className="row-inline">
        <input
          type="password"
          aria-label={`${info.label} key`}
          placeholder={`Paste your ${info.label} key`}
          autoComplete="off"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button
          type="button"
          disabled={busy || (!draft && !status.key?.hasKey)}
          onClick={() => void run(async () => setTest(await call('key:test', { provider, key: draft || undefined })))}
        >
          Test
        </button>
        <button
          type="button"
          className="primary"
          disabled={busy || !draft}
          onClick={() =>
            void run(async () => {
              await call('key:set', { provider, key: draft })
              setDraft('')
              setTest(null)
              await changed()
            })
          }
        >
          Save
        </button>
        {status.key?.hasKey && status.key.source === 'keychain' && (
          <button
            type="button"
            className="danger-outline"
            disabled={busy}
            onClick={() =>
              void run(async () => {
                await call('key:remove', { provider })
                setTest(null)
                await changed()
              })
            }
          >
            Remove
          </button>
        )}
      </div>
      {test && (
        <p role="status" data-testid={`key-test-${provider}`} className={test.ok ? 'ok' : 'field-error'}>
          {testText(test)}
        </p>
      )}
      <p className="muted small" data-testid={`provider-target-${provider}`}>
        {whereText(status)}
      </p>
      {info.regions && (
        <label className="field">
          <span>Region</span>
          <select
            value={settings.arkRegion}
            disabled={busy}
            onChange={(e) => {
              const arkRegion = e.target.value as AppSettings['arkRegion']
              void run(async () => {
                await update({ arkRegion })
                await changed()
              })
            }}
          >
            {info.regions.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
      )}
      <details>
        <summary>Advanced</summary>
        <label className="field">
          <span>Base URL</span>
          {/* Main checks the address (https, or http to this machine) and asks, in its own dialog, before the
              stored key may go to another origin; a refusal puts the saved address back. Empty: the default. */}
          <input
            key={savedUrl}
            defaultValue={savedUrl}
            placeholder={status.baseUrl}
            onBlur={(e) => {
              const field = e.target
              if (field.value.trim() === savedUrl) return
              void run(
                async () => {
                  await update({ baseUrls: { [provider]: field.value.trim() } })
                  await changed()
                },
                () => {
                  field.value = savedUrl
                },
              )
            }}
          />
        </label>
        <p className="muted small">
          Empty: {info.defaultBaseUrl}
          {info.regions ? ' (or the region’s address)' : ''}. Also {info.baseUrlEnv} for the command line.
        </p>
      </details>
    </section>
  )
}
