import { mkdtemp, open, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { Mp4ProbeError, probeMp4, probeMp4File } from '../../../electron/core/media/mp4-probe'
import { renderClip } from '../../fixtures/clip'

let video: Uint8Array
beforeAll(async () => {
  video = await renderClip()
}, 60_000)

describe('probeMp4', () => {
  it('reads codec, size, duration and frames of a real video', () => {
    expect(probeMp4(video)).toEqual({
      codec: expect.stringMatching(/^avc1\./),
      width: 720,
      height: 720,
      durationSeconds: 1,
      frames: 24,
      keyFrames: 1,
      fastStart: true,
    })
  })

  it.each([
    ['empty', () => new Uint8Array(0)],
    ['text', () => new TextEncoder().encode('<html>not found</html>')],
    ['cut off halfway', () => video.subarray(0, Math.floor(video.length / 2))],
    ['missing its last byte', () => video.subarray(0, video.length - 1)],
  ])('refuses a file that is %s', (_name, make) => {
    expect(() => probeMp4(make())).toThrow(Mp4ProbeError)
  })
})

describe('probeMp4File', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'probe-'))
    return () => rm(dir, { recursive: true, force: true })
  })

  it('reads the same facts from a file on disk', async () => {
    const file = path.join(dir, 'v.mp4')
    await writeFile(file, video)
    expect(await probeMp4File(file)).toEqual(probeMp4(video))
  })

  it.each([
    ['text', () => new TextEncoder().encode('<html>not found</html>')],
    ['cut off halfway', () => video.subarray(0, Math.floor(video.length / 2))],
    ['missing its last byte', () => video.subarray(0, video.length - 1)],
  ])('refuses a file that is %s', async (name, make) => {
    const file = path.join(dir, `${name}.mp4`)
    await writeFile(file, make())
    await expect(probeMp4File(file)).rejects.toBeInstanceOf(Mp4ProbeError)
  })

  it('never loads the media data: a 3 GB video is checked with a few kilobytes read', async () => {
    // The clip with its mdat box grown to 3 GB: a sparse file, so the disk holds only the real bytes.
    const view = new DataView(video.buffer, video.byteOffset, video.byteLength)
    let at = 0
    while (String.fromCharCode(...video.subarray(at + 4, at + 8)) !== 'mdat') at += view.getUint32(at)
    const big = 3 * 1024 ** 3
    const file = path.join(dir, 'big.mp4')
    const handle = await open(file, 'w')
    await handle.write(video.subarray(0, at))
    // A 32-bit box size cannot say 3 GB: a 64-bit (largesize) mdat header.
    const large = Buffer.alloc(16)
    large.writeUInt32BE(1, 0)
    large.write('mdat', 4, 'latin1')
    large.writeBigUInt64BE(BigInt(big - at), 8)
    await handle.write(large, 0, 16, at)
    await handle.truncate(big)
    await handle.close()
    const before = process.memoryUsage().arrayBuffers
    const probe = await probeMp4File(file)
    expect(probe).toMatchObject({ width: 720, height: 720, frames: 24 })
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024)
  })
})
