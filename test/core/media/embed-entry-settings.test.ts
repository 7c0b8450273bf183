// The save path's embedding step (issue 11, point 1): the settings go in where they can; where they cannot, the
// video is kept exactly as the service sent it and the reason is logged. A video is never lost to its metadata.
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP_VERSION, embedEntrySettings } from '../../../electron/core/media/embed-entry-settings'
import type { Logger } from '../../../electron/core/util/logger'
import { readSettingsFile } from '../../../electron/node/mp4-settings-file'
import { renderClip } from '../../fixtures/clip'
import { remuxFragmented, tools } from '../../fixtures/media-tools'
import { entry } from '../../fixtures/records'

let dir: string
let clip: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'embed-entry-'))
  clip = path.join(dir, 'clip.mp4')
  await writeFile(clip, await renderClip(320, 240, 24))
}, 60_000)
afterAll(() => rm(dir, { recursive: true, force: true }))

function logger(): Logger & { warnings: Array<[string, Record<string, unknown> | undefined]> } {
  const warnings: Array<[string, Record<string, unknown> | undefined]> = []
  return { warnings, info() {}, error() {}, addSecret() {}, warn: (m, f) => warnings.push([m, f]) }
}

describe('embedEntrySettings', () => {
  it("writes the entry's settings, with this app's version", async () => {
    const file = path.join(dir, 'made.mp4')
    await copyFile(clip, file)
    const e = entry({ id: 'job-7', jobId: 'job-7', seed: 99, cameraFixed: true, audio: null })
    expect(await embedEntrySettings(file, e, logger())).toBe(true)
    const { settings } = await readSettingsFile(file)
    expect(settings).toMatchObject({ jobId: 'job-7', seed: 99, cameraFixed: true, audio: null, prompt: e.prompt })
    expect(settings.app.version).toBe(APP_VERSION)
  })

  it.skipIf(!tools.ffmpeg)('keeps a video it cannot write into as it was, and says why in the log', async () => {
    const file = path.join(dir, 'fragmented.mp4')
    remuxFragmented(clip, file)
    const before = await readFile(file)
    const log = logger()
    expect(await embedEntrySettings(file, entry({ id: 'job-8' }), log)).toBe(false)
    expect(await readFile(file)).toEqual(before)
    expect((await readdir(dir)).filter((n) => n.includes('.part'))).toEqual([])
    expect(log.warnings).toEqual([
      [
        'video saved without its settings embedded',
        { id: 'job-8', error: 'Mp4MetaError: Settings cannot be embedded in a fragmented MP4.' },
      ],
    ])
  })
})
