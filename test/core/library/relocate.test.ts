import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { Library } from '../../../electron/core/library/library'
import { inspectFolder, moveLibrary, RelocateError, unfinishedMove } from '../../../electron/core/library/relocate'
import type { LibraryEntry } from '../../../electron/shared/model'
import { renderClip } from '../../fixtures/clip'
import { entry } from '../../fixtures/records'

let clip: string
let clipBytes: number
let scratch: string
beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'relocate-clip-'))
  clip = path.join(scratch, 'clip.mp4')
  await writeFile(clip, await renderClip())
  clipBytes = (await stat(clip)).size
}, 60_000)
afterAll(() => rm(scratch, { recursive: true, force: true }))

let root: string
let from: string
let to: string
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'relocate-'))
  from = path.join(root, 'old library')
  to = path.join(root, 'new', 'Seedance')
  await mkdir(from)
})
afterEach(() => rm(root, { recursive: true, force: true }))

/** A library of three videos with thumbnails, plus one whose link expired (metadata only). */
async function library(): Promise<{ lib: Library; entries: LibraryEntry[] }> {
  const lib = await Library.open(from)
  const entries = ['a', 'b', 'c'].map((id) =>
    entry({ id, file: `clip ${id}.mp4`, fingerprint: `fp-${id}`, sizeBytes: clipBytes, thumbnail: `${id}.jpg` }),
  )
  for (const e of entries) {
    await copyFile(clip, path.join(from, e.file))
    await writeFile(path.join(lib.thumbsDir, `${e.id}.jpg`), `thumb ${e.id}`)
    await lib.add(e)
  }
  const gone = entry({ id: 'gone', file: 'gone.mp4', fingerprint: 'fp-gone', expired: true })
  await lib.add(gone)
  await lib.flush()
  return { lib, entries: [...entries, gone] }
}

async function files(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).sort()
}

describe('inspectFolder', () => {
  it('describes a folder that does not exist yet: writable, with the free space of its disk', async () => {
    const info = await inspectFolder(to, from)
    expect(info).toMatchObject({ dir: to, exists: false, writable: true, videos: 0, isLibrary: false, problem: null })
    expect(info.freeBytes).toBeGreaterThan(0)
    expect(info.totalBytes).toBeGreaterThanOrEqual(info.freeBytes as number)
  })

  it('counts the videos a folder already holds and sees an existing library', async () => {
    await library()
    const other = path.join(root, 'elsewhere')
    const info = await inspectFolder(from, other)
    expect(info).toMatchObject({ exists: true, videos: 3, isLibrary: true, problem: null })
  })

  it('refuses the current folder, a folder inside its .seedance, a file and a relative path', async () => {
    expect((await inspectFolder(from, from)).problem).toBe('This is already the library folder.')
    expect((await inspectFolder(path.join(from, '.seedance', 'x'), from)).problem).toMatch(/\.seedance/)
    await writeFile(path.join(root, 'a file'), 'x')
    expect((await inspectFolder(path.join(root, 'a file'), from)).problem).toBe('That is a file, not a folder.')
    expect((await inspectFolder('relative/dir', from)).problem).toBe('Choose a folder by its full path.')
  })
})

