import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { Library } from '../../../electron/core/library/library'
import {
  inspectFolder,
  isNetworkPath,
  moveLibrary,
  RelocateError,
  unfinishedMove,
  writeMoveMarker,
} from '../../../electron/core/library/relocate'
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
/** The app's data folder, which keeps the move marker's token. */
let state: string
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'relocate-'))
  state = path.join(root, 'data')
  from = path.join(root, 'old library')
  to = path.join(root, 'new', 'Seedance')
  await mkdir(from)
})
afterEach(() => rm(root, { recursive: true, force: true, maxRetries: 5 })) // a debounced index write may still land

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
      const result = await moveLibrary({ from, to, entries, copy, stateDir: state })
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
    const result = await moveLibrary({ from, to, entries, stateDir: state })
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
      const error = await moveLibrary({ from, to, entries, copy, stateDir: state }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(RelocateError)
      expect((error as RelocateError).code).toBe('MOVE_FAILED')
      expect((error as RelocateError).message).toMatch(/Nothing was moved; it stays in .*old library/)
      expect(await files(from)).toEqual(['.seedance', 'clip a.mp4', 'clip b.mp4', 'clip c.mp4'])
      expect(await files(path.join(from, '.seedance', 'thumbs'))).toEqual(['a.jpg', 'b.jpg', 'c.jpg'])
      expect(await files(to)).toEqual(['.seedance'])
      expect(await files(path.join(to, '.seedance', 'meta'))).toEqual([])
      expect(await unfinishedMove(from, state)).toBeNull()
      const reopened = await Library.open(from, { rescan: true })
      expect(reopened.size).toBe(4)
    })
  }

  it('refuses, before touching anything, a disk without room for the copy', async () => {
    const { entries } = await library()
    const huge = entries.map((e) => (e.expired ? e : { ...e, sizeBytes: 2 ** 52 }))
    const error = await moveLibrary({ from, to, entries: huge, copy: true, stateDir: state }).catch((e: unknown) => e)
    expect((error as RelocateError).code).toBe('NOT_ENOUGH_SPACE')
    expect((error as RelocateError).message).toMatch(/free; the library needs .* there/)
    expect(await files(from)).toEqual(['.seedance', 'clip a.mp4', 'clip b.mp4', 'clip c.mp4'])
    await expect(stat(to)).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('finishes a move cut short: what was placed is not placed twice', async () => {
    const { entries } = await library()
    // As a killed run leaves it: the marker written, the first video and its metadata already moved.
    await mkdir(path.join(to, '.seedance', 'meta'), { recursive: true })
    await writeMoveMarker(from, to, state)
    await copyFile(path.join(from, 'clip a.mp4'), path.join(to, 'clip a.mp4'))
    await rm(path.join(from, 'clip a.mp4'))
    await writeFile(path.join(to, '.seedance', 'meta', 'a.json'), JSON.stringify(entries[0]))
    expect(await unfinishedMove(from, state)).toBe(to)
    const result = await moveLibrary({ from, to, entries, stateDir: state })
    expect(result.renamed).toBe(0)
    expect(await files(to)).toEqual(['.seedance', 'clip a.mp4', 'clip b.mp4', 'clip c.mp4'])
    await expect(stat(from)).rejects.toMatchObject({ code: 'ENOENT' })
  })
})

describe('the move marker (issue 9, point 5)', () => {
  it('is honoured only when the data folder vouches for it: same token, same source and destination', async () => {
    await library()
    const marker = path.join(from, '.seedance', 'moving.json')
    // Crafted: a marker naming any folder, with no record in the data folder.
    await writeFile(marker, JSON.stringify({ to }))
    expect(await unfinishedMove(from, state)).toBeNull()
    // Crafted with a token, but not this app's.
    await writeFile(marker, JSON.stringify({ to, token: 'f'.repeat(32) }))
    expect(await unfinishedMove(from, state)).toBeNull()
    // Written by the app: honoured. The library's copy alone cannot point it elsewhere.
    await writeMoveMarker(from, to, state)
    expect(await unfinishedMove(from, state)).toBe(to)
    const real = JSON.parse(await readFile(marker, 'utf8'))
    await writeFile(marker, JSON.stringify({ ...real, to: path.join(root, 'elsewhere') }))
    expect(await unfinishedMove(from, state)).toBeNull()
    // A library folder copied elsewhere (with its marker) is not moved from there either.
    const copy = path.join(root, 'copy of library')
    await mkdir(path.join(copy, '.seedance'), { recursive: true })
    await writeFile(path.join(copy, '.seedance', 'moving.json'), JSON.stringify(real))
    expect(await unfinishedMove(copy, state)).toBeNull()
  })

  it.each(['\\\\server\\share\\videos', '//server/share/videos', '\\\\?\\UNC\\server\\share'])(
    'never honours a network destination (%s), even with a matching token',
    async (unc) => {
      await library()
      await writeMoveMarker(from, unc, state)
      expect(isNetworkPath(unc)).toBe(true)
      expect(await unfinishedMove(from, state)).toBeNull()
    },
  )

  it('a missing video’s details move with the library instead of staying behind', async () => {
    const { entries } = await library()
    await rm(path.join(from, 'clip b.mp4'))
    const result = await moveLibrary({ from, to, entries, stateDir: state })
    expect(result.moved).toBe(2)
    expect(await files(path.join(to, '.seedance', 'meta'))).toEqual(['a.json', 'b.json', 'c.json', 'gone.json'])
    const b = JSON.parse(await readFile(path.join(to, '.seedance', 'meta', 'b.json'), 'utf8'))
    expect(b).not.toHaveProperty('missing')
    expect((await Library.open(to, { rescan: true })).get('b')?.missing).toBe(true)
  })

  it('a crafted destination library cannot make the move write outside it', async () => {
    const { entries } = await library()
    await mkdir(path.join(to, '.seedance', 'meta'), { recursive: true })
    await writeFile(path.join(root, 'escaped.mp4'), 'already there')
    // Its metadata claims video a already sits at ../../escaped.mp4.
    await writeFile(
      path.join(to, '.seedance', 'meta', 'a.json'),
      JSON.stringify({ ...entries[0], file: '../../escaped.mp4' }),
    )
    await moveLibrary({ from, to, entries, stateDir: state })
    expect(await readFile(path.join(root, 'escaped.mp4'), 'utf8')).toBe('already there')
    expect(await files(to)).toEqual(['.seedance', 'clip a.mp4', 'clip b.mp4', 'clip c.mp4'])
  })
})
