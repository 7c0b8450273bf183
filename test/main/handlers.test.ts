// Every channel of the contract through the real registerHandlers into a real engine (built-in Sandbox).
import { copyFile, rename, writeFile } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppInfo } from '../../electron/core/app-info'
import type { Engine } from '../../electron/core/engine'
import { Keychain } from '../../electron/core/secrets/keychain'
import { createHandlers, forwardEvents } from '../../electron/main/handlers'
import { createSenderPolicy, registerHandlers } from '../../electron/main/ipc'
import type { IpcResult } from '../../electron/shared/contract'
import type { JobRecord, LibraryEntry } from '../../electron/shared/model'
import { type TestDirs, testDirs, until } from '../core/jobs/engine-helpers'
import { openEngineOnSandbox } from '../core/sandbox-engine'
import { FakeIpcMain, mainFrame } from '../fakes/electron'
import { renderClip } from '../fixtures/clip'
import { picture } from '../fixtures/images'
import { entry as record } from '../fixtures/records'

const APP = 'app://renderer/index.html'
let dirs: TestDirs
let engine: Engine
const ipc = new FakeIpcMain()
const events: Array<{ channel: string; payload: unknown }> = []
const revealed: string[] = []
/** What the OS folder picker answers (null: cancelled). */
let folderAnswer: string | null = null
/** What the OS file picker answers for a batch CSV. */
let csvAnswer: string | null = null
/** What the OS file picker answers when a missing video is located (null: cancelled). */
let fileAnswer: string | null = null
const dragged: Array<[string, string | null]> = []

