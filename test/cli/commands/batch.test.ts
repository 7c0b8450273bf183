// A batch CSV's provider and model columns (issue 10): a row's own door and model, else the run's; every mistake
// is reported for its row, and never stops the others.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runMain } from '../run-main'

let tmp: string
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'cli-batch-target-'))
})
afterAll(() => rm(tmp, { recursive: true, force: true }))

const dirs = (name: string) => ['--data-dir', path.join(tmp, name, 'data'), '--library', path.join(tmp, name, 'videos')]

describe('seedance batch: provider and model columns', () => {
  it('checks each row’s door and model against the catalog, with the run’s --provider for rows naming only a model', async () => {
    const csv = path.join(tmp, 'doors.csv')
    await writeFile(
      csv,
      [
        'id,prompt,duration,provider,model',
        'nodoor,a cat,5,openai,',
        'twodoors,a dog,5,,bytedance/seedance-2.0',
        'wrongdoor,a bird,5,seedance,seedance-1-0-pro-250528',
      ].join('\n'),
    )
    const out = path.join(tmp, 'results.csv')
    const r = await runMain(['batch', csv, '--results', out, ...dirs('doors')])
    expect(r.code).toBe(2)
    const results = parse(await readFile(out, 'utf8'), { columns: true }) as Record<string, string>[]
    const by = Object.fromEntries(results.map((x) => [x.id, x]))
    expect(by.nodoor?.error).toBe('line 2: provider "openai" is not one of seedance, ark, fal, replicate.')
    expect(by.twodoors?.error).toBe(
      'line 3: The model column "bytedance/seedance-2.0" is offered by fal and replicate: choose one with the provider column (or --provider).',
    )
    expect(by.wrongdoor?.error).toBe(
      'line 4: The model column "seedance-1-0-pro-250528" is not a model of seedance. Its models: standard.',
    )
    expect(r.stderr).toContain('doors.csv: row wrongdoor (line 4): The model column')
  })

  it('takes a row naming only a model at the run’s --provider', async () => {
    const csv = path.join(tmp, 'run.csv')
    await writeFile(csv, ['id,prompt,model', 'ark-model,a fish,seedance-1-0-pro-250528'].join('\n'))
    const out = path.join(tmp, 'run-results.csv')
    const r = await runMain(['batch', csv, '--results', out, '--provider', 'replicate', ...dirs('run')])
    expect(r.code).toBe(2)
    const [row] = parse(await readFile(out, 'utf8'), { columns: true }) as Record<string, string>[]
    expect(row?.error).toBe(
      'line 2: The model column "seedance-1-0-pro-250528" is not a model of replicate. Its models: bytedance/seedance-1-pro, bytedance/seedance-1-pro-fast, bytedance/seedance-1.5-pro, bytedance/seedance-2.0, bytedance/seedance-2.0-fast, bytedance/seedance-2.5.',
    )
  })
})
