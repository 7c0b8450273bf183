// Issue 9, point 3: a video whose file the library cannot see (a drive not mounted yet, a synced folder still
// downloading) keeps its metadata, thumbnail and favourite; it is shown as missing, can be located or removed, and
// becomes normal again when its file comes back.
import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { Library } from '../../../electron/core/library/library'
import { copyInto } from '../../../electron/core/library/library-folders'
import type { LibraryEntry } from '../../../electron/shared/model'
import { renderClip } from '../../fixtures/clip'
import { entry as record } from '../../fixtures/records'

let clip: string
let scratch: string
beforeAll(async () => {
  scratch = await mkdtemp(path.join(os.tmpdir(), 'missing-clip-'))
  clip = path.join(scratch, 'clip.mp4')
  await writeFile(clip, await renderClip())
}, 60_000)
afterAll(() => rm(scratch, { recursive: true, force: true }))

let root: string
let dir: string
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'missing-'))
  dir = path.join(root, 'library')
  await mkdir(dir)
})
afterEach(() => rm(root, { recursive: true, force: true, maxRetries: 5 })) // a debounced index write may still land

function entry(id: string, over: Partial<LibraryEntry> = {}): LibraryEntry {
  return record({
    id,
    file: `${id}.mp4`,
    title: `Title ${id}`,
    fingerprint: `fp-${id}`,
    thumbnail: `${id}.jpg`,
    ...over,
  })
}

/** A library with videos a and b (thumbnails, b a favourite), flushed. */
async function twoVideos(): Promise<Library> {
  const lib = await Library.open(dir)
  for (const e of [entry('a'), entry('b', { favorite: true, prompt: 'the prompt that cost credits' })]) {
    await copyFile(clip, path.join(dir, e.file))
    await writeFile(path.join(lib.thumbsDir, `${e.id}.jpg`), `thumb ${e.id}`)
    await lib.add(e)
  }
  await lib.flush()
  return lib
}

const metaOf = async (id: string) =>
  JSON.parse(await readFile(path.join(dir, '.seedance', 'meta', `${id}.json`), 'utf8')) as LibraryEntry

