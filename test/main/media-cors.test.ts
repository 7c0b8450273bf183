// The media: protocol lets the app's own page read a video's pixels (issue 11: the renderer takes a video's last
// frame on a canvas, which needs the video fetched with CORS from an origin that allows it), and no other page.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP_ORIGIN } from '../../electron/main/app-protocol'
import { createMediaHandler, MEDIA_SCHEME_PRIVILEGES } from '../../electron/main/media-protocol'
import { mediaUrl } from '../../electron/shared/media'

let dir: string
let handler: (r: Request) => Promise<Response>
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'media-cors-'))
  await mkdir(path.join(dir, '.seedance', 'thumbs'), { recursive: true })
  await writeFile(path.join(dir, 'clip.mp4'), Buffer.alloc(100, 1))
  handler = createMediaHandler(() => ({ library: dir, thumbs: path.join(dir, '.seedance', 'thumbs') }))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('media: protocol and CORS', () => {
  it('is CORS-enabled, and a library video allows the app’s origin only', async () => {
    expect(MEDIA_SCHEME_PRIVILEGES.privileges.corsEnabled).toBe(true)
    const res = await handler(new Request(mediaUrl('library', 'clip.mp4'), { headers: { origin: APP_ORIGIN } }))
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe('app://renderer')
    const ranged = await handler(new Request(mediaUrl('library', 'clip.mp4'), { headers: { range: 'bytes=0-9' } }))
    expect(ranged.status).toBe(206)
    expect(ranged.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN)
  })
})
