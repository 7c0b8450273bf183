import { createHash } from 'node:crypto'
import sharp from 'sharp'
import { afterAll, describe, expect, it } from 'vitest'
import { probeMp4 } from '../../../electron/core/media/mp4-probe'
import { frameDrawer } from '../../../electron/sandbox/render/draw'
import { RenderPool, segmentBounds } from '../../../electron/sandbox/render/pool'
import { seedFrom } from '../../../electron/sandbox/render/rng'
import { frameSize } from '../../../electron/sandbox/validation'
import { picture } from '../../fixtures/images'

const pool = new RenderPool(2)
afterAll(() => pool.close())

const text = (prompt: string) => ({ kind: 'text' as const, prompt, style: '', seed: seedFrom(prompt) })

describe('segmentBounds', () => {
  it('cuts a clip into key-frame-aligned segments, one per worker', () => {
    expect(segmentBounds(192, 2)).toEqual([
      [0, 96],
      [96, 192],
    ])
    expect(segmentBounds(192, 3)).toEqual([
      [0, 72],
      [72, 120],
      [120, 192],
    ])
    expect(segmentBounds(24, 4)).toEqual([[0, 24]])
    expect(segmentBounds(30, 2)).toEqual([
      [0, 24],
      [24, 30],
    ])
  })

  it('covers every frame exactly once', () => {
    for (const frames of [24, 48, 120, 168, 192]) {
      for (const parts of [1, 2, 3, 4]) {
        const b = segmentBounds(frames, parts)
        expect(b[0]?.[0]).toBe(0)
        expect(b.at(-1)?.[1]).toBe(frames)
        for (let i = 1; i < b.length; i++) expect(b[i]?.[0]).toBe(b[i - 1]?.[1])
        for (const [s] of b) expect(s % 24).toBe(0)
      }
    }
  })
})

describe('RenderPool', () => {
  it.each([
    ['720p', '16:9', 1280, 720],
    ['720p', '9:16', 720, 1280],
    ['720p', '1:1', 720, 720],
    ['1080p', '16:9', 1920, 1080],
    ['1080p', '9:16', 1080, 1920],
    ['1080p', '1:1', 1080, 1080],
  ] as const)(
    'renders %s %s as a %i×%i H.264 MP4 of the exact duration',
    async (resolution, aspect, width, height) => {
      const size = frameSize(resolution, aspect)
      expect(size).toEqual({ width, height })
      const out = await pool.render({ ...size, fps: 24, frames: 48, scene: text('sunset over the ocean') })
      const probe = probeMp4(out.mp4)
      expect(probe.codec).toMatch(/^avc1\./)
      expect(probe.width).toBe(width)
      expect(probe.height).toBe(height)
      expect(probe.frames).toBe(48)
      expect(probe.durationSeconds).toBeCloseTo(2, 5)
      expect(probe.keyFrames).toBeGreaterThanOrEqual(2)
      expect(probe.fastStart).toBe(true)
      expect(out.thumbnail).toMatchObject({ width, height })
      expect(out.thumbnail.rgba.length).toBe(width * height * 4)
    },
    60_000,
  )

  it('is deterministic: the same request gives the same bytes, another prompt does not', async () => {
    const request = { width: 1280, height: 720, fps: 24, frames: 48, scene: text('neon city at night in the rain') }
    const a = await pool.render(request)
    const b = await pool.render(request)
    const c = await pool.render({ ...request, scene: text('snowy forest, slow pan left') })
    const hash = (x: Uint8Array) => createHash('sha256').update(x).digest('hex')
    expect(hash(a.mp4)).toBe(hash(b.mp4))
    expect(hash(a.mp4)).not.toBe(hash(c.mp4))
  }, 60_000)

  it('animates: frames change over time', async () => {
    const out = await pool.render({
      width: 1280,
      height: 720,
      fps: 24,
      frames: 24,
      scene: text('sunset over the ocean, fast pan'),
    })
    // The thumbnail is the middle frame; compare it with a 1-frame render (frame 0) of the same scene.
    const first = await pool.render({
      width: 1280,
      height: 720,
      fps: 24,
      frames: 1,
      scene: text('sunset over the ocean, fast pan'),
    })
    expect(Buffer.compare(Buffer.from(out.thumbnail.rgba), Buffer.from(first.thumbnail.rgba))).not.toBe(0)
  }, 60_000)

  it('hands back the clip’s last frame (Ark’s last_frame_url), whichever worker drew it', async () => {
    const scene = text('harbour lights, slow pan')
    const out = await pool.render({ width: 320, height: 240, fps: 24, frames: 48, scene })
    const want = new Uint8Array(320 * 240 * 4)
    frameDrawer(scene, 320, 240, 24, 48)(47, want)
    expect(out.lastFrame).toMatchObject({ width: 320, height: 240 })
    expect(Buffer.compare(Buffer.from(out.lastFrame.rgba), Buffer.from(want))).toBe(0)
    expect(Buffer.compare(Buffer.from(out.lastFrame.rgba), Buffer.from(out.thumbnail.rgba))).not.toBe(0)
  }, 60_000)

  it('moves a camera over a supplied image, keeping its picture', async () => {
    const src = await picture(1600, 900)
    const { data, info } = await sharp(src).resize(1728, 972).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
    const canvas = new SharedArrayBuffer(data.length)
    new Uint8Array(canvas).set(data)
    const out = await pool.render({
      width: 1280,
      height: 720,
      fps: 24,
      frames: 24,
      scene: {
        kind: 'image',
        prompt: 'slow push in',
        motion: 1,
        canvas,
        canvasWidth: info.width,
        canvasHeight: info.height,
      },
    })
    expect(probeMp4(out.mp4)).toMatchObject({ width: 1280, height: 720, frames: 24 })
    // The middle frame still shows the picture: the gradient runs dark blue (top left) to orange (bottom right).
    const px = (x: number, y: number) =>
      Array.from(out.thumbnail.rgba.subarray((y * 1280 + x) * 4, (y * 1280 + x) * 4 + 3))
    const [r1, , b1] = px(20, 20)
    const [r2, , b2] = px(1260, 700)
    expect(b1).toBeGreaterThan(r1 as number)
    expect(r2).toBeGreaterThan(b2 as number)
  }, 60_000)
})
