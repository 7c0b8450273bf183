// Choosing another library folder: what a folder offers (free space, videos already there, whether the app may
// write there), and moving a library into it without losing a file.
//
// A move places every video, thumbnail and metadata file in the new folder first (a rename on the same disk; a
// copy, fsynced, under a .part name then renamed, across disks) and only then removes the originals. A failure
// while placing undoes what this run placed and leaves the library where it was. A marker in the old folder's
// .seedance records the destination, so a move cut short by a killed process is finished at the next start:
// every step can run again (a video whose metadata and file are already in place is not placed twice).
// A library folder may come from anyone, so that marker alone moves nothing: it carries a random token that is
// also kept in the app's data folder, and only a marker whose token, source and destination match that record
// is honoured; a network (UNC) destination never is (issue 9, point 5).
import { randomBytes } from 'node:crypto'
import {
  access,
  constants,
  copyFile,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  rmdir,
  stat,
  statfs,
} from 'node:fs/promises'
import path from 'node:path'
import { isSameOrInside } from '../../node/inside-folder'
import { formatBytes } from '../../shared/format'
import type { FolderInfo, LibraryEntry, MoveResult } from '../../shared/model'
import { fsyncDir, writeFileAtomic } from '../util/atomic-write'
import type { Logger } from '../util/logger'
import { parseEntry, toMetadata } from './entry-schema'
import { ensureOwnFolders } from './library-folders'

export class RelocateError extends Error {
  constructor(
    readonly code: 'INVALID_FOLDER' | 'NOT_ENOUGH_SPACE' | 'MOVE_FAILED',
    message: string,
  ) {
    super(message)
  }
}

const MARKER = 'moving.json'
/** Room kept free on the destination beyond what a copy needs. */
const SPARE_BYTES = 64 * 1024 * 1024

async function nearestExisting(dir: string): Promise<string> {
  let at = dir
  for (;;) {
    try {
      await stat(at)
      return at
    } catch {
      const up = path.dirname(at)
      if (up === at) return at
      at = up
    }
  }
}

/** Free and total bytes of the disk holding a folder (or where it would be created), null when the OS won't say. */
export async function diskSpace(dir: string): Promise<{ free: number | null; total: number | null }> {
  try {
    const s = await statfs(await nearestExisting(dir))
    return { free: s.bavail * s.bsize, total: s.blocks * s.bsize }
  } catch {
    return { free: null, total: null }
  }
}

/** What a folder offers as the library folder; `current` is the library folder in use. */
export async function inspectFolder(dir: string, current: string): Promise<FolderInfo> {
  const abs = path.resolve(dir)
  const info: FolderInfo = {
    dir: abs,
    exists: false,
    writable: false,
    freeBytes: null,
    totalBytes: null,
    videos: 0,
    isLibrary: false,
    problem: null,
  }
  if (!path.isAbsolute(dir)) info.problem = 'Choose a folder by its full path.'
  else if (path.resolve(current) === abs) info.problem = 'This is already the library folder.'
  else if (isSameOrInside(path.join(path.resolve(current), '.seedance'), abs))
    info.problem = "A folder inside the library's own .seedance folder cannot hold the library."
  try {
    const s = await stat(abs)
    if (!s.isDirectory()) info.problem ??= 'That is a file, not a folder.'
    else {
      info.exists = true
      const names = await readdir(abs)
      info.videos = names.filter((n) => n.toLowerCase().endsWith('.mp4')).length
      info.isLibrary = names.includes('.seedance')
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      info.problem ??= `The folder cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}).`
  }
  try {
    await access(await nearestExisting(abs), constants.W_OK)
    info.writable = true
  } catch {
    info.problem ??= 'The app may not write in that folder.'
  }
  const { free, total } = await diskSpace(abs)
  info.freeBytes = free
  info.totalBytes = total
  return info
}

interface Marker {
  to: string
  token: string
}
/** The data folder's half of the marker: which move it vouches for. */
interface MoveRecord extends Marker {
  from: string
}
/** Its name in the app's data folder. */
const RECORD = 'library-move.json'

/** `\\server\share`, `//server/share`, `\\?\UNC\…`: a path on another machine. */
export function isNetworkPath(p: string): boolean {
  return /^[\\/]{2}/.test(p)
}

async function readJson(file: string): Promise<Record<string, unknown> | null> {
  try {
    const value = JSON.parse(await readFile(file, 'utf8'))
    return value && typeof value === 'object' ? value : null
  } catch {
    return null
  }
}

/** Record a move about to start: first in the data folder, then the marker in the library. */
export async function writeMoveMarker(from: string, to: string, stateDir: string): Promise<void> {
  const token = randomBytes(16).toString('hex')
  await mkdir(stateDir, { recursive: true })
  await writeFileAtomic(path.join(stateDir, RECORD), JSON.stringify({ from, to, token } satisfies MoveRecord))
  await writeFileAtomic(path.join(from, '.seedance', MARKER), JSON.stringify({ to, token } satisfies Marker))
}

async function clearMoveMarker(from: string, stateDir: string): Promise<void> {
  await rm(path.join(from, '.seedance', MARKER), { force: true })
  await rm(path.join(stateDir, RECORD), { force: true })
}

/**
 * The destination of a move this app started from this library folder and that was cut short, or null. A marker
 * the data folder does not vouch for (written by someone else, or left by another data folder) moves nothing.
 */
export async function unfinishedMove(libraryDir: string, stateDir: string, logger?: Logger): Promise<string | null> {
  const marker = await readJson(path.join(libraryDir, '.seedance', MARKER))
  if (!marker) return null
  const record = await readJson(path.join(stateDir, RECORD))
  const to = marker.to
  const honoured =
    record !== null &&
    typeof to === 'string' &&
    typeof marker.token === 'string' &&
    marker.token.length >= 32 &&
    record.token === marker.token &&
    record.to === to &&
    record.from === path.resolve(libraryDir) &&
    path.isAbsolute(to) &&
    !isNetworkPath(to)
  if (honoured) return to
  logger?.warn('library: a move marker this app did not write was ignored', {
    library: libraryDir,
    to: typeof to === 'string' ? to : null,
    network: typeof to === 'string' && isNetworkPath(to),
  })
  return null
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file)
    return true
  } catch {
    return false
  }
}

