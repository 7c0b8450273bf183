// Settings: one schema for the app (which stores them with electron-store) and the CLI (which reads the
// same JSON file). A corrupt file is moved aside and defaults restored, never a crash. A file written before the
// provider port (issue 10: provider 'sandbox' | 'cloud', one baseUrl, one keyOrigin) is read into today's shape.
import { readFile, rename } from 'node:fs/promises'
import { z } from 'zod'
import { findModel, isProviderId, PROVIDER_IDS, type ProviderId, providerInfo } from '../../shared/providers'
import { serviceOrigin, serviceUrlProblem } from '../../shared/service-url'
import { writeFileAtomic } from '../util/atomic-write'

/** The guide's API (the door called `seedance`): where a key saved before keys were bound was sent. */
export const DEFAULT_CLOUD_URL = providerInfo('seedance').defaultBaseUrl

export const ARK_REGIONS = ['ap-southeast', 'cn-beijing'] as const
export type ArkRegion = (typeof ARK_REGIONS)[number]

const serviceUrl = z.string().refine((url) => serviceUrlProblem(url) === null)
const keyOrigin = z.string().refine((o) => serviceUrlProblem(o) === null && new URL(o).origin === o)

/**
 * A record keyed by provider where each value must pass `check`: other keys and bad values are dropped one by
 * one (a bad base URL for fal does not cost the user their Ark address).
 */
function perProvider(check: (provider: ProviderId, value: unknown) => boolean) {
  return z
    .unknown()
    .transform((raw) => {
      const out: Partial<Record<ProviderId, string>> = {}
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return out
      for (const [provider, value] of Object.entries(raw)) {
        if (isProviderId(provider) && typeof value === 'string' && check(provider, value)) out[provider] = value
      }
      return out
    })
    .default({})
}

export function settingsSchema(defaultLibrary: string) {
  return z.object({
    /** The door new jobs go through; null: automatic (the one provider with a key, else seedance). */
    provider: z.enum(PROVIDER_IDS).nullable().catch(null).default(null),
    /** The model chosen per door (absent: its defaultModel); a model the catalog does not list is dropped. */
    models: perProvider((p, id) => findModel(p, id as string) !== null),
    /** Send jobs to the built-in Sandbox's emulation of the door, even with a key. */
    sandbox: z.boolean().catch(false).default(false),
    /** Advanced: each door's base URL (absent: its default): https, or http to this machine (shared/service-url.ts). */
    baseUrls: perProvider((_p, url) => serviceUrl.safeParse(url).success),
    /** Ark's region: BytePlus (international) or Volcengine (China); picks Ark's default base URL. */
    arkRegion: z.enum(ARK_REGIONS).catch('ap-southeast').default('ap-southeast'),
    /**
     * The origin each provider's stored key was saved for (issue 9): the engine sends a keychain key nowhere else.
     * Written only by main (saving a key, or a change the user confirmed in main's dialog) and the CLI's `key set`,
     * never by the renderer. Absent: the provider's default origin (see settings/key-binding.ts).
     */
    keyOrigins: perProvider((_p, origin) => keyOrigin.safeParse(origin).success),
    libraryDir: z.string().min(1).catch(defaultLibrary).default(defaultLibrary),
    maxConcurrentJobs: z.number().int().min(1).max(10).catch(2).default(2),
    notifications: z.boolean().catch(true).default(true),
    theme: z.enum(['system', 'light', 'dark']).catch('system').default('system'),
    /** Retry a generation once with the same parameters when the service answers JOB_FAILED. */
    retryFailedOnce: z.boolean().catch(true).default(true),
  })
}

export type Settings = z.infer<ReturnType<typeof settingsSchema>>

export function defaultSettings(defaultLibrary: string): Settings {
  return settingsSchema(defaultLibrary).parse({})
}

