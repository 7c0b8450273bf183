// CSV batches in the app, tried as a compromised renderer would (issue 9, point 7): main reads only a CSV the user
// picked in the OS dialog, and only images inside that CSV's folder; nothing outside reaches the renderer, not
// even whether it exists.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppInfo } from '../../electron/core/app-info'
import type { Engine } from '../../electron/core/engine'
import { Keychain } from '../../electron/core/secrets/keychain'
import { createHandlers } from '../../electron/main/handlers'
import { createSenderPolicy, registerHandlers } from '../../electron/main/ipc'
import type { BatchPreviewRow, IpcResult } from '../../electron/shared/contract'
import { type TestDirs, testDirs } from '../core/jobs/engine-helpers'
import { openEngineOnSandbox } from '../core/sandbox-engine'
import { FakeIpcMain, mainFrame } from '../fakes/electron'
import { picture } from '../fixtures/images'

const APP = 'app://renderer/index.html'
let dirs: TestDirs
let engine: Engine
let root: string
let plans: string
const ipc = new FakeIpcMain()
/** What the OS file dialog answers (null: cancelled). */
let dialogAnswer: string | null = null

beforeAll(async () => {
  dirs = await testDirs()
  root = await mkdtemp(path.join(os.tmpdir(), 'batch-import-'))
  plans = path.join(root, 'plans')
  await mkdir(path.join(plans, 'shots'), { recursive: true })
  await writeFile(path.join(plans, 'shots', 'in.jpg'), await picture(800, 600, 'jpeg'))
  await writeFile(path.join(root, 'secret.jpg'), await picture(900, 700, 'jpeg'))
  await writeFile(
    path.join(plans, 'plan.csv'),
    ['id,prompt,duration,resolution,image', 'in,inside,1,720p,shots/in.jpg', 'out,outside,1,720p,../secret.jpg'].join(
      '\n',
    ),
  )
  engine = await openEngineOnSandbox({
    paths: dirs.paths,
    role: 'app',
    sandbox: 'always',
    keychain: new Keychain({ env: {} }),
    sandboxOptions: { genSeconds: { min: 0.5, max: 0.5 } },
  })
  registerHandlers(
    ipc,
    createHandlers({
      appInfo: createAppInfo({
        name: 'Seedance Studio',
        version: '1.0.0',
        platform: 'linux',
        arch: 'x64',
        versions: process.versions,
        paths: dirs.paths,
      }),
      engine,
      mediaBase: 'media://',
      chooseCsv: async () => dialogAnswer,
    }),
    createSenderPolicy([APP]),
  )
})
afterAll(async () => {
  await engine.close()
  await dirs.cleanup()
  await rm(root, { recursive: true, force: true })
})

async function call<T = unknown>(channel: string, payload?: unknown): Promise<T> {
  const result = (await ipc.invoke(channel, payload, mainFrame(APP))) as IpcResult<T>
  if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code })
  return result.data
}

describe('CSV batches in the app', () => {
  it('refuses CSV text or a path the renderer makes up: main reads only a file picked in the OS dialog', async () => {
    const crafted = 'id,prompt,image\nx,steal,/etc/passwd\n'
    // Today's payload (CSV text plus a name that chose the folder images resolve against) is gone.
    await expect(call('batch:preview', { name: '/plan.csv', csv: crafted })).rejects.toMatchObject({
      code: 'IPC_INVALID_PAYLOAD',
    })
    await expect(call('batch:preview', { file: path.join(plans, 'plan.csv') })).rejects.toMatchObject({
      code: 'CSV_NOT_CHOSEN',
    })
    await expect(call('batch:submit', { file: '/etc/passwd' })).rejects.toMatchObject({ code: 'CSV_NOT_CHOSEN' })
    dialogAnswer = null
    expect(await call('batch:choose-file')).toEqual({ file: null, name: null })
  })

  it('previews a picked CSV with images inside its folder, refuses one outside without saying if it exists', async () => {
    dialogAnswer = path.join(plans, 'plan.csv')
    expect(await call('batch:choose-file')).toEqual({ file: dialogAnswer, name: 'plan.csv' })
    const rows = await call<BatchPreviewRow[]>('batch:preview', { file: dialogAnswer })
    expect(rows.map((r) => [r.id, r.status])).toEqual([
      ['in', 'ready'],
      ['out', 'invalid'],
    ])
    expect(rows[1]?.message).toMatch(/is not a file inside the CSV's folder/)
    expect(await call('batch:submit', { file: dialogAnswer })).toEqual({ queued: 1, joined: 0, exists: 0, invalid: 1 })
    // Only the inside image was read into the data folder: the renderer can never get the outside one back.
    expect(await readdir(path.join(dirs.paths.userData, 'images'))).toHaveLength(1)
  })
})
