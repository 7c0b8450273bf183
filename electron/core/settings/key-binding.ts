// Which key may go where (issue 9, point 6; per provider since issue 10, point 4). Each provider's key in the
// keychain is bound to the origin it was saved for (settings.keyOrigins[provider], written only by main and the
// CLI's `key set`); the engine sends it nowhere else, whatever the base URL says. Absent, it is bound to the
// provider's default origin (its region's, for Ark). A key the user has just typed (Test) is theirs to send to the
// address shown. For the CLI, a provider's environment variable (ARK_API_KEY…) is the user's own for that run (they
// typed the key and the address together) and goes to that provider's base URL in use. In the app the renderer can
// change base URLs, so environment keys are bound like stored keys (bindEnvironmentKey): a compromised renderer must
// not send one anywhere by a settings change. Every address must still pass the service URL rule (https, or http to
// this machine). The transport checks the binding again (core/providers/http.ts).
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { PROVIDER_IDS, type ProviderId, providerInfo } from '../../shared/providers'
import { SERVICE_URL_ERROR, serviceOrigin, serviceUrlProblem } from '../../shared/service-url'
import type { Keychain } from '../secrets/keychain'
import { defaultKeyOrigin, readSettingsFile, type Settings, settingsBaseUrl, writeSettingsFile } from './settings'

/** The key to send and where, or why the stored key is not sent. */
export type KeyAllowance =
  | { key: string; baseUrl: string; origin: string }
  | { code: (typeof SERVICE_URL_ERROR)[keyof typeof SERVICE_URL_ERROR]; message: string }

/** A base URL move that would take a provider's bound key to another origin, for main to confirm. */
export interface KeyOriginChange {
  provider: ProviderId
  from: string
  to: string
}

export interface KeyBindingDeps {
  keychain: Keychain
  settings: Settings
  /** Base URLs given for this run (the CLI's --base-url, ARK_BASE_URL…), over the settings'. */
  explicitBaseUrls?: Partial<Record<ProviderId, string>>
  /** The app: environment keys are bound to settings.keyOrigins like the keychain's keys (the CLI: false). */
  bindEnvironmentKey?: boolean
}

export type KeyBinding = ReturnType<typeof keyBinding>

export function keyBinding({ keychain, settings, explicitBaseUrls = {}, bindEnvironmentKey = false }: KeyBindingDeps) {
  const baseUrlUnder = (s: Pick<Settings, 'baseUrls' | 'arkRegion'>, provider: ProviderId) =>
    explicitBaseUrls[provider] ?? settingsBaseUrl(s, provider)
  const boundOrigin = (provider: ProviderId) => settings.keyOrigins[provider] ?? defaultKeyOrigin(settings, provider)
  const label = (provider: ProviderId) => providerInfo(provider).label
  return {
    boundOrigin,
    /** The real service's base URL a provider's jobs use in this run. */
    baseUrl: (provider: ProviderId) => baseUrlUnder(settings, provider),

    /** Where a provider's key goes: `typed` (a key the user typed now), else its environment variable, else the keychain's. */
    async resolve(provider: ProviderId, typed: string | null = null): Promise<KeyAllowance | null> {
      const url = baseUrlUnder(settings, provider)
      const problem = serviceUrlProblem(url)
      const key = typed ?? (await keychain.get(provider))
      if (!key) return null
      if (problem) return { code: SERVICE_URL_ERROR.invalid, message: problem }
      const origin = serviceOrigin(url)
      if (typed) return { key, baseUrl: url, origin }
      const fromEnvironment = (await keychain.status(provider)).source === 'environment'
      if (fromEnvironment && !bindEnvironmentKey) return { key, baseUrl: url, origin }
      if (boundOrigin(provider) !== origin)
        return {
          code: SERVICE_URL_ERROR.originMismatch,
          message: fromEnvironment
            ? `The ${label(provider)} key from ${keychain.envName(provider)} is bound to ${boundOrigin(provider)}, so it is not sent to ${origin}: enter the key in Settings for this address.`
            : `The ${label(provider)} key in the keychain was saved for ${boundOrigin(provider)}, so it is not sent to ${origin}: enter the key again for this address.`,
        }
      return { key, baseUrl: url, origin }
    },

    /**
     * The origin moves a settings patch (base URLs, Ark's region) would make for bound keys (the keychain's, or
     * the app's environment keys): one per provider whose key would follow; empty when none.
     */
    async changes(patch: Partial<Pick<Settings, 'baseUrls' | 'arkRegion'>>): Promise<KeyOriginChange[]> {
      const next = { baseUrls: patch.baseUrls ?? settings.baseUrls, arkRegion: patch.arkRegion ?? settings.arkRegion }
      const found: KeyOriginChange[] = []
      for (const provider of PROVIDER_IDS) {
        if (explicitBaseUrls[provider] !== undefined) continue
        const url = baseUrlUnder(next, provider)
        if (serviceUrlProblem(url)) continue
        const to = serviceOrigin(url)
        if (to === boundOrigin(provider)) continue
        // A keychain that cannot be read holds no key we could send: the binding simply stays where it is.
        const status = await keychain.status(provider).catch(() => null)
        const bound = status?.source === 'keychain' || (status?.source === 'environment' && bindEnvironmentKey)
        if (status?.hasKey && bound) found.push({ provider, from: boundOrigin(provider), to })
      }
      return found
    },
  }
}

/**
 * The CLI's `seedance key set --provider <id>`: bind the key just stored to the origin of that provider's base URL
 * in effect for that run (--base-url, its *_BASE_URL variable, else the settings'), in the settings file the app
 * reads too.
 */
export async function bindStoredKey(
  settingsFile: string,
  defaultLibrary: string,
  provider: ProviderId,
  baseUrl?: string,
): Promise<string> {
  const { settings } = await readSettingsFile(settingsFile, defaultLibrary)
  const url = baseUrl ?? settingsBaseUrl(settings, provider)
  const problem = serviceUrlProblem(url)
  if (problem) throw Object.assign(new Error(problem), { code: SERVICE_URL_ERROR.invalid })
  const origin = serviceOrigin(url)
  settings.keyOrigins = { ...settings.keyOrigins, [provider]: origin }
  await mkdir(path.dirname(settingsFile), { recursive: true })
  await writeSettingsFile(settingsFile, settings)
  return origin
}
