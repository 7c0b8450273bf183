// Exporting a sequence, the hostile cases (issue 11, point 2): a clip whose file is gone, clips whose encodings
// differ (re-encoded with ffmpeg; refused with the reason where there is no ffmpeg), clips that match joined
// without ffmpeg in JavaScript, and destinations outside the folder chosen (a `..` path, a link). Real clips
// rendered by the Sandbox's encoder; every output read back by ffprobe and decoded by ffmpeg.
import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type FfmpegTools, findFfmpeg } from '../../../electron/core/media/ffmpeg'
import { type ExportClip, exportSequence } from '../../../electron/core/sequence/export'
import { renderClip } from '../../fixtures/clip'

const run = promisify(execFile)
let dir: string
let out: string
let tools: FfmpegTools
/** Two clips of one encoding (640×360, 24 fps) and one of another size. */
let a: ExportClip
let b: ExportClip
let square: ExportClip

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sequence-export-'))
  out = path.join(dir, 'out')
  await mkdir(out)
  const found = await findFfmpeg()
  if (!found) throw new Error('these tests need ffmpeg (npm run setup installs it)')
  tools = found
  const write = async (name: string, bytes: Buffer) => {
    await writeFile(path.join(dir, name), bytes)
    return { file: path.join(dir, name), name }
  }
  a = await write('a.mp4', await renderClip(640, 360, 24, 'harbor'))
  b = await write('b.mp4', await renderClip(640, 360, 36, 'meadow'))
  square = await write('square.mp4', await renderClip(480, 480, 24, 'desert'))
}, 120_000)
afterAll(() => rm(dir, { recursive: true, force: true }))

async function probe(file: string): Promise<{ duration: number; width: number; height: number }> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-select_streams',
    'v:0',
    '-show_entries',
    'stream=width,height:format=duration',
    '-of',
    'json',
    file,
  ])
  const j = JSON.parse(stdout) as { streams: Array<{ width: number; height: number }>; format: { duration: string } }
  return { duration: Number(j.format.duration), width: j.streams[0]?.width ?? 0, height: j.streams[0]?.height ?? 0 }
}

async function decodes(file: string): Promise<string> {
  return (await run('ffmpeg', ['-v', 'error', '-i', file, '-f', 'null', '-'])).stderr
}

const base = { settings: { prompt: 'x' } }