/**
 * A settings object written before the provider port, in today's words:
 * - provider 'cloud' → the guide's API (`seedance`), not the Sandbox: the user had chosen Seedance Cloud.
 * - provider 'sandbox' → automatic door with `sandbox: true`. 'sandbox' was the default, so most files hold it
 *   whether chosen or not; a user who kept a key in the keychain with it got the Sandbox, so the upgrade must not
 *   start spending their credits unasked (CHOSEN: money safety over the new automatic default). Unticking
 *   "Use the built-in Sandbox" in Settings gives the automatic rule.
 * - baseUrl → baseUrls.seedance (dropped when it is the default); keyOrigin → keyOrigins.seedance.
 * Today's keys win over the old ones when a file somehow holds both.
 */
export function migrateSettings(raw: Record<string, unknown>): Record<string, unknown> {
  const { baseUrl, keyOrigin: oldOrigin, ...rest } = raw
  const out: Record<string, unknown> = { ...rest }
  if (raw.provider === 'cloud') Object.assign(out, { provider: 'seedance', sandbox: raw.sandbox ?? false })
  if (raw.provider === 'sandbox') Object.assign(out, { provider: null, sandbox: raw.sandbox ?? true })
  const merge = (field: 'baseUrls' | 'keyOrigins', value: unknown) => {
    if (typeof value !== 'string') return
    const current = typeof out[field] === 'object' && out[field] !== null ? (out[field] as object) : {}
    out[field] = { seedance: value, ...current }
  }
  if (baseUrl !== DEFAULT_CLOUD_URL) merge('baseUrls', baseUrl)
  merge('keyOrigins', oldOrigin)
  return out
}

/** Validate anything into settings: old files migrated, unknown keys dropped, bad values replaced by their defaults. */
export function normaliseSettings(raw: unknown, defaultLibrary: string): Settings {
  const input = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw : {}
  return settingsSchema(defaultLibrary).parse(migrateSettings(input as Record<string, unknown>))
}

/** The model a door uses: the one chosen in Settings, else the door's default. */
export function modelFor(settings: Pick<Settings, 'models'>, provider: ProviderId): string {
  return settings.models[provider] ?? providerInfo(provider).defaultModel
}

/** The real service's base URL for a door under these settings: the user's (Advanced), else Ark's region's, else the default. */
export function settingsBaseUrl(settings: Pick<Settings, 'baseUrls' | 'arkRegion'>, provider: ProviderId): string {
  const chosen = settings.baseUrls[provider]
  if (chosen) return chosen
  const info = providerInfo(provider)
  const region = provider === 'ark' ? info.regions?.find((r) => r.id === settings.arkRegion) : undefined
  return region?.baseUrl ?? info.defaultBaseUrl
}

/** The origin a provider's key goes to when it was saved before keys were bound, or bound by default. */
export function defaultKeyOrigin(settings: Pick<Settings, 'baseUrls' | 'arkRegion'>, provider: ProviderId): string {
  return serviceOrigin(settingsBaseUrl({ ...settings, baseUrls: {} }, provider))
}

export interface LoadedSettings {
  settings: Settings
  /** Where a corrupt file was moved, if it was. */
  movedAside: string | null
}

/** Read the settings file; a file that is not JSON is moved aside (config.corrupt-<time>.json). */
export async function readSettingsFile(file: string, defaultLibrary: string, now = Date.now): Promise<LoadedSettings> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { settings: defaultSettings(defaultLibrary), movedAside: null }
    throw error
  }
  try {
    return { settings: normaliseSettings(JSON.parse(text), defaultLibrary), movedAside: null }
  } catch {
    const aside = `${file.replace(/\.json$/, '')}.corrupt-${new Date(now()).toISOString().replace(/[:.]/g, '-')}.json`
    await rename(file, aside)
    return { settings: defaultSettings(defaultLibrary), movedAside: aside }
  }
}

export async function writeSettingsFile(file: string, settings: Settings): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(settings, null, 2)}\n`)
}