beforeAll(async () => {
  dirs = await testDirs()
  engine = await openEngineOnSandbox({
    paths: dirs.paths,
    role: 'app',
    sandbox: 'setting',
    keychain: new Keychain({ env: {} }),
    // This file runs a dozen jobs on one engine: a 10-second rate window (10 requests per 10 s, on both sides) keeps
    // them from queuing behind a real minute's limit when the machine is slow.
    // allowPrivateUrls: the image_url test serves its picture from loopback.
    sandboxOptions: { genSeconds: { min: 0.5, max: 0.5 }, rateWindowSeconds: 10, allowPrivateUrls: true },
    rateWindowMs: 10_000,
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
      reveal: (file) => revealed.push(file),
      startDrag: (file, icon) => dragged.push([file, icon]),
      chooseFolder: async () => folderAnswer,
      chooseCsv: async () => csvAnswer,
      chooseVideoFile: async () => fileAnswer,
    }),
    createSenderPolicy([APP]),
  )
  forwardEvents(engine, (channel, payload) => events.push({ channel, payload }))
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

describe('IPC handlers over the real engine', () => {
  it('reports the engine: with no key, the guide’s API through the built-in Sandbox, and why', async () => {
    expect(await call('engine:status')).toMatchObject({
      provider: 'seedance',
      model: 'standard',
      target: 'sandbox',
      // No key here (or, without a Secret Service, no keychain): either way the reason says where jobs go.
      reason: expect.stringContaining('go to the built-in Sandbox'),
      paused: null,
      libraryDir: dirs.paths.library,
    })
  })

  it('submits a job, pushes jobs:changed and library:changed, and finds the video in the library', async () => {
    const { job } = await call<{ job: JobRecord }>('jobs:submit', {
      prompt: 'ipc lake at dawn',
      duration: 1,
      resolution: '720p',
    })
    await until(
      () =>
        events.some(
          (e) =>
            e.channel === 'jobs:changed' &&
            (e.payload as JobRecord).id === job.id &&
            (e.payload as JobRecord).state === 'done',
        ),
      30_000,
    )
    expect(events.some((e) => e.channel === 'library:changed')).toBe(true)
    const states = events
      .filter((e) => e.channel === 'jobs:changed' && (e.payload as JobRecord).id === job.id)
      .map((e) => (e.payload as JobRecord).state)
    expect(states).toEqual(expect.arrayContaining(['pending', 'submitting', 'queued', 'downloading', 'done']))
    const page = await call<{ total: number; items: LibraryEntry[] }>('library:query', { search: 'ipc lake' })
    expect(page.total).toBe(1)
    const id = page.items[0]?.id as string
    expect((await call<LibraryEntry>('library:favorite', { id, value: true })).favorite).toBe(true)
    expect((await call<LibraryEntry>('library:rename', { id, title: 'Dawn' })).title).toBe('Dawn')
    // The same request again: the video already made is offered instead of spending credits.
    const again = await call<{ job: JobRecord | null; existing: LibraryEntry | null }>('jobs:submit', {
      prompt: 'ipc lake at dawn',
      duration: 1,
      resolution: '720p',
    })
    expect(again).toMatchObject({ job: null, existing: { id } })
    expect((await call<JobRecord[]>('jobs:list')).map((j) => j.id)).toContain(job.id)
    expect((await call<{ jobs: number }>('usage:get')).jobs).toBeGreaterThanOrEqual(1)
    expect(await call('library:reveal', { id })).toEqual({ shown: true })
    expect(revealed).toEqual([engine.library.videoPath(engine.library.get(id) as LibraryEntry)])
    expect(await call('library:source-image', { id })).toBeNull() // a text-to-video has none
    expect(await call('library:drag', { id })).toEqual({ started: true })
    const entry = engine.library.get(id) as LibraryEntry
    expect(dragged).toEqual([[engine.library.videoPath(entry), engine.library.thumbnailPath(entry)]])
    expect(await call('library:delete', { ids: [id] })).toEqual({ removed: 1 })
    expect(await call('jobs:remove', { id: job.id })).toEqual({ removed: true })
    expect(events.some((e) => e.channel === 'jobs:removed' && (e.payload as { id: string }).id === job.id)).toBe(true)
    expect((await call<JobRecord[]>('jobs:list')).map((j) => j.id)).not.toContain(job.id)
  }, 60_000)

  it('joins the same request while it is in flight instead of sending (and paying for) it twice', async () => {
    const request = { prompt: 'ipc harbor at dusk, slow pan', duration: 1, resolution: '720p' }
    const first = await call<{ job: JobRecord; joined: boolean }>('jobs:submit', request)
    const second = await call<{ job: JobRecord; existing: LibraryEntry | null; joined: boolean }>('jobs:submit', {
      ...request,
      force: true, // even "generate again" does not pay twice for a video being made
    })
    expect(first.joined).toBe(false)
    expect(second).toMatchObject({ joined: true, existing: null, job: { id: first.job.id } })
    const same = (await call<JobRecord[]>('jobs:list')).filter((j) => j.fingerprint === first.job.fingerprint)
    expect(same.map((j) => j.id)).toEqual([first.job.id])
    await until(() => engine.jobs.get(first.job.id)?.state === 'done', 30_000)
  }, 60_000)

  it('takes an image as bytes (dropped or pasted) and rejects a bad one with INVALID_IMAGE', async () => {
    const png = new Uint8Array(await picture(800, 600))
    const { job } = await call<{ job: JobRecord }>('jobs:submit', {
      prompt: 'push in',
      duration: 1,
      resolution: '720p',
      image: { name: 'photo.png', data: png },
    })
    expect(job.request).toMatchObject({ mode: 'image', image: { name: 'photo.png' } })
    const bad = await call('jobs:submit', {
      prompt: 'x',
      image: { name: 'tiny.png', data: new Uint8Array(await picture(100, 100)) },
    }).catch((e: { code: string; message: string }) => e)
    expect(bad).toMatchObject({ code: 'INVALID_IMAGE', message: expect.stringContaining('100×100 px') })
    await until(() => ['done', 'failed'].includes(engine.jobs.get(job.id)?.state ?? ''), 30_000)
    const videoId = engine.jobs.get(job.id)?.videoId as string
    const source = await call<{ name: string; data: Uint8Array }>('library:source-image', { id: videoId })
    expect(source.name).toBe('photo.png')
    expect(Buffer.from(source.data).equals(Buffer.from(png))).toBe(true)
  }, 60_000)

  it('previews a CSV batch row by row, then queues only the ready rows', async () => {
    const csv = 'id,prompt,duration,resolution\nr1,batch river at noon,1,720p\nr2,,1,720p\nr3,batch desert,12,720p\n'
    // The CSV is a file picked in the OS dialog; main reads it (see batch-import.test.ts for the attacks).
    const file = path.join(dirs.root, 'plan.csv')
    await writeFile(file, csv)
    csvAnswer = file
    expect(await call('batch:choose-file')).toEqual({ file, name: 'plan.csv' })
    const rows = await call<Array<{ id: string; status: string; message: string | null }>>('batch:preview', { file })
    expect(rows.map((r) => [r.id, r.status])).toEqual([
      ['r1', 'ready'],
      ['r2', 'invalid'],
      ['r3', 'invalid'],
    ])
    expect(rows[1]?.message).toBe('The prompt is empty.')
    expect(await call('batch:submit', { file })).toEqual({ queued: 1, joined: 0, exists: 0, invalid: 2 })
    expect(
      engine.jobs
        .list()
        .filter((j) => j.batch?.file === file)
        .map((j) => j.batch?.row),
    ).toEqual(['r1'])
    const bad = path.join(dirs.root, 'x.csv')
    await writeFile(bad, 'name,text\na,b\n')
    csvAnswer = bad
    await call('batch:choose-file')
    await expect(call('batch:preview', { file: bad })).rejects.toMatchObject({
      code: 'INVALID_BATCH',
      message: expect.stringContaining('"id" column'),
    })
  }, 30_000)

  it('sends an image URL as image_url for the service to fetch', async () => {
    const jpeg = await picture(900, 600, 'jpeg')
    const server = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg))
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/photo.jpg`
      const { job } = await call<{ job: JobRecord }>('jobs:submit', {
        prompt: 'pan left',
        duration: 1,
        resolution: '720p',
        imageUrl: url,
      })
      expect(job.request).toMatchObject({ mode: 'image', image: null, imageUrl: url })
      await until(() => ['done', 'failed'].includes(engine.jobs.get(job.id)?.state ?? ''), 30_000)
      const done = engine.jobs.get(job.id)
      expect(done?.state).toBe('done')
      expect(engine.library.get(done?.videoId ?? '')).toMatchObject({
        mode: 'image',
        aspectRatio: '16:9',
        image: { name: url },
      })
      await expect(call('jobs:submit', { prompt: 'x', imageUrl: 'ftp://example.com/a.jpg' })).rejects.toMatchObject({
        code: 'INVALID_IMAGE',
      })
      // The engine checks motion for a URL as for a file (the CLI reaches it without the IPC schema).
      await expect(engine.prepare({ prompt: 'x', imageUrl: url, motionIntensity: 1.5 })).rejects.toMatchObject({
        code: 'INVALID_MOTION_INTENSITY',
      })
      // Plain http only to this machine, by the one loopback rule the service address uses (127.0.0.0/8, ::1).
      await expect(engine.prepare({ prompt: 'x', imageUrl: 'http://127.0.0.2:9/a.jpg' })).resolves.toMatchObject({
        imageUrl: 'http://127.0.0.2:9/a.jpg',
      })
      await expect(engine.prepare({ prompt: 'x', imageUrl: 'http://example.com/a.jpg' })).rejects.toMatchObject({
        code: 'INVALID_IMAGE',
      })
    } finally {
      server.close()
    }
  }, 60_000)

  it('rejects malformed requests before they reach the engine', async () => {
    await expect(call('jobs:submit', { prompt: 'x', duration: 1.5 })).rejects.toMatchObject({
      code: 'IPC_INVALID_PAYLOAD',
    })
    // A whole number past the chosen model's maximum is the engine's to refuse, by that model's rule.
    await expect(call('jobs:submit', { prompt: 'x', duration: 12 })).rejects.toMatchObject({
      code: 'INVALID_DURATION',
    })
    await expect(call('library:delete', { ids: [] })).rejects.toMatchObject({ code: 'IPC_INVALID_PAYLOAD' })
    await expect(call('jobs:cancel', { id: 'no-such-job' })).rejects.toMatchObject({ code: 'JOB_NOT_FOUND' })
  })

  it('changes the library folder only to a folder the user picked in the OS dialog', async () => {
    await until(() => engine.jobs.inFlightCount() === 0, 30_000, 'jobs to finish')
    const location = await call<{ dir: string; videos: number; freeBytes: number }>('library:location')
    expect(location).toMatchObject({ dir: dirs.paths.library })
    expect(location.freeBytes).toBeGreaterThan(0)
    const target = path.join(dirs.root, 'picked library')
    // A path the renderer makes up is refused: only the picker's answer is trusted.
    await expect(call('library:inspect-folder', { dir: target })).rejects.toMatchObject({ code: 'FOLDER_NOT_CHOSEN' })
    await expect(call('library:change-folder', { dir: target, mode: 'move' })).rejects.toMatchObject({
      code: 'FOLDER_NOT_CHOSEN',
    })
    folderAnswer = null
    expect(await call('library:choose-folder')).toEqual({ dir: null })
    folderAnswer = target
    expect(await call('library:choose-folder')).toEqual({ dir: target })
    expect(await call('library:inspect-folder', { dir: target })).toMatchObject({ dir: target, problem: null })
    const before = engine.library.size
    events.length = 0
    const change = await call<{ dir: string; videos: number }>('library:change-folder', { dir: target, mode: 'move' })
    expect(change).toMatchObject({ dir: target, videos: before })
    expect(await call('engine:status')).toMatchObject({ libraryDir: target })
    expect(events.some((e) => e.channel === 'library:changed')).toBe(true)
    // Used once: picking is needed again for the next change.
    await expect(call('library:change-folder', { dir: target, mode: 'rescan' })).rejects.toMatchObject({
      code: 'FOLDER_NOT_CHOSEN',
    })
  }, 60_000)

  it('locates a missing video only with a file the user picked in the OS dialog', async () => {
    const lib = engine.library
    const file = path.join(lib.dir, 'located.mp4')
    await writeFile(file, await renderClip())
    await lib.add(record({ id: 'locate-me', file: 'located.mp4', fingerprint: null, favorite: true }))
    const aside = path.join(dirs.root, 'on another drive.mp4')
    await rename(file, aside)
    expect(await call('library:rescan')).toMatchObject({ missing: 1 })
    expect(
      (await call<{ items: LibraryEntry[] }>('library:query', {})).items.find((e) => e.id === 'locate-me'),
    ).toMatchObject({
      missing: true,
      favorite: true,
    })
    // Cancelled: nothing changes. A path sent by the renderer is not even read.
    fileAnswer = null
    expect(await call('library:locate', { id: 'locate-me', file: aside })).toBeNull()
    expect(lib.get('locate-me')?.missing).toBe(true)
    // Picked in the dialog: copied into the library (the picked file is left where it was).
    fileAnswer = aside
    expect(await call('library:locate', { id: 'locate-me' })).toMatchObject({
      how: 'copied',
      entry: { id: 'locate-me', file: 'located.mp4', missing: false, favorite: true },
    })
    await expect(call('library:locate', { id: 'locate-me' })).rejects.toMatchObject({ code: 'VIDEO_NOT_MISSING' })
    await expect(call('library:locate', { id: 'no-such-video' })).rejects.toMatchObject({ code: 'VIDEO_NOT_FOUND' })
    await copyFile(path.join(lib.dir, 'located.mp4'), aside)
    expect(await call('library:delete', { ids: ['locate-me'] })).toEqual({ removed: 1 })
  }, 60_000)
})
