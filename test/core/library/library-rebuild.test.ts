// Issue 11, point 1: every video the engine saves carries its settings inside, so a library folder copied without
// its .seedance folder (to another machine, a backup that skipped hidden folders) rebuilds its whole metadata from
// the files alone: prompt, door and model, seed, settings, source images, job id, date, fingerprint.
import { copyFile, mkdir, readdir } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../../electron/core/engine'
import { Library } from '../../../electron/core/library/library'
import { Keychain } from '../../../electron/core/secrets/keychain'
import { readSettingsFile } from '../../../electron/node/mp4-settings-file'
import type { LibraryEntry } from '../../../electron/shared/model'
import { picture } from '../../fixtures/images'
import { decode, ffprobeTags, tools } from '../../fixtures/media-tools'
import { finished, type TestDirs, testDirs, until } from '../jobs/engine-helpers'
import { openEngineOnSandbox } from '../sandbox-engine'

let dirs: TestDirs
let engine: Engine
const made: LibraryEntry[] = []

beforeAll(async () => {
  dirs = await testDirs()
  engine = await openEngineOnSandbox({
    paths: dirs.paths,
    role: 'app',
    sandbox: 'always',
    keychain: new Keychain({ env: {} }),
    sandboxOptions: { genSeconds: { min: 0.3, max: 0.3 } },
  })
  const inputs = [
    { provider: 'seedance' as const, prompt: 'harbor at dusk, slow pan', duration: 2, resolution: '720p' as const },
    {
      provider: 'ark' as const,
      prompt: 'a lighthouse in the fog, the camera still',
      image: { name: 'lighthouse.png', data: new Uint8Array(await picture(640, 360)) },
      duration: 2,
      resolution: '480p' as const,
      aspectRatio: '16:9' as const,
      seed: 4242,
      cameraFixed: true,
    },
  ]
  for (const input of inputs) {
    const outcome = (await engine.submit(input)) as { job: { id: string } }
    await until(() => finished(engine.jobs.get(outcome.job.id)), 60_000, 'the video saved')
    const entry = engine.library.get(outcome.job.id)
    if (!entry) throw new Error(`no video for ${input.prompt}: ${JSON.stringify(engine.jobs.get(outcome.job.id))}`)
    made.push(entry)
  }
}, 120_000)
afterAll(async () => {
  await engine?.close()
  await dirs?.cleanup()
})

describe('a library folder copied without .seedance', () => {
  it('each saved video carries its settings, readable by ffprobe, and still decodes', async () => {
    for (const e of made) {
      const file = engine.library.videoPath(e)
      const { settings } = await readSettingsFile(file)
      expect(settings).toMatchObject({ jobId: e.id, prompt: e.prompt, provider: e.provider, model: e.model })
      if (!tools.ffprobe) continue
      expect(JSON.parse(ffprobeTags(file).settings as string)).toMatchObject({ jobId: e.id, seed: e.seed })
      expect(decode(file).errors).toBe('')
    }
    expect(made[1]).toMatchObject({ cameraFixed: true, seed: 4242, image: { name: 'lighthouse.png' } })
  })

  it('rebuilds every entry from the files alone', async () => {
    const copy = path.join(dirs.root, 'copied library')
    await mkdir(copy)
    for (const name of await readdir(engine.library.dir))
      if (name.endsWith('.mp4')) await copyFile(path.join(engine.library.dir, name), path.join(copy, name))
    const rebuilt = await Library.open(copy)
    expect(rebuilt.size).toBe(made.length)
    for (const e of made) {
      const again = rebuilt.get(e.id)
      // All the app knew, but what lives only in .seedance: the thumbnail, the service's last-frame image (Ark's),
      // and the user's favourite mark.
      const { thumbnail: _t, favorite: _f, missing: _m, lastFrame: _l, ...known } = e
      expect(again).toMatchObject({ ...known, external: false, thumbnail: null, lastFrame: null })
    }
    // And the same request still finds the video already made (its fingerprint came back with it).
    expect(rebuilt.findByFingerprint(made[1]?.fingerprint as string)?.id).toBe(made[1]?.id)
  })
})
