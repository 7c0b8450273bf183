import { beforeAll, describe, expect, it } from 'vitest'
import { Mp4ProbeError, probeMp4 } from '../../../electron/core/media/mp4-probe'
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