describe('moveLibrary', () => {
  for (const copy of [false, true]) {
    it(`moves every video, thumbnail and metadata file (${copy ? 'copy then delete, as across disks' : 'rename on one disk'})`, async () => {
      const { entries } = await library()
      const result = await moveLibrary({ from, to, entries, copy })
      expect(result).toEqual({ moved: 3, renamed: 0, bytes: 3 * clipBytes })
      expect(await files(to)).toEqual(['.seedance', 'clip a.mp4', 'clip b.mp4', 'clip c.mp4'])
      expect(await files(path.join(to, '.seedance', 'thumbs'))).toEqual(['a.jpg', 'b.jpg', 'c.jpg'])
      // The old folder held only the library: it is gone, nothing left behind.
      await expect(stat(from)).rejects.toMatchObject({ code: 'ENOENT' })
      const moved = await Library.open(to, { rescan: true })
      expect(
        moved
          .all()
          .map((e) => e.id)
          .sort(),
      ).toEqual(['a', 'b', 'c', 'gone'])
      expect(moved.get('gone')?.expired).toBe(true)
      expect((await readFile(path.join(to, 'clip b.mp4'))).length).toBe(clipBytes)
    })
  }

  it('keeps both videos when the new folder already has one by the same name, and leaves other files alone', async () => {
    const { entries } = await library()
    await mkdir(to, { recursive: true })
    await writeFile(path.join(to, 'clip a.mp4'), 'somebody else’s video')
    await writeFile(path.join(from, 'notes.txt'), 'mine')
    const result = await moveLibrary({ from, to, entries })
    expect(result.renamed).toBe(1)
    expect(await files(to)).toEqual(['.seedance', 'clip a 2.mp4', 'clip a.mp4', 'clip b.mp4', 'clip c.mp4'])
    expect(await readFile(path.join(to, 'clip a.mp4'), 'utf8')).toBe('somebody else’s video')
    const meta = JSON.parse(await readFile(path.join(to, '.seedance', 'meta', 'a.json'), 'utf8')) as LibraryEntry
    expect(meta.file).toBe('clip a 2.mp4')
    // The old folder stays because it holds a file that is not the library's.
    expect(await files(from)).toEqual(['notes.txt'])
  })

  for (const copy of [false, true]) {
    it(`undoes a move that fails half-way and leaves the library where it was (${copy ? 'copy' : 'rename'})`, async () => {
      const { entries } = await library()
      // The third video's thumbnail cannot be placed: a folder already has its name in the new library.
      await mkdir(path.join(to, '.seedance', 'thumbs', 'c.jpg'), { recursive: true })
      const error = await moveLibrary({ from, to, entries, copy }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(RelocateError)
      expect((error as RelocateError).code).toBe('MOVE_FAILED')
      expect((error as RelocateError).message).toMatch(/Nothing was moved; it stays in .*old library/)
      expect(await files(from)).toEqual(['.seedance', 'clip a.mp4', 'clip b.mp4', 'clip c.mp4'])
      expect(await files(path.join(from, '.seedance', 'thumbs'))).toEqual(['a.jpg', 'b.jpg', 'c.jpg'])
      expect(await files(to)).toEqual(['.seedance'])
      expect(await files(path.join(to, '.seedance', 'meta'))).toEqual([])
      expect(await unfinishedMove(from)).toBeNull()
      const reopened = await Library.open(from, { rescan: true })
      expect(reopened.size).toBe(4)
    })
  }

  it('refuses, before touching anything, a disk without room for the copy', async () => {
    const { entries } = await library()
    const huge = entries.map((e) => (e.expired ? e : { ...e, sizeBytes: 2 ** 52 }))
    const error = await moveLibrary({ from, to, entries: huge, copy: true }).catch((e: unknown) => e)
    expect((error as RelocateError).code).toBe('NOT_ENOUGH_SPACE')
    expect((error as RelocateError).message).toMatch(/free; the library needs .* there/)
    expect(await files(from)).toEqual(['.seedance', 'clip a.mp4', 'clip b.mp4', 'clip c.mp4'])
    await expect(stat(to)).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('finishes a move cut short: what was placed is not placed twice', async () => {
    const { entries } = await library()
    // As a killed run leaves it: the marker written, the first video and its metadata already moved.
    await mkdir(path.join(to, '.seedance', 'meta'), { recursive: true })
    await writeFile(path.join(from, '.seedance', 'moving.json'), JSON.stringify({ to }))
    await copyFile(path.join(from, 'clip a.mp4'), path.join(to, 'clip a.mp4'))
    await rm(path.join(from, 'clip a.mp4'))
    await writeFile(path.join(to, '.seedance', 'meta', 'a.json'), JSON.stringify(entries[0]))
    expect(await unfinishedMove(from)).toBe(to)
    const result = await moveLibrary({ from, to, entries })
    expect(result.renamed).toBe(0)
    expect(await files(to)).toEqual(['.seedance', 'clip a.mp4', 'clip b.mp4', 'clip c.mp4'])
    await expect(stat(from)).rejects.toMatchObject({ code: 'ENOENT' })
  })
})
