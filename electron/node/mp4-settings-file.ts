// Embedding a video's generation settings in its MP4 file, and reading them back (issue 11, point 1), on disk.
// Only the movie box is rebuilt (electron/shared/mp4-meta/edit.ts); the media data is copied byte for byte, never
// decoded or re-encoded. The new file is written under a .part name, fsynced and read back (settings equal, every
// track's first and last chunk still pointing at the same bytes) before it takes its name by rename: a failure at
// any step leaves the original as it was and no part file behind.
import { randomBytes } from 'node:crypto'
import { type FileHandle, open, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import { type Box, Mp4MetaError, type ReadAt, readMoov } from '../shared/mp4-meta/boxes'
import { eachChunkOffset, metadataOfMoov, moovWithSettings } from '../shared/mp4-meta/edit'
import type { EmbeddedMetadata, VideoSettings } from '../shared/mp4-meta/video-settings'

export { Mp4MetaError } from '../shared/mp4-meta/boxes'

const COPY_CHUNK = 1024 * 1024

function reader(handle: FileHandle): ReadAt {
  return async (at, length) => {
    const buffer = new Uint8Array(length)
    const { bytesRead } = await handle.read(buffer, 0, length, at)
    return buffer.subarray(0, bytesRead)
  }
}

async function withFile<T>(file: string, use: (handle: FileHandle, size: number) => Promise<T>): Promise<T> {
  const handle = await open(file, 'r')
  try {
    return await use(handle, (await handle.stat()).size)
  } finally {
    await handle.close()
  }
}

/** The settings embedded in an MP4 on disk; throws Mp4MetaError (NO_SETTINGS, INVALID_SETTINGS, INVALID_VIDEO). */
export function readSettingsFile(file: string): Promise<EmbeddedMetadata> {
  return withFile(file, async (handle, size) => metadataOfMoov((await readMoov(reader(handle), size)).bytes))
}

async function copyRange(from: FileHandle, to: FileHandle, start: number, end: number, at: number): Promise<void> {
  const buffer = new Uint8Array(Math.min(COPY_CHUNK, Math.max(1, end - start)))
  for (let p = start; p < end; ) {
    const { bytesRead } = await from.read(buffer, 0, Math.min(buffer.length, end - p), p)
    if (bytesRead === 0) throw new Mp4MetaError('INVALID_VIDEO', 'The file got shorter while it was copied.')
    await to.write(buffer, 0, bytesRead, at + (p - start))
    p += bytesRead
  }
}

/** Each track's first and last chunk offsets, in order. */
function chunkEnds(moov: Uint8Array): Array<[number, number]> {
  const ends: Array<[number, number]> = []
  eachChunkOffset(moov.slice(), (offset, track) => {
    const e = ends[track]
    if (e) e[1] = offset
    else ends[track] = [offset, offset]
    return undefined
  })
  return ends
}

async function sameBytes(a: FileHandle, aAt: number, b: FileHandle, bAt: number): Promise<boolean> {
  const x = await reader(a)(aAt, 16)
  const y = await reader(b)(bAt, 16)
  return x.length === y.length && x.every((v, i) => v === y[i])
}

/** Read the written file back: the same settings, and each track's chunks still on the same media bytes. */
async function verify(source: FileHandle, oldMoov: Uint8Array, written: string, json: string): Promise<void> {
  await withFile(written, async (handle, size) => {
    const { bytes } = await readMoov(reader(handle), size)
    const back = metadataOfMoov(bytes)
    if (JSON.stringify(back.settings) !== json)
      throw new Mp4MetaError('INVALID_VIDEO', 'The settings read back are not the ones written.')
    const before = chunkEnds(oldMoov)
    const after = chunkEnds(bytes)
    if (before.length !== after.length) throw new Mp4MetaError('INVALID_VIDEO', 'A track was lost in writing.')
    for (let t = 0; t < before.length; t++) {
      const [b, a] = [before[t] as [number, number], after[t] as [number, number]]
      if (!(await sameBytes(source, b[0], handle, a[0])) || !(await sameBytes(source, b[1], handle, a[1])))
        throw new Mp4MetaError('INVALID_VIDEO', 'The media data moved and its offsets were not updated.')
    }
  })
}

/**
 * Write `source` with the settings embedded to `target` (the same path: replaced in place). Throws Mp4MetaError
 * (or what `check` throws); the target is then untouched.
 */
export async function embedSettingsFile(
  source: string,
  target: string,
  settings: VideoSettings,
  /** A further check of the written file before it takes its name (the engine probes it with mp4box). */
  check?: (written: string) => Promise<void>,
): Promise<void> {
  const json = JSON.stringify(settings)
  const part = path.join(path.dirname(target), `${path.basename(target)}.${randomBytes(4).toString('hex')}.part`)
  try {
    await withFile(source, async (input, size) => {
      const { boxes, moov, bytes } = await readMoov(reader(input), size)
      const last = (boxes.at(-1) as Box).at === moov.at
      const next = moovWithSettings(bytes, moov.at, settings, last)
      const output = await open(part, 'wx')
      try {
        await copyRange(input, output, 0, moov.at, 0)
        await output.write(next, 0, next.length, moov.at)
        await copyRange(input, output, moov.at + moov.size, size, moov.at + next.length)
        await output.sync()
      } finally {
        await output.close()
      }
      await verify(input, bytes, part, json)
    })
    await check?.(part)
    await rename(part, target)
  } catch (error) {
    await rm(part, { force: true })
    throw error
  }
  await fsyncFolder(path.dirname(target))
}

async function fsyncFolder(dir: string): Promise<void> {
  if (process.platform === 'win32') return // Windows cannot open a folder to fsync it; its rename is durable there
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
