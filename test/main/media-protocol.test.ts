import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMediaHandler } from '../../electron/main/media-protocol'
import { mediaUrl } from '../../electron/shared/media'

let dir: string
let handler: (r: Request) => Promise<Response>
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'media-'))
  await mkdir(path.join(dir, '.seedance', 'thumbs'), { recursive: true })
  await mkdir(path.join(dir, '.seedance', 'meta'), { recursive: true })
  await writeFile(path.join(dir, '2026-11-27 lake abc123.mp4'), Buffer.alloc(1000, 7))
  await writeFile(path.join(dir, '.seedance', 'thumbs', 'j1.jpg'), 'jpeg')
  await writeFile(path.join(dir, '.seedance', 'meta', 'j1.json'), '{"secret":true}')
  await writeFile(path.join(os.tmpdir(), 'outside.mp4'), 'outside')
  handler = createMediaHandler(() => ({ library: dir, thumbs: path.join(dir, '.seedance', 'thumbs') }))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('media: protocol', () => {
  it('serves a library video with Range support, for seeking', async () => {
    const res = await handler(
      new Request(mediaUrl('library', '2026-11-27 lake abc123.mp4'), { headers: { range: 'bytes=10-19' } }),
    )
    expect(res.status).toBe(206)
    expect(res.headers.get('content-type')).toBe('video/mp4')
    expect((await res.arrayBuffer()).byteLength).toBe(10)
  })

  it('serves thumbnails', async () => {
    const res = await handler(new Request(mediaUrl('thumbs', 'j1.jpg')))
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('jpeg')
  })

  it('answers the same paths over http, as the browser harness serves them', async () => {
    const res = await handler(
      new Request(`http://127.0.0.1:1/__media/library/${encodeURIComponent('2026-11-27 lake abc123.mp4')}`),
    )
    expect(res.status).toBe(200)
  })

  it.each([
    'media://library/..%2Foutside.mp4',
    'media://library/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
    'media://library/.seedance%2Fmeta%2Fj1.json',
    'media://library/notes.txt',
    'media://thumbs/..%2Fmeta%2Fj1.json',
    'media://elsewhere/2026-11-27%20lake%20abc123.mp4',
    'media://library/%E0%A4%A',
  ])('refuses %s', async (url) => {
    const res = await handler(new Request(url))
    expect(res.status).toBe(404)
  })
})
