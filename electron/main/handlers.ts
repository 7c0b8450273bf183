// The handler table: each channel of the contract mapped to the engine. Handlers stay thin (validated input
// in, plain data out); the Electron shell and the browser harness both build it here.

import path from 'node:path'
import type { Engine } from '../core/engine'
import { previewBatch, readBatchFile, submitBatch } from '../core/jobs/batch'
import { submitSweep } from '../core/jobs/sweep'
import { LibraryError } from '../core/library/library'
import { type FfmpegTools, findFfmpeg } from '../core/media/ffmpeg'
import { continueVideo } from '../core/sequence/continue'
import { exportLibrarySequence } from '../core/sequence/library-export'
import type { Settings } from '../core/settings/settings'
import type { AppInfo, LibraryEntry } from '../shared/model'
import { type ProviderId, providerInfo } from '../shared/providers'
import { SERVICE_URL_ERROR } from '../shared/service-url'
import type { HandlerTable } from './ipc'

/** What the user chose when the service address moved away from the key's origin (see key-origin-dialog.ts). */
export type KeyOriginAnswer = 'move' | 'keep' | 'cancel'

export interface Services {
  appInfo: () => AppInfo
  engine: Engine
  /** Where the renderer finds library files: `media://` in the app. */
  mediaBase: string
  /** Start dragging a file out of the window (webContents.startDrag in the app), with its thumbnail as the icon. */
  startDrag?: (file: string, icon: string | null) => void
  /** Show a file in the OS file manager (shell.showItemInFolder in the app). */
  reveal?: (file: string) => void
  /** The OS file picker for a batch CSV (dialog.showOpenDialog in the app); resolves to null when cancelled. */
  chooseCsv?: () => Promise<string | null>
  /** The OS folder picker (dialog.showOpenDialog in the app); resolves to null when cancelled. */
  chooseFolder?: () => Promise<string | null>
  /**
   * Ask the user, in a dialog main shows (never the renderer), whether a provider's stored key may go to a new
   * origin: 'move' it there, 'keep' it bound where it is (enter a key for the new address), or 'cancel' the change.
   * Without it (the browser harness) the key stays bound: the answer is 'keep'.
   */
  confirmKeyOrigin?: (change: { provider: ProviderId; from: string; to: string }) => Promise<KeyOriginAnswer>
  /** The OS file picker for one MP4 (dialog.showOpenDialog in the app), to locate a missing video; null when cancelled. */
  chooseVideoFile?: (entry: LibraryEntry) => Promise<string | null>
  /** Tell the renderer the default door, a key or the pause state changed (engine:changed). */
  onEngineChanged?: (payload: { provider: ProviderId }) => void
  // Sequence (issue 11).
  /** The OS save dialog for an exported sequence (dialog.showSaveDialog in the app); null when cancelled. */
  chooseExportFile?: (suggestedName: string) => Promise<string | null>
  /** ffmpeg where this machine has it (default: looked up on PATH, or SEEDANCE_FFMPEG). */
  findTools?: () => Promise<FfmpegTools | null>
  /** Writes the settings into an exported MP4 before its rename (default: the engine's embedExportSettings). */
  embedSettings?: (file: string, settings: object) => Promise<void>
}

