// A sweep queued in one step over the Sandbox (issue 11, point 4): every cell its model can make becomes a job
// tagged with the sweep and what varied, through two providers at once; the videos they make carry the tag in the
// library (and in their metadata file); a refused grid queues nothing; the same sweep again pays for nothing twice.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../../electron/core/engine'
import { submitSweep } from '../../../electron/core/jobs/sweep'
import { Keychain } from '../../../electron/core/secrets/keychain'
import type { SweepSpec } from '../../../electron/shared/sweep'
import { openEngineOnSandbox } from '../sandbox-engine'
import { finished, type TestDirs, testDirs, until } from './engine-helpers'

let dirs: TestDirs
let engine: Engine

beforeAll(async () => {
  dirs = await testDirs()
  engine = await openEngineOnSandbox({
    paths: dirs.paths,
    role: 'app',
    sandbox: 'always',
    keychain: new Keychain({ env: {} }),
    sandboxOptions: { genSeconds: { min: 0.3, max: 0.3 } },
  })
})
afterAll(async () => {
  await engine.close()
  await dirs.cleanup()
})

const grid: SweepSpec = {
  prompts: ['a paper boat on a pond', 'a lantern in the fog'],
  seeds: [11],
  models: [
    { provider: 'ark', model: 'seedance-1-0-pro-250528' },
    { provider: 'fal', model: 'bytedance/seedance-2.0' },
    // Makes no 480p (nor takes a seed): its cells are refused and never queued.
    { provider: 'seedance', model: 'standard' },
  ],
  durations: [4],
  resolutions: ['480p'],
}

describe('submitSweep over the Sandbox', () => {
  it('queues every cell its model can make, tagged with the sweep, and their videos keep the tag', async () => {
    const before = engine.jobs.list().length
    const result = await submitSweep(engine, grid)
    expect(result.cells.map((c) => c.status)).toEqual(['queued', 'queued', 'refused', 'queued', 'queued', 'refused'])
    expect(result.cells[2]?.message).toBe(
      'Seedance (standard tier) on Seedance API makes 720p, 1080p videos, not 480p.',
    )
    const jobs = engine.jobs.list().filter((j) => j.sweep?.id === result.id)
    expect(engine.jobs.list().length - before).toBe(4)
    expect(jobs.map((j) => j.request.provider).sort()).toEqual(['ark', 'ark', 'fal', 'fal'])
    const fox = jobs.find((j) => j.request.prompt === 'a lantern in the fog' && j.request.provider === 'fal')
    expect(fox?.sweep?.vary).toEqual({ prompt: 'a lantern in the fog', model: 'fal.ai · Seedance 2.0' })
    expect(fox?.request).toMatchObject({ seed: 11, duration: 4, resolution: '480p', aspectRatio: '16:9' })

    await until(() => jobs.every((j) => finished(engine.jobs.get(j.id))), 100_000, 'the sweep to finish')
    for (const job of jobs) {
      const done = engine.jobs.get(job.id)
      expect(done?.state).toBe('done')
      const entry = engine.library.get(done?.videoId as string)
      expect(entry?.sweep).toEqual(job.sweep)
    }
    // The tag is written into the video's metadata file, so it survives a library rebuilt from .seedance/meta.
    const first = engine.library.get(engine.jobs.get(jobs[0]?.id as string)?.videoId as string)
    const meta = JSON.parse(
      await readFile(path.join(dirs.paths.library, '.seedance', 'meta', `${first?.id}.json`), 'utf8'),
    )
    expect(meta.sweep).toEqual(jobs[0]?.sweep)
  }, 120_000)

  it('asked again, offers the videos already made instead of paying twice', async () => {
    const before = engine.jobs.list().length
    const again = await submitSweep(engine, grid)
    expect(again.cells.filter((c) => c.status !== 'refused').map((c) => c.status)).toEqual([
      'exists',
      'exists',
      'exists',
      'exists',
    ])
    expect(again.cells.every((c) => c.status === 'refused' || c.videoId)).toBe(true)
    expect(engine.jobs.list().length).toBe(before)
  })

  it('refuses a grid past the limit, or one with nothing to make, before queueing anything', async () => {
    const before = engine.jobs.list().length
    const big = { ...grid, seeds: Array.from({ length: 30 }, (_, i) => i), models: grid.models.slice(0, 2) }
    await expect(submitSweep(engine, big)).rejects.toMatchObject({
      code: 'SWEEP_TOO_LARGE',
      message:
        'This sweep makes 120 jobs (2 prompts × 30 seeds × 2 models × 1 duration × 1 resolution); a sweep makes at most 100. Remove some values.',
    })
    await expect(
      submitSweep(engine, { ...grid, models: [{ provider: 'seedance', model: 'standard' }] }),
    ).rejects.toMatchObject({ code: 'SWEEP_NOTHING_TO_QUEUE' })
    expect(engine.jobs.list().length).toBe(before)
  })
})
