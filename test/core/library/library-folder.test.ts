// Changing the library folder through the engine: move or rescan, refused while jobs would still save into
// it, remembered in the settings, and a move cut short by a killed app finished at the next start.
import { copyFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../../electron/core/engine'
import { writeMoveMarker } from '../../../electron/core/library/relocate'
import { Keychain } from '../../../electron/core/secrets/keychain'
import { readSettingsFile } from '../../../electron/core/settings/settings'
import { renderClip } from '../../fixtures/clip'
import { entry } from '../../fixtures/records'
import { type TestDirs, testDirs, until } from '../jobs/engine-helpers'
import { openEngineOnSandbox } from '../sandbox-engine'

let clip: Uint8Array
beforeAll(async () => {
  clip = await renderClip()
}, 60_000)

let dirs: TestDirs
let engine: Engine | null = null
afterEach(async () => {
  await engine?.close()
  engine = null
  await dirs.cleanup()
})

async function open(genSeconds = 0.3): Promise<Engine> {
  engine = await openEngineOnSandbox({
    paths: dirs.paths,
    role: 'app',
    sandbox: 'setting',
    keychain: new Keychain({ env: {} }),
    sandboxOptions: { genSeconds: { min: genSeconds, max: genSeconds } },
  })
  return engine
}

/** A finished video put straight into the library (as a download would), where the job itself is not the point. */
async function addVideo(e: Engine, id: string): Promise<string> {
  const file = `${id}.mp4`
  await writeFile(path.join(e.library.dir, file), clip)
  await e.library.add(entry({ id, file, fingerprint: `fp-${id}`, sizeBytes: clip.length, thumbnail: null }))
  return id
}

async function makeVideo(e: Engine, prompt: string): Promise<string> {
  const job = await e.jobs.submit(await e.prepare({ prompt, duration: 1, resolution: '720p' }))
  await until(() => e.jobs.get(job.id)?.state === 'done', 30_000, `${prompt} done`)
  return e.jobs.get(job.id)?.videoId as string
}

describe('changing the library folder', () => {
  it('moves the videos, saves into the new folder from then on, and remembers it', async () => {
    dirs = await testDirs()
    const e = await open()
    const first = await addVideo(e, 'lighthouse')
    const oldDir = e.library.dir
    const changes: number[] = []
    e.onLibraryChange(() => changes.push(e.library.size))
    const target = path.join(dirs.root, 'external drive', 'Seedance')

    const location = await e.libraryLocation()
    expect(location).toMatchObject({ dir: oldDir, videos: 1 })
    expect(location.bytes).toBeGreaterThan(0)
    expect(location.freeBytes).toBeGreaterThan(0)

    const change = await e.changeLibraryFolder(target, 'move')
    expect(change).toMatchObject({ dir: target, videos: 1, moved: { moved: 1, renamed: 0 } })
    expect(e.library.dir).toBe(target)
    expect(e.settings.libraryDir).toBe(target)
    expect(changes.length).toBeGreaterThan(0)
    const moved = e.library.get(first)
    expect(moved && (await readdir(target))).toContain(moved?.file)
    expect((await readdir(oldDir).catch(() => [])).filter((n) => n.endsWith('.mp4'))).toEqual([])

    // New videos land in the new folder, and the library's changes still reach listeners.
    const before = changes.length
    const second = await makeVideo(e, 'library move harbour')
    expect(await readdir(target)).toContain(e.library.get(second)?.file)
    expect(changes.length).toBeGreaterThan(before)

    // Saved: the next start opens the new folder.
    expect((await readSettingsFile(dirs.paths.settingsFile, dirs.paths.library)).settings.libraryDir).toBe(target)
    await e.close()
    engine = null
    const again = await open()
    expect(again.library.dir).toBe(target)
    expect(again.library.size).toBe(2)
  }, 60_000)

  it('uses a folder as it is (rescan): the videos already there join the library', async () => {
    dirs = await testDirs()
    const e = await open()
    const other = path.join(dirs.root, 'found footage')
    await mkdir(other)
    await writeFile(path.join(other, 'holiday.mp4'), clip)
    expect(await e.inspectLibraryFolder(other)).toMatchObject({ exists: true, videos: 1, isLibrary: false })
    const change = await e.changeLibraryFolder(other, 'rescan')
    expect(change).toMatchObject({ dir: other, videos: 1, moved: null })
    expect(e.library.all().map((v) => v.title)).toEqual(['holiday'])
  }, 30_000)

  it('refuses while a job is unfinished, and refuses a folder it cannot use, changing nothing', async () => {
    dirs = await testDirs()
    const e = await open(3)
    const job = await e.jobs.submit(await e.prepare({ prompt: 'slow one', duration: 1, resolution: '720p' }))
    await until(() => e.jobs.get(job.id)?.state !== 'pending', 10_000, 'the job to be sent')
    const target = path.join(dirs.root, 'elsewhere')
    await expect(e.changeLibraryFolder(target, 'move')).rejects.toMatchObject({
      code: 'JOBS_ACTIVE',
      message: expect.stringContaining('1 job is still running'),
    })
    await until(() => e.jobs.get(job.id)?.state === 'done', 30_000)
    await expect(e.changeLibraryFolder(e.library.dir, 'move')).rejects.toMatchObject({
      code: 'INVALID_FOLDER',
      message: 'This is already the library folder.',
    })
    await writeFile(target, 'not a folder')
    await expect(e.changeLibraryFolder(target, 'rescan')).rejects.toMatchObject({ code: 'INVALID_FOLDER' })
    await expect(e.updateSettings({ libraryDir: target })).rejects.toMatchObject({ code: 'INVALID_FOLDER' })
    expect(e.settings.libraryDir).toBe(dirs.paths.library)
    expect(e.library.size).toBe(1)
  }, 60_000)

  it('holds jobs not yet sent while the folder changes; they run after and save into the new folder', async () => {
    dirs = await testDirs()
    const e = await open()
    // A job waiting to be sent does not block the change (an outer hold keeps it waiting, as a slow move would).
    const outer = e.jobs.holdSubmissions()
    const job = await e.jobs.submit(await e.prepare({ prompt: 'held while moving', duration: 1, resolution: '720p' }))
    await new Promise((r) => setTimeout(r, 300))
    expect(e.jobs.get(job.id)?.state).toBe('pending')
    const target = path.join(dirs.root, 'new place')
    await e.changeLibraryFolder(target, 'move')
    expect(e.jobs.get(job.id)?.state).toBe('pending')
    outer()
    await until(() => e.jobs.get(job.id)?.state === 'done', 30_000, 'the held job')
    const video = e.library.get(e.jobs.get(job.id)?.videoId as string)
    expect(await readdir(target)).toContain(video?.file)
  }, 30_000)

  it('finishes, at the next start, a move that a killed app left half done', async () => {
    dirs = await testDirs()
    const e = await open()
    const a = await addVideo(e, 'cut-short-one')
    const b = await addVideo(e, 'cut-short-two')
    await e.library.flush()
    const oldDir = e.library.dir
    const fileA = e.library.get(a)?.file as string
    await e.close()
    engine = null
    // What a run killed after placing the first video leaves: marker, that video and its metadata moved.
    const target = path.join(dirs.root, 'new home')
    await mkdir(path.join(target, '.seedance', 'meta'), { recursive: true })
    await writeMoveMarker(oldDir, target, dirs.paths.userData)
    await copyFile(path.join(oldDir, fileA), path.join(target, fileA))
    await rm(path.join(oldDir, fileA))
    await copyFile(
      path.join(oldDir, '.seedance', 'meta', `${a}.json`),
      path.join(target, '.seedance', 'meta', `${a}.json`),
    )

    const resumed = await open()
    expect(resumed.library.dir).toBe(target)
    expect(
      resumed.library
        .all()
        .map((v) => v.id)
        .sort(),
    ).toEqual([a, b].sort())
    expect((await readdir(target)).filter((n) => n.endsWith('.mp4'))).toHaveLength(2)
    expect(JSON.parse(await readFile(dirs.paths.settingsFile, 'utf8')).libraryDir).toBe(target)
  }, 60_000)

  it.each([
    ['a folder of its choosing', (root: string) => path.join(root, 'attacker picked')],
    // `//host/share` form; on POSIX it names a folder under root, so a regression stays inside the test's folder.
    ['a network share', (root: string) => `/${path.join(root, 'net share')}`],
  ])(
    'does not move the library to %s named by a moving.json the app did not write',
    async (_what, target) => {
      dirs = await testDirs()
      const e = await open()
      const a = await addVideo(e, 'stays-put')
      await e.library.flush()
      const libraryDir = e.library.dir
      await e.close()
      engine = null
      const to = target(dirs.root)
      // A library folder that arrives with a marker in it (unzipped, synced, shared).
      await writeFile(path.join(libraryDir, '.seedance', 'moving.json'), JSON.stringify({ to }))
      const reopened = await open()
      expect(reopened.library.dir).toBe(libraryDir)
      expect(reopened.library.get(a)?.missing).toBe(false)
      expect(await readdir(dirs.root)).not.toContain('attacker picked')
      expect(await readdir(dirs.root)).not.toContain('net share')
      expect(
        JSON.parse(await readFile(dirs.paths.settingsFile, 'utf8').catch(() => '{}')).libraryDir ?? libraryDir,
      ).toBe(libraryDir)
    },
    60_000,
  )
})
