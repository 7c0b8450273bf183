// The app's settings, kept by electron-store in the data folder's config.json: the very file (and schema)
// the CLI reads. A corrupt file is moved aside by the engine's reader first, so the store never crashes on it.
import Store from 'electron-store'
import { normaliseSettings, readSettingsFile, type Settings } from '../../core/settings/settings'
import type { DataPaths } from '../../shared/model'

export interface SettingsStore {
  get(): Settings
  update(patch: Partial<Settings>): Settings
  movedAside: string | null
}

export async function openSettingsStore(paths: DataPaths): Promise<SettingsStore> {
  const { settings, movedAside } = await readSettingsFile(paths.settingsFile, paths.library)
  const store = new Store<Settings>({
    cwd: paths.userData,
    name: 'config',
    defaults: settings,
    clearInvalidConfig: true,
  })
  return {
    movedAside,
    get: () => normaliseSettings(store.store, paths.library),
    update(patch) {
      const next = normaliseSettings({ ...store.store, ...patch }, paths.library)
      // Replace the whole object: set() merges, and a key of an older file (baseUrl, keyOrigin) left beside today's
      // would be migrated again on every read (settings.ts migrateSettings), undoing a reset to the default.
      store.store = next
      return next
    },
  }
}
