// Where each door goes now, and why (issue 10, points 4 and 7): the real service with its own key, or the built-in
// Sandbox's emulation of that door. One table for every provider, worked out again when a key or a setting changes;
// route.ts reads it to send and poll jobs, main and the CLI show it (providers:list, `seedance providers`).
import type { KeyStatus } from '../../shared/contract'
import { PROVIDER_IDS, type ProviderId, providerInfo } from '../../shared/providers'
import { EngineError } from '../engine-error'
import { type Keychain, KeychainError } from '../secrets/keychain'
import type { KeyAllowance, KeyBinding } from '../settings/key-binding'
import type { Settings } from '../settings/settings'
import type { Logger } from '../util/logger'
import type { SandboxDoor } from './sandbox-endpoints'

/**
 * 'auto' (the CLI): a door goes to its service whenever it has a key there; the app's "use the built-in Sandbox"
 * does not apply (the CLI's --sandbox does). 'setting' (the app): as 'auto', unless Settings › "Use the built-in
 * Sandbox" is on. 'always': every door goes to the Sandbox (the CLI's --sandbox).
 */
export type SandboxMode = 'always' | 'auto' | 'setting'

export interface DoorState {
  provider: ProviderId
  /** The real service's base URL in use for the door (its default, its region's, the user's, or this run's). */
  serviceUrl: string
  /** Its key, as the renderer may see it (never the key); null when the keychain cannot be read. */
  key: KeyStatus | null
  /** The key the door may use at its real service, and where; null without one (or not allowed there). */
  cloud: { apiKey: string; baseUrl: string; origin: string } | null
  /** Where jobs sent through this door now go. */
  target: 'cloud' | 'sandbox'
  /** Why the Sandbox is used when it was not asked for (no key, a key bound elsewhere, a locked keychain). */
  reason: string | null
  /** The reason's stable code, when it has one (KEY_ORIGIN_MISMATCH, INVALID_BASE_URL, KEYCHAIN_UNAVAILABLE). */
  reasonCode: string | null
}

export interface DoorDeps {
  keychain: Keychain
  binding: KeyBinding
  settings: Settings
  mode: SandboxMode
  logger: Logger
  /** The door whose base URL was typed for this run (the CLI): a key not allowed there is an error, not a quiet Sandbox. */
  explicit: ReadonlySet<ProviderId>
}

/** Where one door goes now. */
export async function resolveDoor(provider: ProviderId, deps: DoorDeps): Promise<DoorState> {
  const { keychain, binding, settings, mode, logger } = deps
  const label = providerInfo(provider).label
  const serviceUrl = binding.baseUrl(provider)
  let allowed: KeyAllowance | null = null
  let key: KeyStatus | null = null
  let unreadable: KeychainError | null = null
  try {
    key = await keychain.status(provider)
    allowed = key.hasKey ? await binding.resolve(provider) : null
  } catch (error) {
    // A keychain that cannot be read never blocks the Sandbox (issue 9): say why and carry on without a key.
    if (!(error instanceof KeychainError)) throw error
    unreadable = error
    logger.warn('keychain unreadable; the door uses the built-in Sandbox', { provider, error: error.message })
  }
  if (allowed && !('key' in allowed) && deps.explicit.has(provider))
    throw new EngineError(
      allowed.code,
      `${allowed.message} For this run, give the key in ${keychain.envName(provider)}; to keep it for this address, run \`seedance key set --provider ${provider} --base-url ${serviceUrl}\`.`,
    )
  const cloud =
    allowed && 'key' in allowed ? { apiKey: allowed.key, baseUrl: allowed.baseUrl, origin: allowed.origin } : null
  const asked = mode === 'always' || (mode === 'setting' && settings.sandbox)
  const base = { provider, serviceUrl, key, cloud }
  if (asked) return { ...base, target: 'sandbox', reason: null, reasonCode: null }
  if (cloud) return { ...base, target: 'cloud', reason: null, reasonCode: null }
  const until = `jobs through ${label} go to the built-in Sandbox's emulation of it (local, free, marked SANDBOX)`
  if (unreadable)
    return {
      ...base,
      target: 'sandbox',
      reason: `${unreadable.message} Until then, ${until}.`,
      reasonCode: unreadable.code,
    }
  if (allowed && !('key' in allowed))
    return { ...base, target: 'sandbox', reason: `${allowed.message} Until then, ${until}.`, reasonCode: allowed.code }
  return {
    ...base,
    target: 'sandbox',
    reason: `No ${label} key is set (Settings, or ${keychain.envName(provider)}), so ${until}.`,
    reasonCode: null,
  }
}

export type DoorTable = Record<ProviderId, DoorState>

export async function resolveDoors(deps: DoorDeps): Promise<DoorTable> {
  const table = {} as DoorTable
  for (const provider of PROVIDER_IDS) table[provider] = await resolveDoor(provider, deps)
  return table
}

/**
 * The default door: the one chosen (the CLI's --provider, SEEDANCE_PROVIDER, or Settings), else automatic: the
 * first provider (in catalog order) with a key it may use, else the guide's API (the Sandbox's emulation of it).
 * "The Sandbox stays the default with no key; with one key set, that provider is the default" (issue 10, point 7).
 */
export function defaultDoor(chosen: ProviderId | null, doors: DoorTable): ProviderId {
  if (chosen) return chosen
  return PROVIDER_IDS.find((p) => doors[p].cloud !== null) ?? 'seedance'
}

/** The Sandbox's emulation of a door, once the Sandbox is running. */
export type SandboxDoors = Record<ProviderId, SandboxDoor> | null