async function sameDisk(a: string, b: string): Promise<boolean> {
  try {
    return (await stat(a)).dev === (await stat(await nearestExisting(b))).dev
  } catch {
    return false
  }
}

/** Place one file at its destination: a rename on the same disk, else an fsynced copy under a .part name. */
async function place(src: string, dest: string, rename_: boolean): Promise<'renamed' | 'copied'> {
  if (rename_) {
    try {
      await rename(src, dest)
      return 'renamed'
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error
    }
  }
  const part = `${dest}.${randomBytes(4).toString('hex')}.part`
  try {
    await copyFile(src, part)
    const handle = await open(part, 'r+')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(part, dest)
  } catch (error) {
    await rm(part, { force: true })
    throw error
  }
  return 'copied'
}

export interface MoveOptions {
  from: string
  to: string
  entries: LibraryEntry[]
  /** The app's data folder, which keeps the token that makes the library's move marker trusted. */
  stateDir: string
  logger?: Logger
  /** Copy then delete even on the same disk (the path taken across disks; tests use it). */
  copy?: boolean
}

function explain(error: unknown): string {
  const e = error as NodeJS.ErrnoException
  if (e.code === 'ENOSPC') return 'the disk is full'
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission was refused'
  return e.code ?? e.message ?? String(error)
}

/**
 * Move a library's files from `from` to `to`. Throws RelocateError (nothing moved) when the folder cannot take
 * it; otherwise every video, thumbnail and metadata file is in `to` and gone from `from` when it returns.
 */
