import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { probeMp4File } from '../../electron/core/media/mp4-probe'
import { embedSettingsFile, Mp4MetaError, readSettingsFile } from '../../electron/node/mp4-settings-file'
import { renderClip } from '../fixtures/clip'
import { decode, exiftoolTags, exiftoolValue, ffprobeTags, remux, remuxWithTag, tools } from '../fixtures/media-tools'
import { sampleSettings } from '../fixtures/video-settings'

let dir: string
let clip: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'mp4-settings-'))
  clip = path.join(dir, 'clip.mp4')
  await writeFile(clip, await renderClip(320, 240, 24))
}, 60_000)
afterAll(() => rm(dir, { recursive: true, force: true }))

async function copy(name: string, from = clip): Promise<string> {
  const file = path.join(dir, name)
  await copyFile(from, file)
  return file
}

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(Mp4MetaError)
    return `${(error as Mp4MetaError).code}: ${(error as Error).message}`
  }
  throw new Error('expected a failure')
}

describe('embedSettingsFile', () => {
  it('writes settings that ffprobe reads back as standard tags, and the video still decodes frame for frame', async () => {
    const file = await copy('fast-start.mp4')
    const settings = sampleSettings()
    await embedSettingsFile(file, file, settings)
    expect((await readSettingsFile(file)).settings).toEqual(settings)
    expect((await probeMp4File(file)).fastStart).toBe(true)
    if (!tools.ffprobe) return
    const tags = ffprobeTags(file)
    expect(tags.title).toBe(settings.title)
    expect(tags.description).toBe(settings.prompt)
    expect(tags.date).toBe(settings.created)
    expect(tags.encoder).toBe('Seedance Studio 0.1.0')
    expect(tags.comment).toBe(
      'Made with Seedance Studio: ark/seedance-1-0-pro-250528, 5 s, 720p, 16:9, seed 421, fixed camera',
    )
    expect(JSON.parse(tags.settings as string)).toEqual(settings)
    expect(decode(file)).toEqual({ errors: '', frames: 24 })
  })

  it.skipIf(!tools.exiftool)('is read back by exiftool: the standard items and the full settings', async () => {
    const file = await copy('exif.mp4')
    const settings = sampleSettings()
    await embedSettingsFile(file, file, settings)
    const tags = exiftoolTags(file)
    expect(tags['ItemList:Title']).toBe(settings.title)
    expect(tags['ItemList:Description']).toBe(settings.prompt)
    expect(tags['ItemList:Encoder']).toBe('Seedance Studio 0.1.0')
    expect(JSON.parse(exiftoolValue(file, 'iTunes:Settings'))).toEqual(settings)
  })

  it.skipIf(!tools.ffmpeg)(
    'writes into a file whose movie box follows the media data, which stays in place',
    async () => {
      const file = path.join(dir, 'moov-last.mp4')
      remux(clip, file, false)
      expect((await probeMp4File(file)).fastStart).toBe(false)
      await embedSettingsFile(file, file, sampleSettings({ seed: null, audio: true }))
      expect((await readSettingsFile(file)).settings.audio).toBe(true)
      expect(ffprobeTags(file).comment).toBe(
        'Made with Seedance Studio: ark/seedance-1-0-pro-250528, 5 s, 720p, 16:9, fixed camera, sound',
      )
      expect(decode(file)).toEqual({ errors: '', frames: 24 })
    },
  )

  it.skipIf(!tools.ffmpeg)('keeps the tags another tool wrote, and replaces its own on a second write', async () => {
    const file = path.join(dir, 'tagged.mp4')
    remuxWithTag(clip, file, 'artist', 'Ada')
    await embedSettingsFile(file, file, sampleSettings())
    await embedSettingsFile(file, file, sampleSettings({ prompt: 'second take', seed: 7 }))
    const tags = ffprobeTags(file)
    expect(tags.artist).toBe('Ada')
    expect(tags.description).toBe('second take')
    expect(JSON.parse(tags.settings as string).seed).toBe(7)
    // One settings item, not two: the ilst holds it once.
    const bytes = await readFile(file)
    expect(bytes.toString('latin1').split('com.seedance.studio').length - 1).toBe(1)
    expect(decode(file)).toEqual({ errors: '', frames: 24 })
  })

  it('writes to another name, leaving the original untouched', async () => {
    const source = await copy('source.mp4')
    const before = await readFile(source)
    const target = path.join(dir, 'with-settings.mp4')
    await embedSettingsFile(source, target, sampleSettings())
    expect(await readFile(source)).toEqual(before)
    expect((await readSettingsFile(target)).settings.jobId).toBe('job-0001')
    expect(await code(readSettingsFile(source))).toMatch(/^NO_SETTINGS: This video carries no Seedance Studio settings/)
  })
})

