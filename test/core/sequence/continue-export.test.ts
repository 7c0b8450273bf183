// Continue a shot and export the sequence, over the real Sandbox (issue 11, point 2): a clip made through Ark's
// emulation keeps the service's last-frame image; its continuation starts from that image with the clip's settings
// and names the clip it continues; the two export as one MP4 that ffprobe reads as long as both and ffmpeg decodes
// without an error. A clip from a door that gives no last frame is continued from its file with ffmpeg.
import { execFile } from 'node:child_process'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import sharp from 'sharp'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { findFfmpeg } from '../../../electron/core/media/ffmpeg'
import { continueVideo } from '../../../electron/core/sequence/continue'
import { lastFramePath } from '../../../electron/core/sequence/last-frame'
import { exportLibrarySequence } from '../../../electron/core/sequence/library-export'
import { readSettingsFile } from '../../../electron/node/mp4-settings-file'
import type { LibraryEntry } from '../../../electron/shared/model'
import { sequenceOf } from '../../../electron/shared/sequence'
import { renderClip } from '../../fixtures/clip'
import { finished, type TestDirs, testDirs, until } from '../jobs/engine-helpers'
import { openEngineOnSandbox, type SandboxEngine } from '../sandbox-engine'

const run = promisify(execFile)
let dirs: TestDirs
let engine: SandboxEngine | undefined
beforeEach(async () => {
  dirs = await testDirs()
})
afterEach(async () => {
  await engine?.close()
  engine = undefined
  await dirs.cleanup()
})

async function open(): Promise<SandboxEngine> {
  engine = await openEngineOnSandbox({
    paths: dirs.paths,
    role: 'cli',
    sandbox: 'always',
    sandboxOptions: { genSeconds: { min: 1, max: 1 }, renderWorkers: 1 },
  })
  return engine
}

async function made(e: SandboxEngine, jobId: string): Promise<LibraryEntry> {
  await until(() => finished(e.jobs.get(jobId)), 60_000, `job ${jobId}`)
  const job = e.jobs.get(jobId)
  expect(job?.state, job?.error?.message).toBe('done')
  return e.library.get(jobId) as LibraryEntry
}

async function ffprobeDuration(file: string): Promise<number> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file])
  return Number(stdout.trim())
}

describe('continue a shot and export the sequence (engine over the Sandbox)', () => {
  it('Ark: continues from the service’s last frame with the same settings; exports both as one MP4 without re-encoding', async () => {
    const e = await open()
    const first = await e.submit({
      provider: 'ark',
      prompt: 'a lighthouse at dusk, waves',
      duration: 2,
      resolution: '480p',
      aspectRatio: '16:9',
      seed: 42,
      cameraFixed: true,
    })
    if (first.kind !== 'new') throw new Error(first.kind)
    const parent = await made(e, first.job.id)
    // The service's last-frame image is kept, full size, under .seedance/frames.
    const frame = lastFramePath(e.library.dir, parent) as string
    expect(frame).toBe(path.join(e.library.dir, '.seedance', 'frames', `${parent.id}.png`))
    const meta = await sharp(frame).metadata()
    expect([meta.format, meta.width, meta.height]).toEqual(['png', parent.width, parent.height])

    const next = await continueVideo(e, parent.id, { prompt: 'the light turns on', tools: null })
    expect(next.frameFrom).toBe('service')
    const r = next.job.request
    expect(r).toMatchObject({
      provider: 'ark',
      model: parent.model,
      mode: 'image',
      prompt: 'the light turns on',
      duration: 2,
      resolution: '480p',
      aspectRatio: '16:9',
      seed: 42,
      cameraFixed: true,
      continues: parent.id,
    })
    // Its first frame is the kept last frame, byte for byte.
    expect(await readFile(r.image?.path as string)).toEqual(await readFile(frame))
    const child = await made(e, next.job.id)
    expect(child.continues).toBe(parent.id)
    expect(sequenceOf(e.library.all(), parent.id).map((c) => c.id)).toEqual([parent.id, child.id])

    const out = path.join(dirs.root, 'exports', 'lighthouse.mp4')
    await mkdir(path.dirname(out))
    // The app's own embedding (no injected one): the settings travel inside the exported file as in every video.
    const result = await exportLibrarySequence(e, child.id, { dest: out, tools: await findFfmpeg() })
    expect(result).toMatchObject({ file: out, method: 'copy', clips: 2 })
    const total = await ffprobeDuration(out)
    expect(total).toBeCloseTo(4, 1)
    const decode = await run('ffmpeg', ['-v', 'error', '-i', out, '-f', 'null', '-'])
    expect(decode.stderr).toBe('')
    const { settings } = await readSettingsFile(out)
    expect(settings).toMatchObject({ provider: 'ark', duration: 4, prompt: parent.prompt, fingerprint: null })
    // ffprobe shows the standard tags and the whole settings, the sequence's clips among them.
    const probe = await run('ffprobe', ['-v', 'error', '-show_entries', 'format_tags', '-of', 'json', out])
    const tags = JSON.parse(probe.stdout).format.tags as Record<string, string>
    expect(tags.title).toContain('(sequence of 2)')
    expect(JSON.parse(tags.settings as string).sequence).toMatchObject([
      { id: parent.id },
      { id: child.id, continues: parent.id },
    ])
  }, 120_000)

  it('the guide’s API gives no last frame: continued from the file with ffmpeg, or refused without it', async () => {
    const e = await open()
    const first = await e.submit({ provider: 'seedance', prompt: 'a red kite over a field', duration: 1 })
    if (first.kind !== 'new') throw new Error(first.kind)
    const parent = await made(e, first.job.id)
    expect(parent.lastFrame ?? null).toBeNull()
    await expect(continueVideo(e, parent.id, { tools: null })).rejects.toMatchObject({ code: 'LAST_FRAME_UNAVAILABLE' })
    const tools = await findFfmpeg()
    if (!tools) throw new Error('these tests need ffmpeg (npm run setup installs it)')
    const next = await continueVideo(e, parent.id, { tools })
    expect(next.frameFrom).toBe('ffmpeg')
    const image = await sharp(next.job.request.image?.path as string).metadata()
    expect([image.width, image.height]).toEqual([parent.width, parent.height])
    expect(next.job.request).toMatchObject({
      provider: 'seedance',
      mode: 'image',
      prompt: parent.prompt,
      continues: parent.id,
    })
    await made(e, next.job.id)
    await expect(continueVideo(e, 'no-such-video')).rejects.toMatchObject({ code: 'VIDEO_NOT_FOUND' })
  }, 120_000)

  it('a video the app did not make (found in the folder): continued through the default door, fitted to its model', async () => {
    const e = await open()
    await writeFile(path.join(e.library.dir, 'found.mp4'), await renderClip(640, 360, 60, 'forest'))
    await e.library.rescan()
    const found = e.library.all().find((x) => x.file === 'found.mp4') as LibraryEntry
    expect(found.external).toBe(true)
    const next = await continueVideo(e, found.id, { prompt: 'deeper into the forest', tools: await findFfmpeg() })
    expect(next.job.request).toMatchObject({
      provider: 'seedance',
      model: 'standard',
      mode: 'image',
      prompt: 'deeper into the forest',
      duration: 3,
      resolution: '720p',
      aspectRatio: '16:9',
      continues: found.id,
    })
    expect((await made(e, next.job.id)).continues).toBe(found.id)
  }, 120_000)
})
