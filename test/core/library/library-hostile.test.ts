// A library folder is shared, synced and unzipped: its .seedance folder is input, written by whoever made the
// folder. These tests craft hostile folders beside a canary file outside the library and check that nothing
// the library does (open, rescan, remove, favourite, serving media) touches, reads or writes outside it.
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { Library } from '../../../electron/core/library/library'
import { createMediaHandler } from '../../../electron/main/media-protocol'
import { mediaUrl } from '../../../electron/shared/media'
import { renderClip } from '../../fixtures/clip'
import { entry } from '../../fixtures/records'

let clip: Buffer
beforeAll(async () => {
  clip = await renderClip()
}, 60_000)

let root: string
let lib: string
let meta: string
let thumbs: string
beforeEach(async () => {
  // root/canary.*  (outside)      root/library/.seedance/{meta,thumbs}  (the crafted library)
  root = await mkdtemp(path.join(os.tmpdir(), 'hostile-'))
  lib = path.join(root, 'library')
  meta = path.join(lib, '.seedance', 'meta')
  thumbs = path.join(lib, '.seedance', 'thumbs')
  await mkdir(meta, { recursive: true })
  await mkdir(thumbs, { recursive: true })
  for (const name of ['canary.json', 'canary.jpg', 'canary.mp4', 'canary.txt'])
    await writeFile(path.join(root, name), 'keep me')
})
afterEach(() => rm(root, { recursive: true, force: true, maxRetries: 5 })) // a debounced index write may still land

async function outside(): Promise<string[]> {
  return (await readdir(root)).filter((n) => n !== 'library').sort()
}
const CANARIES = ['canary.jpg', 'canary.json', 'canary.mp4', 'canary.txt']

async function craft(name: string, over: Record<string, unknown>): Promise<void> {
  await writeFile(path.join(meta, name), JSON.stringify({ ...entry(), ...over }))
}

