// The source image of an image-to-video request (issue 9, points 7 and 9): the bytes checked and hashed are the
// bytes kept, and a file over the API's 10 MB image limit is refused before it is read.
import { createHash } from 'node:crypto'
import { open, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Engine } from '../../electron/core/engine'
import { picture } from '../fixtures/images'
import { type TestDirs, testDirs } from './jobs/engine-helpers'
import { openEngineOnSandbox } from './sandbox-engine'

// Records which files are read, and swaps a file for other bytes right after it was read: a file replaced
// between the check and the copy, made deterministic.
const reads: string[] = []
const swapAfterRead = new Map<string, Uint8Array>()
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>()
  const readFile = async (...args: Parameters<typeof real.readFile>) => {
    const result = await real.readFile(...args)
    if (typeof args[0] === 'string') {
      reads.push(args[0])
      const swap = swapAfterRead.get(args[0])
      if (swap) await real.writeFile(args[0], swap)
    }
    return result
  }
  return { ...real, readFile, default: { ...real, readFile } }
})

let dirs: TestDirs
let engine: Engine
beforeAll(async () => {
  dirs = await testDirs()
  engine = await openEngineOnSandbox({ paths: dirs.paths, role: 'cli', sandbox: 'always' })
})
afterAll(async () => {
  await engine.close()
  await dirs.cleanup()
})

describe('prepare: a source image file', () => {
  it('keeps the bytes it checked, even when the file is swapped right after the read', async () => {
    const file = path.join(dirs.root, 'swapped.png')
    const good = await picture(800, 600, 'png')
    await writeFile(file, good)
    swapAfterRead.set(file, new TextEncoder().encode('not an image at all, swapped in after the check'))
    const request = await engine.prepare({ prompt: 'harbor at dusk', imagePath: file })
    const kept = await readFile(request.image?.path as string)
    expect(createHash('sha256').update(kept).digest('hex')).toBe(request.image?.sha256)
    expect(Buffer.compare(kept, good)).toBe(0)
  })

  it.each([
    ['just over the limit', 10 * 1024 * 1024 + 1, '10.0 MB'],
    ['of 3 GB', 3 * 1024 ** 3, '3072.0 MB'],
  ])('refuses a file %s before reading it, naming the file and the limit', async (_name, size, shown) => {
    const file = path.join(dirs.root, `big-${size}.png`)
    const handle = await open(file, 'w')
    await handle.truncate(size) // sparse: nothing is written
    await handle.close()
    const error = await engine.prepare({ prompt: 'harbor at dusk', imagePath: file }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'INVALID_IMAGE' })
    expect((error as Error).message).toBe(
      `${file}: the image is ${shown}; the limit is 10 MB for Seedance (standard tier) on Seedance API.`,
    )
    expect(reads).not.toContain(file)
  })

  it('refuses a folder named as the image, saying it is not a file', async () => {
    await expect(engine.prepare({ prompt: 'harbor at dusk', imagePath: dirs.root })).rejects.toMatchObject({
      code: 'INVALID_IMAGE',
      message: `${dirs.root} is not a file.`,
    })
  })
})