describe('hostile and damaged files', () => {
  let hostile: string
  beforeAll(async () => {
    hostile = await mkdtemp(path.join(dir, 'hostile-'))
  })

  async function expectUntouched(name: string, bytes: Uint8Array, problem: RegExp) {
    const file = path.join(hostile, name)
    await writeFile(file, bytes)
    expect(await code(embedSettingsFile(file, file, sampleSettings()))).toMatch(problem)
    expect(await code(readSettingsFile(file))).toMatch(problem)
    // Nothing written: the file as it was, and no part file left beside it (or anywhere in the folder).
    expect(new Uint8Array(await readFile(file))).toEqual(new Uint8Array(bytes))
    expect((await readdir(hostile)).filter((n) => n.startsWith(name))).toEqual([name])
  }

  it('refuses a truncated video', async () => {
    const video = await readFile(clip)
    await expectUntouched(
      'cut.mp4',
      video.subarray(0, Math.floor(video.length / 2)),
      /^INVALID_VIDEO: The file is truncated/,
    )
  })

  it('refuses a box that claims more bytes than the file has (32- and 64-bit sizes)', async () => {
    const video = new Uint8Array(await readFile(clip))
    const huge = video.slice()
    new DataView(huge.buffer).setUint32(0, 0xffff_fff0) // ftyp claims 4 GB
    await expectUntouched('huge.mp4', huge, /^INVALID_VIDEO: The file is truncated or damaged: its ftyp box/)
    const wide = new Uint8Array(16)
    const view = new DataView(wide.buffer)
    view.setUint32(0, 1)
    wide.set([0x6d, 0x6f, 0x6f, 0x76], 4) // moov
    view.setBigUint64(8, 2n ** 62n)
    await expectUntouched('wide.mp4', wide, /^INVALID_VIDEO: The moov box at byte 0 claims an impossible size/)
  })

  it('refuses text and an empty file', async () => {
    await expectUntouched('page.mp4', new TextEncoder().encode('<html>404 not found</html>'), /^INVALID_VIDEO/)
    await expectUntouched('empty.mp4', new Uint8Array(0), /^INVALID_VIDEO: Not a playable MP4/)
  })

  it('refuses a movie box whose inner boxes overrun it', async () => {
    const video = new Uint8Array(await readFile(clip))
    const moovAt = Buffer.from(video).indexOf('moov') - 4
    const bad = video.slice()
    new DataView(bad.buffer).setUint32(moovAt + 8, 0x7fff_ffff) // its first child (mvhd) claims 2 GB
    await expectUntouched('overrun.mp4', bad, /^INVALID_VIDEO: The file is truncated or damaged: its mvhd box/)
  })

  it('says damaged settings are damaged', async () => {
    const file = path.join(hostile, 'bad-json.mp4')
    await copyFile(clip, file)
    await embedSettingsFile(file, file, sampleSettings({ prompt: 'xxxxxxxx' }))
    const bytes = await readFile(file)
    const at = bytes.indexOf('"prompt":"xxxxxxxx"')
    bytes.write('"prompt":1234567890', at, 'latin1') // same length: a number where text belongs
    await writeFile(file, bytes)
    expect(await code(readSettingsFile(file))).toMatch(
      /^INVALID_SETTINGS: The video’s Seedance settings are damaged: its settings fail the check \(prompt:/,
    )
  })
})
