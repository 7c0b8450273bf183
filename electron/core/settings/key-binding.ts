// Which key may go where (issue 9, point 6). The key in the keychain is bound to the origin it was saved for
// (settings.keyOrigin, written only by main and the CLI's `key set`); the engine sends it nowhere else, whatever
// the base URL says. A key the user has just typed (Test connection) is theirs to send to the address shown. For the
// CLI, SEEDANCE_API_KEY is the user's own for that run (they typed the key and the address together) and goes to
// the base URL in use. In the app the renderer can change the base URL, so SEEDANCE_API_KEY is bound like a stored
// key (bindEnvironmentKey): a compromised renderer must not send it anywhere by a settings change. Every address
// must still pass the service URL rule (https, or http to this machine). The API client checks the binding again.
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { SERVICE_URL_ERROR, serviceOrigin, serviceUrlProblem } from '../../shared/service-url'
import type { Keychain } from '../secrets/keychain'
import { DEFAULT_CLOUD_URL, readSettingsFile, type Settings, writeSettingsFile } from './settings'

/** The key to send and where, or why the stored key is not sent. */
export type KeyAllowance =
  | { key: string; baseUrl: string; origin: string }
  | { code: (typeof SERVICE_URL_ERROR)[keyof typeof SERVICE_URL_ERROR]; message: string }

export interface KeyBindingDeps {
  keychain: Keychain
  settings: Settings
  /** A base URL given for this run (the CLI's --base-url or SEEDANCE_BASE_URL), over the settings'. */
  explicitBaseUrl?: string
  /** The app: SEEDANCE_API_KEY is bound to settings.keyOrigin like the keychain's key (the CLI: false). */
  bindEnvironmentKey?: boolean
}

export function keyBinding({ keychain, settings, explicitBaseUrl, bindEnvironmentKey = false }: KeyBindingDeps) {
  const baseUrl = () => explicitBaseUrl ?? settings.baseUrl
  // A key saved before keys were bound (keyOrigin null) counts as Seedance Cloud's, where the app sent it by default.
  const boundOrigin = () => settings.keyOrigin ?? serviceOrigin(DEFAULT_CLOUD_URL)
  return {
    boundOrigin,

    /** Where the key goes: `typed` (a key the user typed now), else SEEDANCE_API_KEY, else the keychain's. */
    async resolve(typed: string | null = null): Promise<KeyAllowance | null> {
      const url = baseUrl()
      const problem = serviceUrlProblem(url)
      const key = typed ?? (await keychain.get('cloud'))
      if (!key) return null
      if (problem) return { code: SERVICE_URL_ERROR.invalid, message: problem }
      const origin = serviceOrigin(url)
      if (typed) return { key, baseUrl: url, origin }
      const fromEnvironment = (await keychain.status('cloud')).source === 'environment'
      if (fromEnvironment && !bindEnvironmentKey) return { key, baseUrl: url, origin }
      if (boundOrigin() !== origin)
        return {
          code: SERVICE_URL_ERROR.originMismatch,
          message: fromEnvironment
            ? `The API key from SEEDANCE_API_KEY is bound to ${boundOrigin()}, so it is not sent to ${origin}: enter the key in Settings for this address.`
            : `The API key in the keychain was saved for ${boundOrigin()}, so it is not sent to ${origin}: enter the key again for this address.`,
        }
      return { key, baseUrl: url, origin }
    },

    /** The origin move a new base URL would make for a bound key (the keychain's, or the app's environment key); null when none. */
    async change(next: string | undefined): Promise<{ from: string; to: string } | null> {
      if (next === undefined || explicitBaseUrl !== undefined || serviceUrlProblem(next)) return null
      const to = serviceOrigin(next)
      if (to === boundOrigin()) return null
      // A keychain that cannot be read holds no key we could send: the binding simply stays where it is.
      const status = await keychain.status('cloud').catch(() => null)
      const bound = status?.source === 'keychain' || (status?.source === 'environment' && bindEnvironmentKey)
      return status?.hasKey && bound ? { from: boundOrigin(), to } : null
    },
  }
}

/**
 * The CLI's `seedance key set`: bind the key just stored to the origin of the base URL in effect for that run
 * (--base-url, SEEDANCE_BASE_URL, else the settings'), in the settings file the app reads too.
 */
export async function bindStoredKey(settingsFile: string, defaultLibrary: string, baseUrl?: string): Promise<string> {
  const { settings } = await readSettingsFile(settingsFile, defaultLibrary)
  const url = baseUrl ?? settings.baseUrl
  const problem = serviceUrlProblem(url)
  if (problem) throw Object.assign(new Error(problem), { code: SERVICE_URL_ERROR.invalid })
  settings.keyOrigin = serviceOrigin(url)
  await mkdir(path.dirname(settingsFile), { recursive: true })
  await writeSettingsFile(settingsFile, settings)
  return settings.keyOrigin
}