export function createHandlers({
  appInfo,
  engine,
  mediaBase,
  onEngineChanged,
  reveal,
  startDrag,
  chooseFolder,
  chooseCsv,
  confirmKeyOrigin,
  chooseVideoFile,
  chooseExportFile,
  findTools = findFfmpeg,
  embedSettings,
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
  // Likewise only a CSV picked in the OS dialog is read, and its folder bounds the images it names (issue 9).
  const pickedCsvs = new Set<string>()
  const pickedCsv = (file: string) => {
    if (!pickedCsvs.has(file))
      throw Object.assign(new Error('Choose the CSV file with the file picker first.'), { code: 'CSV_NOT_CHOSEN' })
    return readBatchFile(file)
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
      const outcome = await engine.submit(input, { force })
      if (outcome.kind === 'exists') return { job: null, existing: outcome.entry, joined: false }
      return { job: outcome.job, existing: null, joined: outcome.kind === 'joined' }
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
    'library:image-by-hash': ({ sha256 }) => engine.imageByHash(sha256), // issue 11 (meta)
    'library:drag': ({ id }) => {
      const entry = engine.library.get(id)
      if (!entry || entry.expired || !startDrag) return { started: false }
      startDrag(engine.library.videoPath(entry), engine.library.thumbnailPath(entry))
      return { started: true }
    },
    'library:fetch': ({ id }) => engine.jobs.fetchAgain(id),
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
    'providers:list': () => engine.providers(),
    'settings:get': () => rendererSettings(engine.settings),
    'settings:update': async (patch) => {
      // A key follows a new origin only if the user says so in main's own dialog (issue 9), one provider at a time;
      // a cancel anywhere changes nothing.
      const follows: ProviderId[] = []
      for (const change of await engine.keyOriginChange(patch)) {
        const answer: KeyOriginAnswer = (await confirmKeyOrigin?.(change)) ?? 'keep'
        if (answer === 'cancel')
          throw Object.assign(
            new Error(
              `The service address was not changed: your ${providerInfo(change.provider).label} key stays with ${change.from}.`,
            ),
            { code: SERVICE_URL_ERROR.notConfirmed },
          )
        if (answer === 'move') follows.push(change.provider)
      }
      const next = await engine.updateSettings(patch, { keyFollows: follows })
      notify()
      return rendererSettings(next)
    },
    'key:status': ({ provider }) => engine.keyStatus(provider),
    'key:set': async ({ provider, key }) => {
      const status = await engine.setKey(provider, key)
      notify()
      return status
    },
    'key:remove': async ({ provider }) => {
      const status = await engine.removeKey(provider)
      notify()
      return status
    },
    'key:test': ({ provider, key }) => engine.testKey(provider, key),
    'batch:choose-file': async () => {
      const file = (await chooseCsv?.()) ?? null
      if (file) pickedCsvs.add(file)
      return { file, name: file ? path.basename(file) : null }
    },
    'batch:preview': async ({ file }) => previewBatch(engine, await pickedCsv(file), file),
    'batch:submit': async ({ file }) => submitBatch(engine, await pickedCsv(file), file),
    // Issue 11 (sweep).
    'sweep:submit': (spec) => submitSweep(engine, spec),
    // Budget (issue 11): raising or clearing a cap lets a held queue go on (the engine looks again at once).
    'budget:get': () => engine.budget.status(),
    'budget:set': ({ provider, period, amount, unit }) => engine.budget.setCap(provider, period, { amount, unit }),
    'budget:clear': ({ provider, period }) => engine.budget.clearCap(provider, period),
    // Sequence (issue 11): ffmpeg is looked for only when main must take the frame itself.
    'library:continue': async ({ id, prompt, frame }) =>
      continueVideo(engine, id, { prompt, frame, tools: frame ? null : await findTools() }),
    'library:export-sequence': async ({ id }) => {
      const entry = engine.library.get(id)
      if (!entry) throw new LibraryError('VIDEO_NOT_FOUND', 'That video is no longer in the library.')
      const dest = (await chooseExportFile?.(`${path.parse(entry.file).name}-sequence.mp4`)) ?? null
      if (!dest) return { exported: null }
      const result = await exportLibrarySequence(engine, id, {
        dest,
        allowedDir: path.dirname(dest),
        tools: await findTools(),
        embedSettings,
      })
      const { file, method, reason, clips, durationSeconds, bytes } = result
      return { exported: { file, method, reason, clips, durationSeconds, bytes } }
    },
    // Prompt history (issue 11)
    'prompts:starred': () => engine.prompts.starred(),
    'prompts:star': ({ prompt, value }) => engine.prompts.star(prompt, value),
  }
}

/** Settings as the renderer sees them: where keys are bound is main's business only. */
function rendererSettings({ keyOrigins: _mainOnly, ...settings }: Settings) {
  return settings
}

/** Forward engine events to the renderer (webContents.send in the app, page.evaluate in the harness). */
export function forwardEvents(
  engine: Engine,
  send: (channel: 'jobs:changed' | 'jobs:removed' | 'library:changed' | 'budget:changed', payload: unknown) => void,
): () => void {
  const offJobs = engine.jobs.onChange((job) => send('jobs:changed', job))
  const offRemoved = engine.jobs.onRemove((id) => send('jobs:removed', { id }))
  const offLibrary = engine.onLibraryChange(() => send('library:changed', { size: engine.library.size }))
  const offBudget = engine.budget.onChange((status) => send('budget:changed', status))
  return () => {
    offBudget()
    offJobs()
    offRemoved()
    offLibrary()
  }
}
