// The sequence channels (issue 11) through the real registerHandlers into a real engine on the Sandbox:
// library:continue with a frame the renderer took (Replicate's door gives no last-frame image), and
// library:export-sequence with main's save dialog (a fake here): cancelled, then written where it was chosen, the
// settings handed to embedSettings before the file has its name. And the save dialog itself, over a fake dialog.
import { stat } from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppInfo } from '../../electron/core/app-info'
import type { Engine } from '../../electron/core/engine'
import { Keychain } from '../../electron/core/secrets/keychain'
import { createExportPicker } from '../../electron/main/export-dialog'
import { createHandlers } from '../../electron/main/handlers'
import { createSenderPolicy, registerHandlers } from '../../electron/main/ipc'
import type { IpcResult, SequenceExport } from '../../electron/shared/contract'
import type { JobRecord, LibraryEntry } from '../../electron/shared/model'
import { finished, type TestDirs, testDirs, until } from '../core/jobs/engine-helpers'
import { openEngineOnSandbox } from '../core/sandbox-engine'
import { FakeIpcMain, mainFrame } from '../fakes/electron'

const APP = 'app://renderer/index.html'
let dirs: TestDirs
let engine: Engine
const ipc = new FakeIpcMain()
let saveAnswer: string | null = null
const suggested: string[] = []
const embedded: Array<{ file: string; settings: object }> = []

beforeAll(async () => {
  dirs = await testDirs()
  engine = await openEngineOnSandbox({
    paths: dirs.paths,
    role: 'app',
    sandbox: 'setting',
    keychain: new Keychain({ env: {} }),
    sandboxOptions: { genSeconds: { min: 0.5, max: 0.5 }, renderWorkers: 1 },
  })
  const appInfo = createAppInfo({
    name: 'Seedance Studio',
    version: '1.0.0',
    platform: 'linux',
    arch: 'x64',
    versions: process.versions,
    paths: dirs.paths,
  })
  registerHandlers(
    ipc,
    createHandlers({
      appInfo,
      engine,
      mediaBase: 'media://',
      chooseExportFile: async (name) => {
        suggested.push(name)
        return saveAnswer
      },
      findTools: async () => null,
      embedSettings: async (file, settings) => void embedded.push({ file, settings }),
    }),
    createSenderPolicy([APP]),
  )
})
afterAll(async () => {
  await engine.close()
  await dirs.cleanup()
})

async function call<T>(channel: string, payload?: unknown): Promise<T> {
  const result = (await ipc.invoke(channel, payload, mainFrame(APP))) as IpcResult<T>
  if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code })
  return result.data
}

async function done(id: string): Promise<LibraryEntry> {
  await until(() => finished(engine.jobs.get(id)), 60_000, `job ${id}`)
  expect(engine.jobs.get(id)?.state).toBe('done')
  return engine.library.get(id) as LibraryEntry
}

describe('sequence channels', () => {
  it('continue with the renderer’s frame, then export the sequence where the save dialog says', async () => {
    const first = await call<{ job: JobRecord }>('jobs:submit', {
      provider: 'replicate',
      prompt: 'paper boats on a pond',
      duration: 2,
      resolution: '480p',
      aspectRatio: '16:9',
    })
    const parent = await done(first.job.id)
    // No frame, no kept image, no ffmpeg: refused with its code, nothing queued.
    await expect(call('library:continue', { id: parent.id })).rejects.toMatchObject({ code: 'LAST_FRAME_UNAVAILABLE' })
    const frame = await sharp({
      create: { width: parent.width, height: parent.height, channels: 3, background: '#336699' },
    })
      .png()
      .toBuffer()
    const next = await call<{ job: JobRecord; frameFrom: string }>('library:continue', {
      id: parent.id,
      frame: { name: 'last.png', data: new Uint8Array(frame) },
    })
    expect(next.frameFrom).toBe('given')
    expect(next.job.request).toMatchObject({
      provider: 'replicate',
      mode: 'image',
      duration: 2,
      resolution: '480p',
      aspectRatio: '16:9',
      continues: parent.id,
    })
    const child = await done(next.job.id)
    expect(child.continues).toBe(parent.id)

    saveAnswer = null
    expect(await call('library:export-sequence', { id: child.id })).toEqual({ exported: null })
    expect(suggested[0]).toMatch(/-sequence\.mp4$/)
    saveAnswer = path.join(dirs.root, 'boats.mp4')
    const { exported } = await call<{ exported: SequenceExport }>('library:export-sequence', { id: parent.id })
    expect(exported).toMatchObject({ file: saveAnswer, method: 'copy', clips: 2 })
    expect(exported.durationSeconds).toBeCloseTo(4, 1)
    expect((await stat(saveAnswer)).size).toBe(exported.bytes)
    expect(embedded).toHaveLength(1)
    expect(embedded[0]?.file).not.toBe(saveAnswer)
    expect(embedded[0]?.settings).toMatchObject({
      provider: 'replicate',
      sequence: [{ id: parent.id }, { id: child.id }],
    })
  }, 120_000)

  it('refuses what the contract does not allow, and a video that is not there', async () => {
    await expect(call('library:continue', { id: '' })).rejects.toMatchObject({ code: 'IPC_INVALID_PAYLOAD' })
    await expect(call('library:export-sequence', { id: 'nope' })).rejects.toMatchObject({ code: 'VIDEO_NOT_FOUND' })
  })
})

describe('the export save dialog', () => {
  it('suggests the name in the default folder, adds .mp4, and answers null when cancelled', async () => {
    const asked: Array<{ defaultPath?: string }> = []
    let answer = { canceled: false, filePath: '/home/me/Videos/take' }
    const dialog = {
      showSaveDialog: async (...args: unknown[]) => {
        asked.push(args[args.length - 1] as { defaultPath?: string })
        return answer
      },
    }
    const pick = createExportPicker(
      dialog as never,
      () => null,
      () => '/home/me/Videos',
    )
    expect(await pick('a-sequence.mp4')).toBe('/home/me/Videos/take.mp4')
    expect(asked[0]?.defaultPath).toBe(path.join('/home/me/Videos', 'a-sequence.mp4'))
    answer = { canceled: true, filePath: '' }
    expect(await pick('a-sequence.mp4')).toBeNull()
  })
})
