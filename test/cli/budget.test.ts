// `seedance budget` (issue 11 point 5): caps set and cleared from the command line, kept in the data folder; a run
// whose job would pass a cap does not send it, says why and exits 7 (held); raising the cap and `seedance resume`
// finish it. Over the built-in Sandbox (real HTTP), with a temporary data folder.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EXIT } from '../../electron/cli/exit-codes'
import { memoryBackend, runMain } from './run-main'

let tmp: string
let env: Record<string, string>
beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'cli-budget-'))
  env = { SEEDANCE_DATA_DIR: path.join(tmp, 'data'), SEEDANCE_LIBRARY: path.join(tmp, 'videos') }
})
afterEach(() => rm(tmp, { recursive: true, force: true }))

const run = (args: string[]) => runMain(args, { env, backend: memoryBackend() })

describe('seedance budget', () => {
  it('sets, shows and clears caps; refuses a unit the provider does not count in', async () => {
    const set = await run(['budget', 'set', '--provider', 'fal', '--daily', '0.5', '--monthly', '10', '--unit', 'usd'])
    expect(set.code).toBe(EXIT.ok)
    expect(set.stdout).toMatch(/daily +cap \$0\.50: \$0\.00 spent, \$0\.00 held, \$0\.50 left; resets/)
    expect(set.stdout).toMatch(/monthly +cap \$10\.00/)
    const shown = await run(['budget', '--json'])
    const fal = JSON.parse(shown.stdout).providers.find((p: { provider: string }) => p.provider === 'fal')
    expect(fal.caps.map((c: { period: string }) => c.period)).toEqual(['daily', 'monthly'])

    const wrong = await run(['budget', 'set', '--provider', 'seedance', '--daily', '5', '--unit', 'tokens'])
    expect(wrong.code).toBe(EXIT.usage)
    expect(wrong.stderr).toContain('--unit for Seedance API is credits')
    expect((await run(['budget', 'set', '--provider', 'fal', '--daily', '-1'])).code).toBe(EXIT.usage)

    const cleared = await run(['budget', 'clear', '--provider', 'fal', '--period', 'daily'])
    expect(cleared.code).toBe(EXIT.ok)
    expect(cleared.stdout).not.toContain('daily ')
    expect(cleared.stdout).toMatch(/monthly +cap \$10\.00/)
  })

  it('exits 7 with the reason when a job is held by a cap, and finishes it once the cap is raised', async () => {
    expect((await run(['budget', 'set', '--provider', 'seedance', '--daily', '2'])).code).toBe(EXIT.ok)
    // 4 s at 720p costs 3 credits on the guide's door: more than the cap.
    const held = await run([
      'generate',
      'held by the cap',
      '--provider',
      'seedance',
      '--duration',
      '4',
      '--resolution',
      '720p',
    ])
    expect(held.code).toBe(EXIT.held)
    expect(held.stderr).toContain("Seedance API's daily cap of 2 credits would be passed")
    expect(held.stderr).toContain('2 credits left, and the next job needs 3 credits')
    expect(held.stderr).toContain('seedance budget')
    const jobs = JSON.parse((await run(['jobs', '--json'])).stdout)
    expect(jobs.map((j: { state: string }) => j.state)).toEqual(['pending'])
    expect((await run(['budget'])).stdout).toMatch(/HELD: Seedance API's daily cap of 2 credits would be passed/)

    expect((await run(['budget', 'set', '--provider', 'seedance', '--daily', '5'])).code).toBe(EXIT.ok)
    const resumed = await run(['resume'])
    expect(resumed.code).toBe(EXIT.ok)
    const after = await run(['budget'])
    expect(after.stdout).toMatch(/today 3 credits/)
    expect(after.stdout).toMatch(/daily +cap 5 credits: 3 credits spent, 0 credits held, 2 credits left/)
  }, 60_000)
})
