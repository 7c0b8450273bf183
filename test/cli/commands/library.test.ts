// `seedance library` and `seedance jobs` show which door and model made each video, and the library filters by them.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runMain } from '../run-main'

let tmp: string
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'cli-library-doors-'))
})
afterAll(() => rm(tmp, { recursive: true, force: true }))

describe('seedance library and jobs: provider and model', () => {
  it('lists the door and model, and filters by them (a video made before the doors is the guide’s)', async () => {
    const args = ['--data-dir', path.join(tmp, 'data'), '--library', path.join(tmp, 'videos')]
    const made = await runMain(['generate', 'a heron at dawn', '--duration', '1', '--resolution', '720p', ...args])
    expect(made.code).toBe(0)
    const all = await runMain(['library', ...args])
    expect(all.stdout).toContain('a heron at dawn  (Seedance API · Seedance (standard tier))')
    const guide = await runMain(['library', '--provider', 'seedance', '--model', 'standard', ...args])
    expect(guide.stderr).toContain('1 video.')
    const ark = await runMain(['library', '--provider', 'ark', ...args])
    expect(ark.stderr).toContain('0 videos.')
    const bad = await runMain(['library', '--provider', 'arq', ...args])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--provider "arq" is not a provider. Did you mean "ark"?')
    const jobs = await runMain(['jobs', ...args])
    expect(jobs.stdout).toContain('Seedance API · Seedance (standard tier)')
  }, 120_000)
})
