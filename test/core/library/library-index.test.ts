// Issue 9, point 14: the library opens from the index cache it writes itself (one format), and notices what
// changed outside the app from a listing of the folder, without reading every metadata file.
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { Library } from '../../../electron/core/library/library'
import type { LibraryEntry } from '../../../electron/shared/model'
import { renderClip } from '../../fixtures/clip'
import { entry as record } from '../../fixtures/records'

let clip: string
let scratch: string
beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'index-clip-'))
  clip = path.join(scratch, 'clip.mp4')
  await writeFile(clip, await renderClip())
}, 60_000)
afterAll(() => rm(scratch, { recursive: true, force: true }))

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'library-index-'))
})
afterEach(() => rm(dir, { recursive: true, force: true, maxRetries: 5 })) // a debounced index write may still land

const entry = (id: string, over: Partial<LibraryEntry> = {}) =>
  record({ id, file: `${id}.mp4`, title: `Title ${id}`, fingerprint: `fp-${id}`, ...over })
const metaFile = (id: string) => path.join(dir, '.seedance', 'meta', `${id}.json`)

async function written(ids: string[]): Promise<Library> {
  const lib = await Library.open(dir)
  for (const id of ids) {
    await copyFile(clip, path.join(dir, `${id}.mp4`))
    await lib.add(entry(id))
  }
  await lib.flush()
  return lib
}

describe('the index cache', () => {
  it('is what the next open reads: metadata files are not read again', async () => {
    await written(['a', 'b'])
    // A metadata file the open would have to read shows whether it did: the cache's title wins.
    const a = JSON.parse(await readFile(metaFile('a'), 'utf8'))
    await writeFile(metaFile('a'), JSON.stringify({ ...a, title: 'read from the metadata file' }))
    const reopened = await Library.open(dir)
    expect(reopened.get('a')?.title).toBe('Title a')
    // A rescan reads the folder again.
    await reopened.rescan()
    expect(reopened.get('a')?.title).toBe('read from the metadata file')
  })

  it('opening notices what changed outside the app: videos and metadata added or removed', async () => {
    await written(['a', 'b', 'c'])
    await copyFile(clip, path.join(dir, 'dropped in.mp4')) // a video copied in by hand
    await rm(path.join(dir, 'b.mp4')) // a video deleted by hand (kept as missing)
    await rm(metaFile('c')) // metadata deleted by hand: the folder is the source of truth
    // Metadata synced in from another machine, with its video.
    await copyFile(clip, path.join(dir, 'd.mp4'))
    await writeFile(metaFile('d'), JSON.stringify(entry('d', { favorite: true })))
    const lib = await Library.open(dir)
    const byFile = Object.fromEntries(lib.all().map((e) => [e.file, e]))
    expect(Object.keys(byFile).sort()).toEqual(['a.mp4', 'b.mp4', 'c.mp4', 'd.mp4', 'dropped in.mp4'])
    expect(byFile['b.mp4']?.missing).toBe(true)
    expect(byFile['c.mp4']).toMatchObject({ external: true, id: expect.stringMatching(/^ext-/) })
    expect(byFile['d.mp4']).toMatchObject({ id: 'd', favorite: true, missing: false })
    expect(byFile['dropped in.mp4']).toMatchObject({ external: true, title: 'dropped in' })
    // What it found is cached again: the next open needs no probe of the new files.
    await lib.flush()
    const cache = JSON.parse(await readFile(path.join(dir, '.seedance', 'index.json'), 'utf8'))
    expect(cache.count).toBe(5)
  })

  it('adopts only videos with plain names: a hidden or colon name would be refused at every open (churn)', async () => {
    await written(['a'])
    await copyFile(clip, path.join(dir, '.hidden.mp4'))
    if (process.platform !== 'win32') await copyFile(clip, path.join(dir, 'clip:stream.mp4'))
    const warnings: string[] = []
    const logger = {
      info: () => {},
      warn: (m: string, f?: Record<string, unknown>) => warnings.push(`${m} ${JSON.stringify(f)}`),
      error: () => {},
      addSecret: () => {},
    }
    for (let open = 0; open < 2; open++) {
      const lib = await Library.open(dir, { logger })
      expect(lib.all().map((e) => e.file)).toEqual(['a.mp4'])
    }
    // They are not the library's: never probed, never called unplayable, no metadata written for them.
    expect(warnings).toEqual([])
    expect(await readdir(path.join(dir, '.seedance', 'meta'))).toEqual(['a.json'])
  })

  it('from the cache, two videos showing one file are both present, and an expired one keeps its planned name', async () => {
    const lib = await written(['a'])
    await lib.add(entry('b', { file: 'a.mp4' })) // the same file as a (a copy kept by the user, say)
    await lib.add(entry('c', { file: 'c.mp4', expired: true })) // its link expired before it was saved
    await lib.flush()
    await copyFile(clip, path.join(dir, 'c.mp4')) // a file with the expired video's planned name appears
    const reopened = await Library.open(dir)
    expect(reopened.all().map((e) => [e.id, e.file, e.missing])).toEqual([
      ['a', 'a.mp4', false],
      ['b', 'a.mp4', false],
      ['c', 'c.mp4', false],
    ])
    // Gone, a.mp4 leaves both missing; c.mp4 is not taken in as a video of its own (external).
    await rm(path.join(dir, 'a.mp4'))
    const again = await Library.open(dir)
    expect(again.all().map((e) => [e.id, e.missing, e.external])).toEqual([
      ['a', true, false],
      ['b', true, false],
      ['c', false, false],
    ])
  })

  it('a cache of another version or a damaged one is rebuilt from the folder', async () => {
    await written(['a'])
    await writeFile(path.join(dir, '.seedance', 'index.json'), '{"version": 2, "entries": [')
    expect((await Library.open(dir)).get('a')?.title).toBe('Title a')
    await writeFile(path.join(dir, '.seedance', 'index.json'), JSON.stringify({ version: 2, entries: [] }))
    expect((await Library.open(dir)).get('a')?.title).toBe('Title a')
    // The row format before the columnar one (version 3), holding an empty library: not read, rebuilt.
    await writeFile(path.join(dir, '.seedance', 'index.json'), JSON.stringify({ version: 3, fields: ['id'], rows: [] }))
    expect((await Library.open(dir)).get('a')?.title).toBe('Title a')
  })
})

describe('the index cache after a crash', () => {
  it('is never stale: a change made but not yet flushed (the app killed) is seen at the next open', async () => {
    const lib = await written(['a', 'b'])
    await lib.setFavorite('a', true)
    await lib.remove(['b'])
    // Killed here: no flush. The next open must not show the cache from before these changes.
    const reopened = await Library.open(dir)
    expect(reopened.get('a')?.favorite).toBe(true)
    expect(reopened.get('b')).toBeUndefined()
  })
})
