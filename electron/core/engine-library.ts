// The library in use, across a change of library folder: opening it (finishing a move cut short first), where it
// is and what it holds, and moving to another folder. One seam of the engine (engine.ts assembles them).
import { mkdir } from 'node:fs/promises'
import type { DataPaths, FolderInfo, LibraryChange, LibraryLocation, MoveResult } from '../shared/model'
import { EngineError } from './engine-error'
import { Library } from './library/library'
import { diskSpace, inspectFolder, moveLibrary, unfinishedMove } from './library/relocate'
import type { Logger } from './util/logger'

/** What a change of folder needs from the job manager: jobs out at a service save into the library. */
export interface LibraryJobs {
  inFlightCount(): number
  holdSubmissions(): () => void
  switchLibrary(library: Library): void
}

export interface LibraryPlaceOptions {
  paths: DataPaths
  logger: Logger
  trash?: (file: string) => Promise<void>
  /** The folder in Settings (changed here, then saved). */
  settings: { libraryDir: string }
  saveSettings: () => Promise<void> | void
  /** Given for this run (the CLI's --library): the folder cannot be changed, and a move cut short is left alone. */
  fixed: boolean
}

export interface LibraryPlace {
  readonly library: Library
  onChange(listener: () => void): () => void
  location(): Promise<LibraryLocation>
  inspect(dir: string): Promise<FolderInfo>
  change(dir: string, mode: 'move' | 'rescan', jobs: LibraryJobs): Promise<LibraryChange>
}

export async function openLibraryPlace(o: LibraryPlaceOptions): Promise<LibraryPlace> {
  const { paths, logger, settings } = o
  const libraryOptions = { logger, trash: o.trash }
  await mkdir(settings.libraryDir, { recursive: true })
  let library = await Library.open(settings.libraryDir, libraryOptions)
  // A library move cut short (the app was killed) is finished before anything else touches either folder.
  // Only a move this app started (its token kept in the data folder) is finished: the marker alone is not trusted.
  const movingTo = o.fixed ? null : await unfinishedMove(settings.libraryDir, paths.userData, logger)
  if (movingTo) {
    logger.warn('finishing a library move that was cut short', { from: settings.libraryDir, to: movingTo })
    await moveLibrary({
      from: settings.libraryDir,
      to: movingTo,
      entries: library.all(),
      stateDir: paths.userData,
      logger,
    })
    library = await Library.open(movingTo, { ...libraryOptions, rescan: true })
    settings.libraryDir = movingTo
    await o.saveSettings()
  }
  const listeners = new Set<() => void>()
  const relay = () => {
    for (const l of listeners) l()
  }
  let off = library.onChange(relay)

  return {
    get library() {
      return library
    },
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async location() {
      const { free, total } = await diskSpace(library.dir)
      let bytes = 0
      for (const e of library.all()) if (!e.expired) bytes += e.sizeBytes
      return { dir: library.dir, videos: library.size, bytes, freeBytes: free, totalBytes: total }
    },
    inspect: (dir) => inspectFolder(dir, library.dir),
    async change(dir, mode, jobs) {
      if (o.fixed)
        throw new EngineError('INVALID_FOLDER', 'The library folder was given on the command line; change it there.')
      // Jobs not yet sent wait until the library is in its new place; jobs already out would save into the old one.
      const release = jobs.holdSubmissions()
      try {
        const inFlight = jobs.inFlightCount()
        if (inFlight > 0)
          throw new EngineError(
            'JOBS_ACTIVE',
            `${inFlight} job${inFlight === 1 ? ' is' : 's are'} still running and will save into the library; change the folder when they have finished.`,
          )
        const info = await inspectFolder(dir, library.dir)
        if (info.problem) throw new EngineError('INVALID_FOLDER', info.problem)
        await library.flush()
        let moved: MoveResult | null = null
        if (mode === 'move') {
          try {
            moved = await moveLibrary({
              from: library.dir,
              to: info.dir,
              entries: library.all(),
              stateDir: paths.userData,
              logger,
            })
          } catch (error) {
            const e = error as { code?: string; message: string }
            throw new EngineError(e.code ?? 'MOVE_FAILED', e.message)
          }
        }
        await mkdir(info.dir, { recursive: true })
        const next = await Library.open(info.dir, { ...libraryOptions, rescan: true })
        jobs.switchLibrary(next)
        off()
        library = next
        off = library.onChange(relay)
        settings.libraryDir = info.dir
        await o.saveSettings()
        logger.info('library folder changed', { dir: info.dir, mode, videos: library.size })
        relay()
        return { dir: info.dir, videos: library.size, moved }
      } finally {
        release()
      }
    },
  }
}