export async function moveLibrary({ from, to, entries, stateDir, logger, copy }: MoveOptions): Promise<MoveResult> {
  const src = path.resolve(from)
  const dest = path.resolve(to)
  const srcMeta = path.join(src, '.seedance', 'meta')
  const srcThumbs = path.join(src, '.seedance', 'thumbs')
  const destMeta = path.join(dest, '.seedance', 'meta')
  const destThumbs = path.join(dest, '.seedance', 'thumbs')
  const renameOnly = !copy && (await sameDisk(src, dest))

  // Plan: what each entry becomes in the new folder, and the bytes a copy would need.
  const usedNames = new Set(
    (await readdir(dest).catch(() => [] as string[])).filter((n) => n.toLowerCase().endsWith('.mp4')),
  )
  interface Step {
    entry: LibraryEntry
    next: LibraryEntry
    /** The video (and thumbnail) already sit in the new folder from an earlier, interrupted run. */
    placed: boolean
    /** Its video is not in the old folder (missing): only its metadata and thumbnail move, so nothing is lost. */
    noVideo: boolean
  }
  const steps: Step[] = []
  let needed = 0
  for (const entry of entries) {
    let placed = false
    let noVideo = false
    let file = entry.file
    // The new folder may hold anything (a library from elsewhere): what it says passes the entry schema first.
    const earlier = await readFile(path.join(destMeta, `${entry.id}.json`), 'utf8')
      .then((t) => parseEntry(JSON.parse(t), entry.id))
      .then((r) => (r.ok ? r.entry : null))
      .catch(() => null)
    if (earlier && (entry.expired || (await exists(path.join(dest, earlier.file))))) {
      placed = entry.expired || !(await exists(path.join(src, entry.file)))
      file = earlier.file
    } else if (!entry.expired) {
      if (!(await exists(path.join(src, entry.file)))) {
        logger?.warn('library move: a video was missing; its details move without it', { file: entry.file })
        noVideo = true
      } else {
        if (usedNames.has(file)) {
          const base = file.replace(/\.mp4$/i, '')
          for (let n = 2; usedNames.has(file); n++) file = `${base} ${n}.mp4`
        }
        usedNames.add(file)
        needed += entry.sizeBytes
      }
    }
    steps.push({ entry, next: toMetadata({ ...entry, file }), placed, noVideo })
  }
  if (!renameOnly) {
    const { free } = await diskSpace(dest)
    if (free !== null && free < needed + SPARE_BYTES)
      throw new RelocateError(
        'NOT_ENOUGH_SPACE',
        `${dest} has ${formatBytes(free)} free; the library needs ${formatBytes(needed)} there.`,
      )
  }

  await mkdir(dest, { recursive: true })
  await ensureOwnFolders(dest) // real folders, not links to elsewhere, before anything is written there
  await writeMoveMarker(src, dest, stateDir)

  // Place: metadata first, then the video and its thumbnail. Originals stay (or, renamed, are undone) on failure.
  const undo: Array<() => Promise<unknown>> = []
  const placeUndoably = async (from_: string, to_: string) => {
    const how = await place(from_, to_, renameOnly)
    undo.push(how === 'renamed' ? () => rename(to_, from_) : () => rm(to_, { force: true }))
  }
  let done = 0
  let renamed = 0
  let bytes = 0
  try {
    for (const { entry, next, placed, noVideo } of steps) {
      const metaFile = path.join(destMeta, `${entry.id}.json`)
      const hadMeta = await exists(metaFile)
      await writeFileAtomic(metaFile, JSON.stringify(next, null, 2))
      if (!hadMeta) undo.push(() => rm(metaFile, { force: true }))
      if (!placed && !entry.expired && !noVideo) {
        await placeUndoably(path.join(src, entry.file), path.join(dest, next.file))
        if (next.file !== entry.file) renamed += 1
        bytes += entry.sizeBytes
      }
      if (entry.thumbnail && (await exists(path.join(srcThumbs, entry.thumbnail)))) {
        await placeUndoably(path.join(srcThumbs, entry.thumbnail), path.join(destThumbs, entry.thumbnail))
      }
      done += 1
    }
    await fsyncDir(dest)
  } catch (error) {
    for (const step of undo.reverse()) await step().catch(() => undefined)
    await clearMoveMarker(src, stateDir)
    logger?.warn('library move undone', { to: dest, error: String(error) })
    throw new RelocateError(
      (error as NodeJS.ErrnoException).code === 'ENOSPC' ? 'NOT_ENOUGH_SPACE' : 'MOVE_FAILED',
      `The library could not be moved to ${dest}: ${explain(error)}. Nothing was moved; it stays in ${src}.`,
    )
  }

  // Everything is in place: remove what is left of the old library (its own files only; the folder stays
  // when it holds anything else).
  await rm(path.join(dest, '.seedance', 'index.json'), { force: true })
  for (const { entry, noVideo } of steps) {
    if (!entry.expired && !noVideo) await rm(path.join(src, entry.file), { force: true })
    if (entry.thumbnail) await rm(path.join(srcThumbs, entry.thumbnail), { force: true })
    await rm(path.join(srcMeta, `${entry.id}.json`), { force: true })
  }
  await rm(path.join(src, '.seedance', 'index.json'), { force: true })
  await clearMoveMarker(src, stateDir)
  for (const dir of [srcMeta, srcThumbs, path.join(src, '.seedance'), src]) await rmdir(dir).catch(() => undefined)
  logger?.info('library moved', { from: src, to: dest, videos: done, renamed })
  return { moved: steps.filter((s) => !s.entry.expired && !s.noVideo).length, renamed, bytes }
}
