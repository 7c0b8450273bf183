// Ctrl-C during `seedance batch` (issue 9 review): the run still writes its results file, every row in it (those
// not finished are pending: a rerun joins them), and exits 130. A child process, as a user runs it, against a
// Sandbox the test runs as if it were Seedance Cloud, whose jobs take an hour: a row stays queued until the signal.
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Sandbox, startSandbox } from '../../electron/sandbox/server'

const root = path.resolve(import.meta.dirname, '../..')
let tmp: string
let sandbox: Sandbox
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'cli-interrupt-'))
  sandbox = await startSandbox({ genSeconds: { min: 3600, max: 3600 } })
})
afterAll(async () => {
  await sandbox.close()
  await rm(tmp, { recursive: true, force: true })
})

describe('seedance batch interrupted', () => {
  it('Ctrl-C while a row is queued: the results file is written with every row, exit 130', async () => {
    const csv = path.join(tmp, 'shots.csv')
    await writeFile(csv, 'id,prompt,duration,resolution\nr1,harbor at dusk,1,720p\nr2,lighthouse in fog,1,720p\n')
    const results = path.join(tmp, 'results.csv')
    const data = path.join(tmp, 'data')
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'electron/cli/seedance.ts',
        'batch',
        csv,
        '--results',
        results,
        '--base-url',
        sandbox.baseUrl,
        '--data-dir',
        data,
        '--library',
        path.join(tmp, 'videos'),
      ],
      {
        cwd: root,
        env: { ...process.env, SEEDANCE_API_KEY: sandbox.apiKey, CI: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let stderr = ''
    child.stderr?.on('data', (c) => {
      stderr += c
    })
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    )
    // The signal is sent once the journal says a row is at the service (the job then takes an hour).
    const journal = path.join(data, 'journal.jsonl')
    for (let i = 0; i < 1200; i++) {
      if ((await readFile(journal, 'utf8').catch(() => '')).includes('"state":"queued"')) break
      await new Promise((r) => setTimeout(r, 25))
    }
    child.kill('SIGINT')
    expect(await exited).toEqual({ code: 130, signal: null })
    expect(stderr).toContain('Stopping. Unfinished jobs are saved')
    const rows = parse(await readFile(results, 'utf8'), { columns: true }) as Record<string, string>[]
    expect(rows.map((r) => [r.id, r.status])).toEqual([
      ['r1', 'pending'],
      ['r2', 'pending'],
    ])
    expect(rows.some((r) => r.job_id !== '')).toBe(true) // the queued row names its job at the service
    expect(stderr).toContain('2 pending')
  }, 60_000)
})
