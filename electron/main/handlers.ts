// The handler table: each channel of the contract mapped to the engine. Handlers stay thin (validated input
// in, plain data out); the Electron shell and the browser harness both build it here.
import type { Engine } from '../core/engine'
import { previewBatch, submitBatch } from '../core/jobs/batch'
import { fingerprint } from '../core/library/fingerprint'
import { LibraryError } from '../core/library/library'
import type { AppInfo, LibraryEntry } from '../shared/model'
import type { HandlerTable } from './ipc'

export interface Services {
  appInfo: () => AppInfo
  engine: Engine
  /** Where the renderer finds library files: `media://` in the app. */
  mediaBase: string
  /** Start dragging a file out of the window (webContents.startDrag in the app), with its thumbnail as the icon. */
  startDrag?: (file: string, icon: string | null) => void
  /** Show a file in the OS file manager (shell.showItemInFolder in the app). */
  reveal?: (file: string) => void
  /** The OS folder picker (dialog.showOpenDialog in the app); resolves to null when cancelled. */
  chooseFolder?: () => Promise<string | null>
  /** The OS file picker for one MP4 (dialog.showOpenDialog in the app), to locate a missing video; null when cancelled. */
  chooseVideoFile?: (entry: LibraryEntry) => Promise<string | null>
  /** Tell the renderer the provider, key or pause state changed (engine:changed). */
  onEngineChanged?: (payload: { provider: 'sandbox' | 'cloud' }) => void
}

export function createHandlers({
  appInfo,
  engine,
  mediaBase,
  onEngineChanged,
  reveal,
  startDrag,
  chooseFolder,
  chooseVideoFile,
}: Services): HandlerTable {
  const notify = () => onEngineChanged?.({ provider: engine.connection.provider })
  // Only a folder the user picked in the OS dialog may become the library folder, so a compromised renderer
  // cannot point the library (and with it the media: protocol) at a folder of its choosing.
  const picked = new Set<string>()
  const pickedFolder = (dir: string) => {
    if (!picked.has(dir))
      throw Object.assign(new Error('Choose the folder with the folder picker first.'), { code: 'FOLDER_NOT_CHOSEN' })
    return dir
  }
  return {
    'app:info': () => appInfo(),
    'engine:status': () => ({
      ...engine.connection,
      paused: engine.jobs.paused,
      libraryDir: engine.library.dir,
      mediaBase,
    }),
    'jobs:list': () => engine.jobs.list(),
    'jobs:submit': async ({ force, ...input }) => {
      const request = await engine.prepare(input)
      const existing = force ? undefined : engine.library.findByFingerprint(fingerprint(request))
      if (existing) return { job: null, existing }
      return { job: await engine.jobs.submit(request), existing: null }
    },
    'jobs:cancel': ({ id }) => engine.jobs.cancel(id),
    'jobs:retry': ({ id }) => engine.jobs.retry(id),
    'jobs:remove': async ({ id }) => ({ removed: await engine.jobs.remove(id) }),
    'library:query': (query) => engine.library.query(query),
    'library:favorite': ({ id, value }) => engine.library.setFavorite(id, value),
    'library:rename': ({ id, title }) => engine.library.rename(id, title),
    'library:delete': async ({ ids }) => ({ removed: await engine.library.remove(ids) }),
    'library:rescan': () => engine.library.rescan(),
    // The renderer names only the video; the file is the one the user picks in the OS dialog main shows, so a
    // compromised renderer cannot make main move a file of its choosing into the library.
    'library:locate': async ({ id }) => {
      const entry = engine.library.get(id)
      if (!entry) throw new LibraryError('VIDEO_NOT_FOUND', 'That video is no longer in the library.')
      if (!entry.missing) throw new LibraryError('VIDEO_NOT_MISSING', 'This video’s file is already in the library.')
      const file = (await chooseVideoFile?.(entry)) ?? null
      return file ? engine.library.locate(id, file) : null
    },
    'library:reveal': ({ id }) => {
      const entry = engine.library.get(id)
      if (!entry || entry.expired || !reveal) return { shown: false }
      reveal(engine.library.videoPath(entry))
      return { shown: true }
    },
    'library:source-image': ({ id }) => engine.sourceImage(id),
    'library:drag': ({ id }) => {
      const entry = engine.library.get(id)
      if (!entry || entry.expired || !startDrag) return { started: false }
      startDrag(engine.library.videoPath(entry), engine.library.thumbnailPath(entry))
      return { started: true }
    },
    'library:location': () => engine.libraryLocation(),
    'library:choose-folder': async () => {
      const dir = (await chooseFolder?.()) ?? null
      if (dir) picked.add(dir)
      return { dir }
    },
    'library:inspect-folder': ({ dir }) => engine.inspectLibraryFolder(pickedFolder(dir)),
    'library:change-folder': async ({ dir, mode }) => {
      const change = await engine.changeLibraryFolder(pickedFolder(dir), mode)
      picked.clear()
      notify()
      return change
    },
    'usage:get': () => engine.usage(),
    'settings:get': () => ({ ...engine.settings }),
    'settings:update': async (patch) => {
      const next = await engine.updateSettings(patch)
      notify()
      return next
    },
    'key:status': () => engine.keychain.status('cloud'),
    'key:set': async ({ key }) => {
      const status = await engine.keychain.set('cloud', key)
      await engine.reconnect().catch(() => undefined) // jobs still running: the new key applies once they finish
      notify()
      return status
    },
    'key:remove': async () => {
      await engine.keychain.delete('cloud')
      await engine.reconnect().catch(() => undefined)
      notify()
      return engine.keychain.status('cloud')
    },
    'key:test': ({ key }) => engine.testKey(key),
    'batch:preview': ({ name, csv }) => previewBatch(engine, csv, name),
    'batch:submit': ({ name, csv }) => submitBatch(engine, csv, name),
  }
}

/** Forward engine events to the renderer (webContents.send in the app, page.evaluate in the harness). */
export function forwardEvents(
  engine: Engine,
  send: (channel: 'jobs:changed' | 'jobs:removed' | 'library:changed', payload: unknown) => void,
): () => void {
  const offJobs = engine.jobs.onChange((job) => send('jobs:changed', job))
  const offRemoved = engine.jobs.onRemove((id) => send('jobs:removed', { id }))
  const offLibrary = engine.onLibraryChange(() => send('library:changed', { size: engine.library.size }))
  return () => {
    offJobs()
    offRemoved()
    offLibrary()
  }
}
