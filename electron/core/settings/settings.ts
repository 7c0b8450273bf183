// Settings: one schema for the app (which stores them with electron-store) and the CLI (which reads the
// same JSON file). A corrupt file is moved aside and defaults restored, never a crash.
import { readFile, rename } from 'node:fs/promises'
import { z } from 'zod'
import { serviceUrlProblem } from '../../shared/service-url'
import { writeFileAtomic } from '../util/atomic-write'

export const DEFAULT_CLOUD_URL = 'https://api.seedance.tv/v1'

export function settingsSchema(defaultLibrary: string) {
  return z.object({
    /** Which service jobs go to: the built-in Sandbox or Seedance Cloud. */
    provider: z.enum(['sandbox', 'cloud']).catch('sandbox').default('sandbox'),
    /** Seedance Cloud's base URL (Advanced): https, or http to this machine (see shared/service-url.ts). */
    baseUrl: z
      .string()
      .refine((url) => serviceUrlProblem(url) === null)
      .catch(DEFAULT_CLOUD_URL)
      .default(DEFAULT_CLOUD_URL),
    /**
     * The origin the stored API key was saved for (issue 9): the engine sends the keychain's key nowhere else.
     * Written only by main (saving a key, or a change the user confirmed in main's dialog), never by the renderer.
     * null: a key saved before keys were bound, taken as bound to Seedance Cloud (DEFAULT_CLOUD_URL).
     */
    keyOrigin: z
      .string()
      .refine((o) => serviceUrlProblem(o) === null && new URL(o).origin === o)
      .nullable()
      .catch(null)
      .default(null),
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

/** Validate anything into settings: unknown keys dropped, bad values replaced by their defaults. */
export function normaliseSettings(raw: unknown, defaultLibrary: string): Settings {
  const input = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw : {}
  return settingsSchema(defaultLibrary).parse(input)
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
