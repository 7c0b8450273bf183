// Each provider's key (issue 10, point 4): one keychain entry per provider, bound to the origin it was saved for
// (issue 9). Saving or removing a key is refused only while that provider's jobs are out at its service: they are
// followed with the key they were sent with, and another key (another account) would not find them. Jobs of other
// doors, and jobs at the Sandbox, never block a key change.
import type { KeyStatus, KeyTestResult } from '../../shared/contract'
import { BUSY_STATES } from '../../shared/job-states'
import type { JobRecord } from '../../shared/model'
import { type ProviderId, providerInfo } from '../../shared/providers'
import { SERVICE_URL_ERROR, serviceOrigin, serviceUrlProblem } from '../../shared/service-url'
import { EngineError } from '../engine-error'
import type { ProviderFactory } from '../providers/port'
import type { Keychain } from '../secrets/keychain'
import type { Settings } from '../settings/settings'
import type { Doors } from './doors'

export interface KeyDeps {
  keychain: Keychain
  settings: Settings
  saveSettings: () => Promise<void> | void
  doors: Doors
  /** Work the doors out again and let waiting jobs go (engine.reconnect). */
  reconnect: () => Promise<unknown>
  jobs: { list(): JobRecord[]; holdSubmissions(): () => void }
  factories: Partial<Record<ProviderId, ProviderFactory>>
  fetch?: typeof fetch
}

export interface KeyActions {
  keyStatus(provider: ProviderId): Promise<KeyStatus>
  setKey(provider: ProviderId, key: string): Promise<KeyStatus>
  removeKey(provider: ProviderId): Promise<KeyStatus>
  testKey(provider: ProviderId, key?: string): Promise<KeyTestResult>
}

/** The provider's jobs sent to its real service and not finished: followed with the key they went with. */
export function jobsAtService(jobs: JobRecord[], provider: ProviderId): number {
  return jobs.filter(
    (j) => BUSY_STATES.has(j.state) && j.service?.kind === 'cloud' && (j.request.provider ?? 'seedance') === provider,
  ).length
}

export function createKeyActions(d: KeyDeps): KeyActions {
  const change = async <T>(provider: ProviderId, verb: string, work: () => Promise<T>): Promise<T> => {
    // No job is sent meanwhile, so none goes out with the old key after the change.
    const release = d.jobs.holdSubmissions()
    try {
      const busy = jobsAtService(d.jobs.list(), provider)
      if (busy > 0)
        throw new EngineError(
          'JOBS_ACTIVE',
          `The ${providerInfo(provider).label} key cannot be ${verb} while ${busy} of its job${busy === 1 ? ' is' : 's are'} running at the service (they are followed with the key in use): try again when they have finished, or cancel them.`,
        )
      const result = await work()
      await d.reconnect()
      return result
    } finally {
      release()
    }
  }
  const bindTo = async (provider: ProviderId, origin: string | null) => {
    const { [provider]: _old, ...others } = d.settings.keyOrigins
    d.settings.keyOrigins = origin ? { ...others, [provider]: origin } : others
    await d.saveSettings()
  }

  return {
    keyStatus: (provider) => d.keychain.status(provider),
    setKey: (provider, key) =>
      change(provider, 'changed', async () => {
        const url = d.doors.binding.baseUrl(provider)
        const problem = serviceUrlProblem(url)
        if (problem) throw new EngineError(SERVICE_URL_ERROR.invalid, problem)
        const status = await d.keychain.set(provider, key)
        // Bound to the address it is saved for (issue 9): the one in use for this provider now.
        await bindTo(provider, serviceOrigin(url))
        return status
      }),
    removeKey: (provider) =>
      change(provider, 'removed', async () => {
        await d.keychain.delete(provider)
        await bindTo(provider, null)
        return d.keychain.status(provider)
      }),
    async testKey(provider, key) {
      // A key typed now is the user's for this address; the stored key only where it is bound (issue 9).
      const allowed = await d.doors.binding.resolve(provider, key?.trim() || null)
      if (!allowed)
        return { ok: false, code: 'INVALID_API_KEY', message: `No ${providerInfo(provider).label} key is set.` }
      if (!('key' in allowed)) return { ok: false, code: allowed.code, message: allowed.message }
      const endpoint = { apiKey: allowed.key, baseUrl: allowed.baseUrl, keyOrigin: allowed.origin }
      const factory = d.factories[provider]
      if (!factory)
        return {
          ok: false,
          code: 'PROVIDER_UNAVAILABLE',
          message: `${providerInfo(provider).label} is not available in this build.`,
        }
      // A probe of its own, never the cached instance: one try, no waits, and the typed key kept out of the cache.
      const probe = factory({
        ...endpoint,
        region: provider === 'ark' ? d.settings.arkRegion : null,
        fetch: d.fetch,
        retry: { maxAttempts: 1, max429Waits: 0 },
      })
      try {
        return { ok: true, ...(await probe.checkKey()) }
      } catch (error) {
        const e = error as { code?: string; message: string }
        return { ok: false, code: e.code ?? 'INTERNAL_ERROR', message: e.message }
      }
    },
  }
}
