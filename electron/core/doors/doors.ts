// The engine's view of its doors: the table of where each goes (connection.ts), the default door and its model,
// and the built-in Sandbox, started through the face's starter the first time a door needs it. Read synchronously
// by route() and the status channels; worked out again (refresh) when a key or a setting changes.
import type { ProviderStatus } from '../../shared/contract'
import { findModel, PROVIDER_IDS, type ProviderId, providerInfo } from '../../shared/providers'
import { EngineError } from '../engine-error'
import type { Keychain } from '../secrets/keychain'
import { type KeyBinding, keyBinding } from '../settings/key-binding'
import { modelFor, type Settings } from '../settings/settings'
import type { Logger } from '../util/logger'
import {
  type DoorState,
  type DoorTable,
  defaultDoor,
  resolveDoors,
  type SandboxDoors,
  type SandboxMode,
} from './connection'
import type { SandboxStarter } from './sandbox-endpoints'

/** The default door's connection, as engine:status shows it. */
export interface Connection {
  provider: ProviderId
  model: string
  target: 'sandbox' | 'cloud'
  /** Where its requests go: the service's URL, or the Sandbox's emulation of the door. */
  baseUrl: string
  /** Why the Sandbox is in use, when it was not asked for. */
  reason: string | null
  /** The reason's stable code, when it has one (KEY_ORIGIN_MISMATCH, INVALID_BASE_URL, KEYCHAIN_UNAVAILABLE). */
  reasonCode: string | null
}

export interface DoorsOptions {
  keychain: Keychain
  settings: Settings
  mode: SandboxMode
  logger: Logger
  /** The CLI's --provider / SEEDANCE_PROVIDER and --model / SEEDANCE_MODEL: over Settings, for this run. */
  provider?: ProviderId
  model?: string
  /** Base URLs for this run (the CLI's --base-url for the chosen door, *_BASE_URL), over Settings'. */
  baseUrls?: Partial<Record<ProviderId, string>>
  /** The run's chosen door when its address was given for this run: a key not allowed there is an error. */
  strictBaseUrl?: ProviderId | null
  /** The app binds environment keys like stored ones (settings/key-binding.ts). */
  bindEnvironmentKey: boolean
  sandbox?: SandboxStarter
  /** The unfinished jobs' doors and where each was sent (null: not yet): the Sandbox is started for those it serves. */
  jobDoors: () => ReadonlyArray<{ provider: ProviderId; sentTo: 'sandbox' | 'cloud' | null }>
}

export interface Doors {
  readonly binding: KeyBinding
  /** The table now (valid after the first refresh). */
  table(): DoorTable
  door(provider: ProviderId): DoorState
  /** The Sandbox's doors, once started; null before (or with no starter). */
  sandbox(): SandboxDoors
  /** Start the Sandbox if this door needs it and it is not running yet. */
  ensureSandbox(provider: ProviderId): Promise<void>
  /** Work the table out again (keys, settings); starts the Sandbox when a door in use needs it. */
  refresh(): Promise<DoorTable>
  /** The default door and its model, where it goes now, and why. */
  connection(): Connection
  /** Every provider, as Settings lists them. */
  statuses(): ProviderStatus[]
}

export function createDoors(o: DoorsOptions): Doors {
  const explicit = new Set(o.strictBaseUrl ? [o.strictBaseUrl] : [])
  const binding = keyBinding({
    keychain: o.keychain,
    settings: o.settings,
    explicitBaseUrls: o.baseUrls,
    bindEnvironmentKey: o.bindEnvironmentKey,
  })
  if (o.model !== undefined && o.provider !== undefined && !findModel(o.provider, o.model))
    throw new EngineError(
      'UNKNOWN_MODEL',
      `${providerInfo(o.provider).label} has no model "${o.model}". Its models: ${providerInfo(o.provider)
        .models.map((m) => m.id)
        .join(', ')}.`,
    )
  let table: DoorTable | null = null
  let sandboxDoors: SandboxDoors = null
  let starting: Promise<void> | null = null

  const current = (): DoorTable => {
    if (!table) throw new Error('doors used before the first refresh')
    return table
  }
  const startSandbox = async () => {
    if (sandboxDoors || !o.sandbox) return
    starting ??= o.sandbox().then((endpoints) => {
      sandboxDoors = endpoints.doors
    })
    try {
      await starting
    } finally {
      starting = null
    }
  }
  const defaultProvider = () => defaultDoor(o.provider ?? o.settings.provider, current())
  const modelOf = (provider: ProviderId) =>
    provider === defaultProvider() && o.model !== undefined && findModel(provider, o.model)
      ? o.model
      : modelFor(o.settings, provider)

  return {
    binding,
    table: current,
    door: (provider) => current()[provider],
    sandbox: () => sandboxDoors,
    async ensureSandbox(provider) {
      if (current()[provider].target === 'sandbox') await startSandbox()
    },
    async refresh() {
      table = await resolveDoors({
        keychain: o.keychain,
        binding,
        settings: o.settings,
        mode: o.mode,
        logger: o.logger,
        explicit,
      })
      const now = table
      const atSandbox = (p: ProviderId) => now[p].target === 'sandbox'
      const needed =
        atSandbox(defaultProvider()) ||
        o.jobDoors().some((j) => j.sentTo === 'sandbox' || (j.sentTo === null && atSandbox(j.provider)))
      if (needed) await startSandbox()
      return now
    },
    connection() {
      const provider = defaultProvider()
      const door = current()[provider]
      const baseUrl =
        door.target === 'cloud' ? (door.cloud?.baseUrl ?? door.serviceUrl) : (sandboxDoors?.[provider].baseUrl ?? '')
      return {
        provider,
        model: modelOf(provider),
        target: door.target,
        baseUrl,
        reason: door.reason,
        reasonCode: door.reasonCode,
      }
    },
    statuses: () =>
      PROVIDER_IDS.map((id) => {
        const door = current()[id]
        return {
          id,
          key: door.key,
          baseUrl: door.serviceUrl,
          target: door.target,
          reason: door.reason,
          reasonCode: door.reasonCode,
          model: modelOf(id),
        }
      }),
  }
}