describe('exporting a sequence', () => {
  it('clips of one encoding, no ffmpeg: joined in JavaScript without re-encoding', async () => {
    const dest = path.join(out, 'js.mp4')
    const result = await exportSequence({ ...base, clips: [a, b], dest, allowedDir: out, tools: null })
    expect(result).toMatchObject({ method: 'copy', reason: null, file: dest })
    expect(await probe(dest)).toMatchObject({ width: 640, height: 360 })
    expect((await probe(dest)).duration).toBeCloseTo(2.5, 1)
    expect(await decodes(dest)).toBe('')
  }, 60_000)

  it('clips that differ: re-encoded with ffmpeg to the first clip’s size, the reason said', async () => {
    const dest = path.join(out, 'mixed.mp4')
    const result = await exportSequence({ ...base, clips: [a, square], dest, allowedDir: out, tools })
    expect(result.method).toBe('reencode')
    expect(result.reason).toContain('480×480')
    const p = await probe(dest)
    expect([p.width, p.height]).toEqual([640, 360])
    expect(p.duration).toBeCloseTo(2, 1)
    expect(await decodes(dest)).toBe('')
  }, 120_000)

  it('one clip with sound, one without: re-encoded with the sound kept and silence under the silent clip', async () => {
    const voiced = path.join(dir, 'voiced.mp4')
    await run('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc=size=640x360:rate=24',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440',
      '-t',
      '1',
      '-c:v',
      'libx264',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-shortest',
      voiced,
    ])
    const dest = path.join(out, 'sound.mp4')
    const result = await exportSequence({
      ...base,
      clips: [a, { file: voiced, name: 'voiced' }],
      dest,
      allowedDir: out,
      tools,
    })
    expect(result.method).toBe('reencode')
    expect(result.reason).toMatch(/sound|libx264|h264|avc/i)
    const { stdout } = await run('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'stream=codec_type',
      '-of',
      'csv=p=0',
      dest,
    ])
    expect(stdout.trim().split('\n').sort()).toEqual(['audio', 'video'])
    expect((await probe(dest)).duration).toBeCloseTo(2, 1)
    expect(await decodes(dest)).toBe('')
  }, 120_000)

  it('clips that differ and no ffmpeg: refused with the reason (NO_ENCODER), nothing written', async () => {
    const dest = path.join(out, 'refused.mp4')
    await expect(
      exportSequence({ ...base, clips: [a, square], dest, allowedDir: out, tools: null }),
    ).rejects.toMatchObject({ code: 'NO_ENCODER', message: expect.stringContaining('480×480') })
    expect((await readdir(out)).filter((n) => n.includes('refused'))).toEqual([])
  })

  it('clips with B-frames (as most services encode) and no ffmpeg: not joined in JavaScript, refused with why', async () => {
    const x264 = async (name: string) => {
      const file = path.join(dir, name)
      await run('ffmpeg', [
        '-v',
        'error',
        '-y',
        '-f',
        'lavfi',
        '-i',
        'testsrc=size=320x240:rate=24',
        '-t',
        '1',
        '-c:v',
        'libx264',
        '-bf',
        '2',
        '-pix_fmt',
        'yuv420p',
        file,
      ])
      return { file, name }
    }
    const clips = [await x264('x1.mp4'), await x264('x2.mp4')]
    await expect(
      exportSequence({ ...base, clips, dest: path.join(out, 'bframes.mp4'), allowedDir: out, tools: null }),
    ).rejects.toMatchObject({ code: 'NO_ENCODER', message: expect.stringContaining('B-frames') })
    // With ffmpeg they match, and are joined without re-encoding.
    const dest = path.join(out, 'bframes.mp4')
    expect(await exportSequence({ ...base, clips, dest, allowedDir: out, tools })).toMatchObject({ method: 'copy' })
    expect((await probe(dest)).duration).toBeCloseTo(2, 1)
    expect(await decodes(dest)).toBe('')
  }, 60_000)

  it('a clip whose file is gone: CLIP_MISSING naming it', async () => {
    const gone = { file: path.join(dir, 'gone.mp4'), name: 'the gone one' }
    await expect(
      exportSequence({ ...base, clips: [a, gone], dest: path.join(out, 'x.mp4'), allowedDir: out, tools }),
    ).rejects.toMatchObject({ code: 'CLIP_MISSING', message: expect.stringContaining('the gone one') })
  })

  it('never writes outside the folder chosen: a `..` path, a link out of it, a clip’s own file', async () => {
    const outside = await mkdtemp(path.join(os.tmpdir(), 'sequence-outside-'))
    try {
      const clips = [a, b]
      const cases = [
        path.join(out, '..', 'escaped.mp4'),
        path.join(outside, 'elsewhere.mp4'),
        path.join(out, 'link', 'through-link.mp4'),
        path.join(out, 'not-a-video.mov'),
      ]
      await symlink(outside, path.join(out, 'link'))
      for (const dest of cases)
        await expect(exportSequence({ ...base, clips, dest, allowedDir: out, tools }), dest).rejects.toMatchObject({
          code: 'INVALID_DESTINATION',
        })
      await expect(exportSequence({ ...base, clips, dest: a.file, allowedDir: dir, tools })).rejects.toMatchObject({
        code: 'INVALID_DESTINATION',
      })
      expect(await readdir(outside)).toEqual([])
      expect((await readdir(dir)).filter((n) => n.includes('escaped'))).toEqual([])
    } finally {
      await rm(outside, { recursive: true, force: true })
    }
  })

  it('a failing embedSettings leaves no file and no .part behind', async () => {
    const dest = path.join(out, 'embed-fails.mp4')
    await expect(
      exportSequence({
        ...base,
        clips: [a, b],
        dest,
        allowedDir: out,
        tools,
        embedSettings: async () => {
          throw new Error('disk full')
        },
      }),
    ).rejects.toMatchObject({ code: 'EXPORT_FAILED' })
    expect((await readdir(out)).filter((n) => n.includes('embed-fails'))).toEqual([])
  }, 60_000)
})
