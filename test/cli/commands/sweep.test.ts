// `seedance sweep` (issue 11, point 4): the grid and its cost printed before anything is queued (--dry-run queues
// nothing at all), then every job made over the Sandbox and reported like a batch, one row per job named by what
// varied; a grid past the limit, or a model no provider has, is a usage error.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runMain } from '../run-main'

let tmp: string
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'cli-sweep-'))
})
afterAll(() => rm(tmp, { recursive: true, force: true }))

const dirs = (name: string) => ['--data-dir', path.join(tmp, name, 'data'), '--library', path.join(tmp, name, 'videos')]
const ARK = 'ark:seedance-1-0-pro-250528'
const FAL = 'fal:bytedance/seedance-2.0'

describe('seedance sweep', () => {
  it('--dry-run prints every job with its cost and the totals per provider and in USD, and queues nothing', async () => {
    const args = ['sweep', '--prompt', 'a fox', '--prompt', 'a whale', '--seed', '1', '--seed', '2']
    const r = await runMain([
      ...args,
      '--model',
      ARK,
      '--model',
      FAL,
      '--resolution',
      '480p',
      '--dry-run',
      ...dirs('dry'),
    ])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Sweep: 8 jobs, 8 to queue.')
    // 480p 16:9 is 864×480: × 24 fps × 5 s / 1024 = 48,600 tokens; $2.5 and $14 per million.
    expect(r.stdout).toContain(
      '  1  a fox · seed 1 · BytePlus ModelArk · Seedance 1.0 Pro (5 s, 480p): ≈ 48,600 tokens (≈ $0.12)',
    )
    expect(r.stdout).toContain('  8  a whale · seed 2 · fal.ai · Seedance 2.0 (5 s, 480p): ≈ 48,600 tokens (≈ $0.68)')
    expect(r.stdout).toContain('  BytePlus ModelArk: 4 jobs, ≈ 194,400 tokens (≈ $0.49)')
    expect(r.stdout).toContain('  fal.ai: 4 jobs, ≈ 194,400 tokens (≈ $2.72)')
    expect(r.stdout).toContain('  USD: ≈ $3.21')
    const jobs = await runMain(['jobs', '--json', ...dirs('dry')])
    expect(JSON.parse(jobs.stdout)).toEqual([])
  })

  it('names each job its model refuses, and leaves it out of the total', async () => {
    const r = await runMain([
      'sweep',
      '--prompt',
      'a fox',
      '--model',
      'seedance:standard',
      '--model',
      ARK,
      '--duration',
      '10',
      '--dry-run',
      ...dirs('refused'),
    ])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Sweep: 2 jobs, 1 to queue, 1 refused.')
    expect(r.stdout).toContain(
      '  1  Seedance API · Seedance (standard tier) (10 s, 1080p): refused: Seedance (standard tier) on Seedance API makes videos of 1–8 s (whole seconds); 10 s is not one of them.',
    )
    expect(r.stdout).not.toContain('Seedance API: 1 job')
  })

  it('refuses a grid of more than 100 jobs, and a model no provider has, before opening anything', async () => {
    const seeds = Array.from({ length: 51 }, (_, i) => ['--seed', String(i)]).flat()
    const big = await runMain(['sweep', '--prompt', 'a', '--prompt', 'b', ...seeds, '--model', ARK, ...dirs('big')])
    expect(big.code).toBe(2)
    expect(big.stderr).toContain(
      'This sweep makes 102 jobs (2 prompts × 51 seeds × 1 model × 1 duration × 1 resolution); a sweep makes at most 100.',
    )
    const unknown = await runMain(['sweep', '--prompt', 'a', '--model', 'ark:seedance-9', ...dirs('big')])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('--model "seedance-9" is not a model of ark.')
  })

  it('makes every job through two providers and reports one row per job, named by what varied', async () => {
    const out = path.join(tmp, 'results.csv')
    const args = ['sweep', '--prompt', 'a paper boat', '--seed', '4', '--seed', '5', '--model', ARK, '--model', FAL]
    const r = await runMain([...args, '--duration', '4', '--resolution', '480p', '--results', out, ...dirs('run')])
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('Sweep: 4 jobs, 4 to queue.')
    const rows = parse(await readFile(out, 'utf8'), { columns: true }) as Record<string, string>[]
    expect(rows.map((row) => [row.id, row.status])).toEqual([
      ['1 seed 4 · BytePlus ModelArk · Seedance 1.0 Pro', 'done'],
      ['2 seed 4 · fal.ai · Seedance 2.0', 'done'],
      ['3 seed 5 · BytePlus ModelArk · Seedance 1.0 Pro', 'done'],
      ['4 seed 5 · fal.ai · Seedance 2.0', 'done'],
    ])
    for (const row of rows) expect(row.video).toMatch(/\.mp4$/)
    // Again: every video is already in the library, so nothing is paid for twice.
    const again = await runMain([...args, '--duration', '4', '--resolution', '480p', ...dirs('run')])
    expect(again.code).toBe(0)
    const second = parse(again.stdout, { columns: true }) as Record<string, string>[]
    expect(second.map((row) => row.status)).toEqual(['exists', 'exists', 'exists', 'exists'])
  }, 120_000)
})
