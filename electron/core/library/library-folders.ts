// The library's own folders (.seedance, .seedance/meta, .seedance/thumbs) and the files in them. A library folder
// may come from anyone (shared, synced, unzipped), so these must be real folders inside it: a symlink there would
// make every write, delete and media: request land in the folder it points to (issue 9, point 4).
import { createHash, randomBytes } from 'node:crypto'
import { constants, copyFile, link, lstat, mkdir, open, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import type { LibraryEntry } from '../../shared/model'
import { type Mp4Probe, probeMp4File } from '../media/mp4-probe'
import { fsyncDir } from '../util/atomic-write'

export type LibraryErrorCode =
  | 'UNSAFE_LIBRARY_FOLDER'
  | 'VIDEO_NOT_FOUND'
  | 'INVALID_TITLE'
  | 'INVALID_ENTRY'
  | 'INVALID_VIDEO'
  | 'VIDEO_NOT_MISSING'
  | 'FILE_IN_USE'

export class LibraryError extends Error {
  constructor(
    readonly code: LibraryErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'LibraryError'
  }
}

export const OWN_FOLDERS = ['.seedance', '.seedance/meta', '.seedance/thumbs'] as const

/**
 * Create the library's own folders where they are missing, then check each is a real folder (lstat: a symlink is
 * not followed). Throws UNSAFE_LIBRARY_FOLDER, before anything is read or written there, when one is not.
 */
export async function ensureOwnFolders(dir: string): Promise<void> {
  for (const rel of OWN_FOLDERS) {
    const folder = path.join(dir, rel)
    await mkdir(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error
    })
    const info = await lstat(folder)
    if (!info.isDirectory())
      throw new LibraryError(
        'UNSAFE_LIBRARY_FOLDER',
        `${folder} is ${info.isSymbolicLink() ? 'a link to another place' : 'not a folder'}. The app keeps its library data only in real folders inside the library; remove it, or choose another library folder.`,
      )
  }
}

/** Read and probe a video file; throws INVALID_VIDEO naming the file when it is not a playable MP4. */
export async function probeVideoFile(file: string): Promise<Mp4Probe & { sizeBytes: number; mtimeMs: number }> {
  const info = await stat(file)
  if (!info.isFile()) throw new LibraryError('INVALID_VIDEO', `${path.basename(file)} is not a file.`)
  try {
    // Only the boxes needed are read, never the whole video (issue 9).
    const probe = await probeMp4File(file)
    return { ...probe, sizeBytes: info.size, mtimeMs: info.mtimeMs }
  } catch (error) {
    throw new LibraryError(
      'INVALID_VIDEO',
      `${path.basename(file)} is not a playable MP4 video (${(error as Error).message}).`,
    )
  }
}

/** An entry for a video found in the folder without metadata (added outside the app). */
export function externalEntry(name: string, probe: Mp4Probe & { sizeBytes: number; mtimeMs: number }): LibraryEntry {
  const landscape = probe.width > probe.height
  return {
    // A hash of the name: two long names that share their start still get ids of their own.
    id: `ext-${createHash('sha256').update(name).digest('base64url').slice(0, 24)}`,
    file: name,
    title: name.replace(/\.mp4$/i, ''),
    prompt: '',
    mode: 'text',
    duration: Math.round(probe.durationSeconds * 10) / 10,
    resolution: Math.min(probe.width, probe.height) >= 1080 ? '1080p' : '720p',
    aspectRatio: probe.width === probe.height ? '1:1' : landscape ? '16:9' : '9:16',
    style: null,
    motionIntensity: null,
    width: probe.width,
    height: probe.height,
    sizeBytes: probe.sizeBytes,
    sha256: '',
    createdAt: probe.mtimeMs,
    generationMs: null,
    credits: null,
    favorite: false,
    fingerprint: null,
    jobId: null,
    remoteId: null,
    image: null,
    thumbnail: null,
    expired: false,
    external: true,
    missing: false,
  }
}

/**
 * Copy a file the user picked into the library folder and return the name it got. The original is never moved
 * or changed: it lives outside the library (BRIEF: nothing outside the library is touched). The copy is written
 * under a .part name, fsynced, then given its final name without overwriting: `name`, else `name 2.mp4`, … —
 * skipping names `taken` reserves and any file that appeared meanwhile (a sync client, another copy).
 */
export async function copyInto(
  dir: string,
  source: string,
  name: string,
  taken: (name: string) => boolean,
): Promise<string> {
  const plain = path.basename(name)
  const base = plain.replace(/\.mp4$/i, '')
  const part = path.join(dir, `${plain}.${randomBytes(6).toString('hex')}.part`)
  try {
    await copyFile(source, part, constants.COPYFILE_EXCL)
    const handle = await open(part, 'r+')
    await handle.sync().finally(() => handle.close())
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? plain : `${base} ${n}.mp4`
      if (taken(candidate)) continue
      if (await placeWithoutOverwrite(part, path.join(dir, candidate))) {
        await fsyncDir(dir)
        return candidate
      }
    }
  } finally {
    await rm(part, { force: true })
  }
}

/**
 * Give `part` the name `dest` unless a file has it already (false then). A hard link fails with EEXIST instead of
 * replacing, which no rename does portably; where links are not supported (FAT, exFAT), check and rename.
 */
async function placeWithoutOverwrite(part: string, dest: string): Promise<boolean> {
  try {
    await link(part, dest)
    return true // the caller removes the .part name
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'EEXIST') return false
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EOPNOTSUPP') throw error
  }
  if (
    await lstat(dest).then(
      () => true,
      (e: NodeJS.ErrnoException) => e.code !== 'ENOENT',
    )
  )
    return false
  await rename(part, dest)
  return true
}
