// What a download is allowed to be: a thumbnail must be an image sharp can read, and a video's download cap
// follows the size the service declared (issue 9, point 9).
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  checkThumbnail,
  MAX_THUMBNAIL_OUTPUT_SIDE,
  storeThumbnailAsJpeg,
  videoByteCap,
} from '../../../electron/core/jobs/save-video'
import { MAX_DOWNLOAD_BYTES } from '../../../electron/core/library/downloader'
import { picture } from '../../fixtures/images'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'save-video-'))
})
afterAll(() => rm(dir, { recursive: true, force: true }))

async function file(name: string, data: Uint8Array | string): Promise<string> {
  const f = path.join(dir, name)
  await writeFile(f, data)
  return f
}

describe('checkThumbnail', () => {
  it('accepts a JPEG, PNG or WebP still', async () => {
    for (const format of ['jpeg', 'png', 'webp'] as const)
      await expect(checkThumbnail(await file(`t.${format}`, await picture(320, 180, format)))).resolves.toBeUndefined()
  })

  it.each([
    ['an HTML error page', '<html>403 Forbidden</html>', /not an image/],
    ['empty', '', /not an image/],
  ])('refuses %s, naming the formats it accepts', async (_name, data, message) => {
    const error = await checkThumbnail(await file('bad.jpg', data)).catch((e: unknown) => e)
    expect((error as Error).message).toMatch(message)
    expect((error as Error).message).toContain('jpeg, png, webp')
  })

  it('refuses an image of a size no thumbnail has', async () => {
    const huge = await file('huge.png', await picture(9000, 10, 'png'))
    await expect(checkThumbnail(huge)).rejects.toThrow(/9000×10/)
  })
})

describe('storeThumbnailAsJpeg', () => {
  // The library keeps thumbnails as <id>.jpg: the bytes must be what the name says, whatever the service sent.
  it.each(['png', 'webp', 'jpeg'] as const)('turns a %s thumbnail into a JPEG in place', async (format) => {
    const f = await file(`in-${format}.jpg.part`, await picture(320, 180, format))
    await storeThumbnailAsJpeg(f)
    expect(await sharp(f).metadata()).toMatchObject({ format: 'jpeg', width: 320, height: 180 })
  })

  it('bounds the stored size, keeping the aspect ratio', async () => {
    const f = await file('big.jpg.part', await picture(4000, 2000, 'png'))
    await storeThumbnailAsJpeg(f)
    expect(await sharp(f).metadata()).toMatchObject({
      format: 'jpeg',
      width: MAX_THUMBNAIL_OUTPUT_SIDE,
      height: MAX_THUMBNAIL_OUTPUT_SIDE / 2,
    })
  })

  it('still refuses what is not an image, and leaves it for the caller to drop', async () => {
    const f = await file('page.jpg.part', '<html>403</html>')
    await expect(storeThumbnailAsJpeg(f)).rejects.toThrow(/not an image/)
  })
})

describe('videoByteCap', () => {
  it('allows the declared size plus the rounding of file_size_mb, and never more than 2 GB', () => {
    const declared = Math.round(24.5 * 1024 * 1024)
    expect(videoByteCap(declared)).toBeGreaterThan(Math.round(24.505 * 1024 * 1024))
    expect(videoByteCap(declared)).toBeLessThan(declared * 1.2)
    expect(videoByteCap(null)).toBe(MAX_DOWNLOAD_BYTES)
    expect(videoByteCap(0)).toBe(MAX_DOWNLOAD_BYTES)
    expect(videoByteCap(5 * 1024 ** 3)).toBe(MAX_DOWNLOAD_BYTES)
  })
})
