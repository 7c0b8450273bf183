// library:image-by-hash (issue 11): a kept source image found by its content hash, and nothing else.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { keptImage } from '../../../electron/core/library/kept-image'
import { entry } from '../../fixtures/records'

const sha = 'c'.repeat(64)
let root: string
let images: string
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'kept-image-'))
  images = path.join(root, 'images')
  await mkdir(images)
  await writeFile(path.join(images, `${sha}.png`), 'png bytes')
  await writeFile(path.join(root, 'secret.txt'), 'not an image')
})
afterAll(() => rm(root, { recursive: true, force: true }))

describe('keptImage', () => {
  it('finds the image by its hash, named as a video that used it named it', async () => {
    const used = entry({ lastImage: { sha256: sha, name: 'the end.png' } })
    const found = await keptImage(images, sha, [entry(), used])
    expect(found?.name).toBe('the end.png')
    expect(Buffer.from(found?.data ?? []).toString()).toBe('png bytes')
    expect((await keptImage(images, sha))?.name).toBe(`${sha}.png`)
  })

  it('is null for a hash it does not keep, and for anything that is not a hash', async () => {
    expect(await keptImage(images, 'd'.repeat(64))).toBeNull()
    for (const bad of ['', '../secret.txt', '..', `${'c'.repeat(63)}/`, 'C'.repeat(64)])
      expect(await keptImage(images, bad)).toBeNull()
    expect(await keptImage(path.join(root, 'nowhere'), sha)).toBeNull()
  })
})