describe('a video whose file is not there', () => {
  it('keeps its metadata and thumbnail through a rescan, shown as missing', async () => {
    const lib = await twoVideos()
    // The synced folder has the metadata but not the video yet.
    await rename(path.join(dir, 'b.mp4'), path.join(root, 'b.mp4'))
    expect(await lib.rescan()).toMatchObject({ missing: 1, removed: 0 })
    expect(lib.get('b')).toMatchObject({ missing: true, favorite: true, prompt: 'the prompt that cost credits' })
    expect(await metaOf('b')).toMatchObject({ favorite: true, prompt: 'the prompt that cost credits' })
    expect(await readdir(lib.thumbsDir)).toEqual(['a.jpg', 'b.jpg'])
    // "missing" is worked out, never written into the metadata.
    expect(await metaOf('b')).not.toHaveProperty('missing')
    // Not offered as "already made": there is nothing to play.
    expect(lib.findByFingerprint('fp-b')).toBeUndefined()
  })

  it('is missing when the library opens from its cache, and normal again once the file is back', async () => {
    await twoVideos()
    await rename(path.join(dir, 'b.mp4'), path.join(root, 'b.mp4'))
    const reopened = await Library.open(dir)
    expect(reopened.get('b')?.missing).toBe(true)
    expect(reopened.get('a')?.missing).toBe(false)
    await reopened.flush()
    await rename(path.join(root, 'b.mp4'), path.join(dir, 'b.mp4'))
    const again = await Library.open(dir)
    expect(again.get('b')).toMatchObject({ missing: false, favorite: true })
    expect(again.findByFingerprint('fp-b')?.id).toBe('b')
    await rename(path.join(dir, 'b.mp4'), path.join(root, 'b.mp4'))
    await again.rescan()
    await rename(path.join(root, 'b.mp4'), path.join(dir, 'b.mp4'))
    await again.rescan()
    expect(again.get('b')?.missing).toBe(false)
  })

  it('a whole library on a drive not mounted loses nothing', async () => {
    await twoVideos()
    for (const id of ['a', 'b']) await rm(path.join(dir, `${id}.mp4`))
    const lib = await Library.open(dir, { rescan: true })
    expect(lib.all().map((e) => [e.id, e.missing])).toEqual(
      expect.arrayContaining([
        ['a', true],
        ['b', true],
      ]),
    )
    expect((await readdir(path.join(dir, '.seedance', 'meta'))).sort()).toEqual(['a.json', 'b.json'])
  })

  it('Locate… copies a picked MP4 into the library under the video’s name, leaving the original alone', async () => {
    const lib = await twoVideos()
    await rename(path.join(dir, 'b.mp4'), path.join(root, 'found it.mp4'))
    const original = await readFile(path.join(root, 'found it.mp4'))
    await lib.rescan()
    const { entry: located, how } = await lib.locate('b', path.join(root, 'found it.mp4'))
    expect(how).toBe('copied')
    expect(located).toMatchObject({ id: 'b', file: 'b.mp4', missing: false, favorite: true })
    expect((await readdir(dir)).filter((n) => n.endsWith('.mp4')).sort()).toEqual(['a.mp4', 'b.mp4'])
    // The picked file is outside the library: it is not touched (no move out of the user's own folder).
    expect((await readdir(root)).sort()).toEqual(['found it.mp4', 'library'])
    expect(await readFile(path.join(root, 'found it.mp4'))).toEqual(original)
    expect(await readFile(path.join(dir, 'b.mp4'))).toEqual(original)
    expect((await readdir(dir)).filter((n) => n.endsWith('.part'))).toEqual([])
    const reopened = await Library.open(dir, { rescan: true })
    expect(reopened.get('b')?.missing).toBe(false)
  })

  it('Locate… adopts a file already in the library folder (found there by a rescan under another name)', async () => {
    const lib = await twoVideos()
    await rename(path.join(dir, 'b.mp4'), path.join(dir, 'renamed by hand.mp4'))
    await lib.rescan()
    expect(lib.size).toBe(3) // a, b (missing), and the renamed file as a video found in the folder
    const { how } = await lib.locate('b', path.join(dir, 'renamed by hand.mp4'))
    expect(how).toBe('adopted')
    expect(lib.size).toBe(2)
    expect(lib.get('b')).toMatchObject({ file: 'renamed by hand.mp4', missing: false, favorite: true })
    expect((await readdir(path.join(dir, '.seedance', 'meta'))).sort()).toEqual(['a.json', 'b.json'])
  })

  it('Locate… refuses a file that is not an MP4, another video’s file, and a video that is not missing', async () => {
    const lib = await twoVideos()
    await rm(path.join(dir, 'b.mp4'))
    await lib.rescan()
    await writeFile(path.join(root, 'notes.mp4'), 'just text')
    await expect(lib.locate('b', path.join(root, 'notes.mp4'))).rejects.toMatchObject({
      code: 'INVALID_VIDEO',
      message: expect.stringMatching(/notes\.mp4 is not a playable MP4/),
    })
    expect(await readFile(path.join(root, 'notes.mp4'), 'utf8')).toBe('just text')
    await expect(lib.locate('b', path.join(dir, 'a.mp4'))).rejects.toMatchObject({ code: 'FILE_IN_USE' })
    await expect(lib.locate('a', clip)).rejects.toMatchObject({ code: 'VIDEO_NOT_MISSING' })
    expect(lib.get('b')?.missing).toBe(true)
  })

  it('Remove deletes its metadata and thumbnail (no file to trash)', async () => {
    const trashed: string[] = []
    await twoVideos()
    await rm(path.join(dir, 'b.mp4'))
    const lib = await Library.open(dir, { trash: async (f) => void trashed.push(f) })
    expect(await lib.remove(['b'])).toBe(1)
    expect(trashed).toEqual([])
    expect(await readdir(path.join(dir, '.seedance', 'meta'))).toEqual(['a.json'])
    expect(await readdir(lib.thumbsDir)).toEqual(['a.jpg'])
  })
})

describe('copyInto', () => {
  it('never replaces a file that appeared under the chosen name meanwhile: it takes the next free name', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'copy-into-'))
    try {
      await writeFile(path.join(folder, 'clip.mp4'), 'someone else’s video')
      await writeFile(path.join(root, 'picked.mp4'), 'the picked video')
      // The caller saw no clip.mp4 when it chose the name (taken says free): it appeared just after.
      const name = await copyInto(folder, path.join(root, 'picked.mp4'), 'clip.mp4', () => false)
      expect(name).toBe('clip 2.mp4')
      expect(await readFile(path.join(folder, 'clip.mp4'), 'utf8')).toBe('someone else’s video')
      expect(await readFile(path.join(folder, 'clip 2.mp4'), 'utf8')).toBe('the picked video')
      expect(await readFile(path.join(root, 'picked.mp4'), 'utf8')).toBe('the picked video')
      expect((await readdir(folder)).sort()).toEqual(['clip 2.mp4', 'clip.mp4'])
      // Names the caller reserves (another entry's file) are skipped too.
      expect(await copyInto(folder, path.join(root, 'picked.mp4'), 'clip.mp4', (n) => n === 'clip 3.mp4')).toBe(
        'clip 4.mp4',
      )
    } finally {
      await rm(folder, { recursive: true, force: true })
    }
  })
})