describe('a crafted library folder touches nothing outside it', () => {
  it('a rescan does not delete a thumbnail named ../../../canary.jpg (video missing)', async () => {
    await craft('v1.json', { id: 'v1', file: 'gone.mp4', thumbnail: '../../../canary.jpg' })
    const library = await Library.open(lib, { rescan: true })
    await library.rescan()
    expect(await outside()).toEqual(CANARIES)
  })

  it('remove() does not delete files named by a hostile id, file or thumbnail', async () => {
    await writeFile(path.join(lib, 'ok.mp4'), clip)
    await craft('v1.json', { id: 'v1', file: '../canary.mp4', thumbnail: '../../../canary.txt' })
    await craft('v2.json', { id: '../../../canary', file: 'ok.mp4' })
    const trashed: string[] = []
    const library = await Library.open(lib, {
      rescan: true,
      trash: async (f) => {
        trashed.push(f)
        await rm(f, { force: true })
      },
    })
    const ids = library.all().map((e) => e.id)
    await library.remove(ids.length ? ids : ['v1', '../../../canary']).catch(() => undefined)
    expect(await outside()).toEqual(CANARIES)
    for (const f of trashed) expect(path.relative(lib, f).startsWith('..')).toBe(false)
  })

  it('setFavorite() cannot write a .json outside the library through a hostile id', async () => {
    await writeFile(path.join(lib, 'ok.mp4'), clip)
    await craft('x.json', { id: '../../../escaped', file: 'ok.mp4' })
    const library = await Library.open(lib, { rescan: true })
    await library.setFavorite('../../../escaped', true).catch(() => undefined)
    await expect(stat(path.join(root, 'escaped.json'))).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('a metadata file that does not match the schema is skipped and reported, not trusted', async () => {
    await writeFile(path.join(lib, 'ok.mp4'), clip)
    await craft('bad.json', { id: 'bad', file: 'ok.mp4', duration: 'forever' })
    await writeFile(path.join(meta, 'worse.json'), '{"id": "worse"')
    const warnings: string[] = []
    const logger = {
      info: () => undefined,
      warn: (m: string, f?: Record<string, unknown>) => void warnings.push(`${m} ${JSON.stringify(f)}`),
      error: () => undefined,
      addSecret: () => undefined,
    }
    const library = await Library.open(lib, { rescan: true, logger })
    expect(library.get('bad')).toBeUndefined()
    expect(warnings.join('\n')).toMatch(/bad\.json/)
    expect(warnings.join('\n')).toMatch(/worse\.json/)
    // The video itself is still shown (as found in the folder), and the rejected metadata is left as it was.
    expect(library.all().map((e) => e.file)).toEqual(['ok.mp4'])
    expect(JSON.parse(await readFile(path.join(meta, 'bad.json'), 'utf8')).duration).toBe('forever')
  })

  it('a metadata file whose id is not its own file name is skipped (it could make remove() delete another)', async () => {
    await writeFile(path.join(lib, 'ok.mp4'), clip)
    await craft('a.json', { id: 'b', file: 'ok.mp4' })
    const library = await Library.open(lib, { rescan: true })
    expect(library.get('b')).toBeUndefined()
  })

  it('a hostile index cache is not trusted either', async () => {
    await writeFile(path.join(lib, 'ok.mp4'), clip)
    const library = await Library.open(lib)
    await library.flush()
    const index = path.join(lib, '.seedance', 'index.json')
    const cache = JSON.parse(await readFile(index, 'utf8'))
    // Whatever the format, put a row with a hostile id and thumbnail in it.
    const text = JSON.stringify(cache).replace(/"ext-[^"]+"/g, '"../../../canary"')
    await writeFile(index, text)
    const reopened = await Library.open(lib)
    await reopened.remove(reopened.all().map((e) => e.id)).catch(() => undefined)
    await reopened.setFavorite('../../../canary', true).catch(() => undefined)
    expect(await outside()).toEqual(CANARIES)
  })

  for (const folder of ['.seedance', '.seedance/meta', '.seedance/thumbs'] as const) {
    it(`refuses a library whose ${folder} is a symlink to another folder`, async () => {
      const elsewhere = path.join(root, 'elsewhere')
      await mkdir(path.join(elsewhere, 'meta'), { recursive: true })
      await mkdir(path.join(elsewhere, 'thumbs'), { recursive: true })
      const target = folder === '.seedance' ? elsewhere : path.join(elsewhere, path.basename(folder))
      await rm(path.join(lib, folder), { recursive: true })
      await symlink(target, path.join(lib, folder), 'dir')
      await expect(Library.open(lib)).rejects.toMatchObject({ code: 'UNSAFE_LIBRARY_FOLDER' })
      expect(await readdir(path.join(elsewhere, 'meta'))).toEqual([])
    })
  }
})

describe('media: never serves files from outside the library', () => {
  it('a symlinked .seedance/thumbs does not serve the folder it points to', async () => {
    const secret = path.join(root, 'secret')
    await mkdir(secret)
    await writeFile(path.join(secret, 'id_rsa.jpg'), 'private key')
    await rm(thumbs, { recursive: true })
    await symlink(secret, thumbs, 'dir')
    const handler = createMediaHandler(() => ({ library: lib, thumbs }))
    const res = await handler(new Request(mediaUrl('thumbs', 'id_rsa.jpg')))
    expect(res.status).toBe(404)
  })

  it('a symlinked .seedance does not serve the folder it points to', async () => {
    const secret = path.join(root, 'secret')
    await mkdir(path.join(secret, 'thumbs'), { recursive: true })
    await writeFile(path.join(secret, 'thumbs', 'x.jpg'), 'private')
    await rm(path.join(lib, '.seedance'), { recursive: true })
    await symlink(secret, path.join(lib, '.seedance'), 'dir')
    const handler = createMediaHandler(() => ({ library: lib, thumbs }))
    expect((await handler(new Request(mediaUrl('thumbs', 'x.jpg')))).status).toBe(404)
  })

  it('a thumbnail that is a symlink out of the library is not served', async () => {
    await symlink(path.join(root, 'canary.jpg'), path.join(thumbs, 'link.jpg'))
    const handler = createMediaHandler(() => ({ library: lib, thumbs }))
    expect((await handler(new Request(mediaUrl('thumbs', 'link.jpg')))).status).toBe(404)
  })
})

describe('two entries that show the same video file', () => {
  it('removing one leaves the file for the other', async () => {
    await writeFile(path.join(lib, 'shared.mp4'), clip)
    await craft('one.json', { id: 'one', file: 'shared.mp4' })
    await craft('two.json', { id: 'two', file: 'shared.mp4' })
    const trashed: string[] = []
    const library = await Library.open(lib, { rescan: true, trash: async (f) => void trashed.push(f) })
    await library.remove(['one'])
    expect(trashed).toEqual([])
    await library.remove(['two'])
    expect(trashed).toEqual([path.join(lib, 'shared.mp4')])
  })
})

describe('what the app itself records always passes the schema', () => {
  it('keeps a video whose generation time came out negative (the service clock ahead of ours)', async () => {
    await writeFile(path.join(lib, 'v.mp4'), clip)
    const library = await Library.open(lib)
    await library.add(entry({ id: 'v', file: 'v.mp4', generationMs: -1200, remoteId: 'r'.repeat(300) }))
    expect((await Library.open(lib, { rescan: true })).get('v')?.generationMs).toBe(-1200)
  })
})
