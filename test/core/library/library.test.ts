import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
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
  scratch = await mkdtemp(path.join(os.tmpdir(), 'lib-clip-'))
  clip = path.join(scratch, 'clip.mp4')
  await writeFile(clip, await renderClip())
}, 60_000)
afterAll(() => rm(scratch, { recursive: true, force: true }))

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'library-'))
})
afterEach(() => rm(dir, { recursive: true, force: true, maxRetries: 5 })) // a debounced index write may still land

/** A record of the shared fixture with an id-derived file name, title, prompt and fingerprint. */
function entry(id: string, over: Partial<LibraryEntry> = {}): LibraryEntry {
  return record({
    id,
    file: `${id}.mp4`,
    title: `Title ${id}`,
    prompt: `prompt for ${id}`,
    sizeBytes: 1000,
    createdAt: 1_000,
    fingerprint: `fp-${id}`,
    jobId: id,
    remoteId: `job_${id}`,
    ...over,
  })
}

async function withVideos(lib: Library, entries: LibraryEntry[]) {
  for (const e of entries) {
    await copyFile(clip, path.join(dir, e.file))
    await lib.add(e)
  }
}

describe('Library', () => {
  it('searches prompt words, filters, sorts and pages', async () => {
    const lib = await Library.open(dir)
    await withVideos(lib, [
      entry('a', { prompt: 'Sunset over the OCEAN', createdAt: 3, resolution: '1080p', favorite: true }),
      entry('b', { prompt: 'ocean waves at night', createdAt: 2, mode: 'image', aspectRatio: '9:16' }),
      entry('c', { prompt: 'forest in fog', createdAt: 1, duration: 8 }),
    ])
    const ids = (q: Parameters<Library['query']>[0]) => lib.query(q).items.map((e) => e.id)
    expect(ids({ search: 'ocean' })).toEqual(['a', 'b'])
    expect(ids({ search: 'oce nig' })).toEqual(['b'])
    expect(ids({ mode: 'image' })).toEqual(['b'])
    expect(ids({ resolution: '1080p' })).toEqual(['a'])
    expect(ids({ aspectRatio: '9:16' })).toEqual(['b'])
    expect(ids({ favorite: true })).toEqual(['a'])
    expect(ids({ from: 2, to: 3 })).toEqual(['a', 'b'])
    expect(ids({ sort: 'oldest' })).toEqual(['c', 'b', 'a'])
    expect(ids({ sort: 'duration' })[0]).toBe('c')
    expect(lib.query({ limit: 2, offset: 1 })).toMatchObject({ total: 3, items: [{ id: 'b' }, { id: 'c' }] })
  })

  it('favourites, renames and finds by fingerprint; changes survive a reopen (from the index or a rescan)', async () => {
    const lib = await Library.open(dir)
    await withVideos(lib, [entry('a')])
    await lib.setFavorite('a', true)
    await lib.rename('a', '  My best shot ')
    await expect(lib.rename('a', '   ')).rejects.toMatchObject({ code: 'INVALID_TITLE' })
    expect(lib.findByFingerprint('fp-a')?.id).toBe('a')
    await lib.flush()
    const again = await Library.open(dir)
    expect(again.get('a')).toMatchObject({ favorite: true, title: 'My best shot' })
    await rm(path.join(dir, '.seedance', 'index.json'))
    const rebuilt = await Library.open(dir)
    expect(rebuilt.get('a')).toMatchObject({ favorite: true, title: 'My best shot' })
  })

  it('deletes through the trash function, with metadata and thumbnail', async () => {
    const trashed: string[] = []
    const lib = await Library.open(dir, { trash: async (f) => void trashed.push(f) })
    await writeFile(path.join(lib.thumbsDir, 'a.jpg'), 'jpg')
    await withVideos(lib, [entry('a', { thumbnail: 'a.jpg' }), entry('b')])
    expect(await lib.remove(['a', 'nope'])).toBe(1)
    expect(trashed).toEqual([path.join(dir, 'a.mp4')])
    expect(lib.get('a')).toBeUndefined()
    expect(await readdir(lib.metaDir)).toEqual(['b.json'])
    expect(await readdir(lib.thumbsDir)).toEqual([])
  })

  it('rescans: picks up videos added outside the app; ones deleted outside it are kept as missing', async () => {
    const lib = await Library.open(dir)
    await withVideos(lib, [entry('a'), entry('b')])
    await rm(path.join(dir, 'b.mp4'))
    await copyFile(clip, path.join(dir, 'Holiday clip.mp4'))
    await writeFile(path.join(dir, 'broken.mp4'), 'not a video')
    const result = await lib.rescan()
    expect(result).toEqual({ added: 1, removed: 0, missing: 1 })
    const external = lib.all().find((e) => e.external)
    expect(external).toMatchObject({ title: 'Holiday clip', width: 720, height: 720, duration: 1, aspectRatio: '1:1' })
    expect(lib.get('b')).toMatchObject({ missing: true, title: 'Title b' })
    expect(lib.get('a')?.missing).toBe(false)
  })

  it('keeps metadata of an expired video without a file, and never offers it as "already made"', async () => {
    const lib = await Library.open(dir)
    await lib.add(entry('x', { expired: true }))
    expect(lib.get('x')?.expired).toBe(true)
    expect(lib.findByFingerprint('fp-x')).toBeUndefined()
    await lib.rescan()
    expect(lib.get('x')).toBeDefined()
  })
})
