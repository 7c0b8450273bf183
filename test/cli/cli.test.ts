// The `seedance` command as a user runs it: a child process against the Sandbox.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Sandbox, startSandbox } from '../../electron/sandbox/server'
import { repoRoot as root, startCli } from './spawn-cli'

let tmp: string
let sandbox: Sandbox
const sandboxLog: string[] = []
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'cli-'))
  sandbox = await startSandbox({
    genSeconds: { min: 1.5, max: 1.5 },
    requestsPerMinute: 500,
    log: (l) => sandboxLog.push(l),
  })
})
afterAll(async () => {
  await sandbox.close()
  await rm(tmp, { recursive: true, force: true })
})

function start(args: string[], env: Record<string, string> = {}, input?: string) {
  return startCli(args, { env: { SEEDANCE_API_KEY: '', ...env }, input })
}

const run = (args: string[], env: Record<string, string> = {}) => start(args, env).done

async function keychainReachable(): Promise<boolean> {
  const keytar = await import('@napi-rs/keyring/keytar.js')
  try {
    await keytar.setPassword(`Seedance Studio probe ${process.pid}`, 'probe', 'x')
    await keytar.deletePassword(`Seedance Studio probe ${process.pid}`, 'probe')
    return true
  } catch {
    if (process.env.CI) throw new Error('CI must provide a Secret Service (see .ci/run)')
    return false
  }
}

function dataArgs(name: string): string[] {
  return ['--data-dir', path.join(tmp, name, 'data'), '--library', path.join(tmp, name, 'videos')]
}

const hasKeychain = await keychainReachable()

describe('seedance CLI', () => {
  it('generates a video on a fresh machine with the built-in Sandbox, then offers it instead of paying again', async () => {
    const env = { SEEDANCE_SANDBOX_GEN_SECONDS: '1' }
    const first = await run(
      ['generate', 'a quiet lake at dawn', '--duration', '1', '--resolution', '720p', ...dataArgs('fresh')],
      env,
    )
    expect(first.stderr).toContain(
      'No Seedance API key is set (Settings, or SEEDANCE_API_KEY), so jobs through Seedance API go to the built-in Sandbox',
    )
    expect(first.code).toBe(0)
    const file = first.stdout.trim()
    expect(file).toMatch(/videos\/\d{4}-\d\d-\d\d a-quiet-lake-at-dawn [a-z0-9]{6}\.mp4$/)
    expect(existsSync(file)).toBe(true)
    const again = await run(
      ['generate', 'a quiet lake at dawn', '--duration', '1', '--resolution', '720p', ...dataArgs('fresh')],
      env,
    )
    expect(again.code).toBe(0)
    expect(again.stderr).toContain('You already made this')
    expect(again.stdout.trim()).toBe(file)
    const lib = await run(['library', '--search', 'lake', '--json', ...dataArgs('fresh')])
    expect(JSON.parse(lib.stdout)).toMatchObject([{ prompt: 'a quiet lake at dawn', path: file }])
  }, 90_000)

  it('resumes a batch killed with SIGKILL: every row done exactly once, no .part file left', async () => {
    const rows = [
      'id,prompt,duration,resolution',
      ...Array.from({ length: 6 }, (_, i) => `r${i},killed batch row ${i},1,720p`),
    ].join('\n')
    const csv = path.join(tmp, 'rows.csv')
    await writeFile(csv, `${rows}\n`)
    const env = { SEEDANCE_API_KEY: sandbox.apiKey }
    const args = [
      'batch',
      csv,
      '--results',
      path.join(tmp, 'results.csv'),
      '--base-url',
      sandbox.baseUrl,
      ...dataArgs('kill'),
    ]
    const videos = path.join(tmp, 'kill', 'videos')
    const posts = () => sandboxLog.filter((l) => /^POST \/v1\/generate.*→ 200/.test(l)).length
    const before = posts()
    const first = start(args, env)
    // Kill it mid-flight: as soon as the first video has landed.
    for (let i = 0; i < 600 && !(await readdir(videos).catch(() => [])).some((f) => f.endsWith('.mp4')); i++)
      await new Promise((r) => setTimeout(r, 50))
    first.child.kill('SIGKILL')
    const killed = await first.done
    expect(killed.signal).toBe('SIGKILL')
    const second = await run(args, env)
    expect(second.code).toBe(0)
    const results = await readFile(path.join(tmp, 'results.csv'), 'utf8')
    const lines = results.trim().split('\n').slice(1)
    expect(lines).toHaveLength(6)
    for (const line of lines) expect(line).toMatch(/^r\d,(done|exists),.+\.mp4,job_\w+,$/)
    expect(posts() - before).toBe(6)
    const files = await readdir(videos)
    expect(files.filter((f) => f.endsWith('.mp4'))).toHaveLength(6)
    expect(files.filter((f) => f.endsWith('.part'))).toEqual([])
    // Running it once more generates nothing new.
    const third = await run(args, env)
    expect(third.code).toBe(0)
    expect(posts() - before).toBe(6)
    expect(third.stderr).toContain('6 exists')
  }, 120_000)

  it('recovers from a corrupt journal and settings file', async () => {
    const data = path.join(tmp, 'corrupt', 'data')
    await run(['jobs', ...dataArgs('corrupt')], { SEEDANCE_SANDBOX_GEN_SECONDS: '1' })
    await writeFile(path.join(data, 'config.json'), '{ not json')
    await writeFile(path.join(data, 'journal.jsonl'), '{"id":"x","state":"done","request":{}}\ngarbage line\n{"id":"y"')
    const r = await run(['jobs', '--json', ...dataArgs('corrupt')])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).map((j: { id: string }) => j.id)).toEqual(['x'])
    const names = await readdir(data)
    expect(names.some((n) => n.startsWith('config.corrupt-'))).toBe(true)
    expect(names.some((n) => n.startsWith('journal.jsonl.corrupt-'))).toBe(true)
  }, 60_000)

  it('documents its exit codes: 2 for bad usage, 4 when another instance holds the data folder', async () => {
    expect((await run(['generate'])).code).toBe(2)
    expect((await run(['frobnicate'])).code).toBe(2)
    expect((await run(['generate', 'x', '--duration', '12', '--sandbox', ...dataArgs('usage')])).code).toBe(2)
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'])
    try {
      const data = path.join(tmp, 'busy', 'data')
      await import('node:fs/promises').then((fs) => fs.mkdir(data, { recursive: true }))
      await writeFile(
        path.join(data, 'seedance.lock'),
        JSON.stringify({ pid: holder.pid, host: os.hostname(), role: 'app', since: '' }),
      )
      const busy = await run(['jobs', ...dataArgs('busy')])
      expect(busy.code).toBe(4)
      expect(busy.stderr).toContain('The Seedance Studio app')
    } finally {
      holder.kill()
    }
  }, 60_000)

  it.skipIf(!hasKeychain)(
    'sets, reports and clears the key in the system keychain, reading it from stdin',
    async () => {
      const env = { SEEDANCE_KEYCHAIN_SERVICE: `Seedance Studio CLI test ${process.pid}` }
      // key set binds the key to the base URL's origin, in this test's own data folder (never the user's).
      const set = start(
        ['key', 'set', '--base-url', sandbox.baseUrl, ...dataArgs('key')],
        env,
        'sk_live_from_stdin_4321\n',
      )
      const r = await set.done
      expect(r.code).toBe(0)
      expect(r.stdout).toContain('…4321')
      expect(r.stdout).toContain(`for ${sandbox.origin} only`)
      expect(r.stdout + r.stderr).not.toContain('sk_live_from_stdin')
      // Another origin does not get the stored key, even when typed on the command line (issue 9).
      const elsewhere = await run(['jobs', '--base-url', 'https://other.example/v1', ...dataArgs('key')], env)
      expect(elsewhere.code).toBe(2)
      expect(elsewhere.stderr).toContain(`was saved for ${sandbox.origin}, so it is not sent to https://other.example`)
      expect((await run(['key', 'status'], env)).stdout).toContain('…4321 is set (in the system keychain)')
      expect((await run(['key', 'clear'], env)).stdout).toContain('Removed')
      expect((await run(['key', 'status'], env)).stdout).toContain('No Seedance API key is set')
    },
    30_000,
  )

  const built = path.join(root, 'out/main/seedance.js')
  it.skipIf(!existsSync(built) && !process.env.CI)(
    'works as the built `seedance` bin too (bundled render worker included)',
    async () => {
      const child = spawn(
        process.execPath,
        [
          built,
          'generate',
          'built bundle check',
          '--duration',
          '1',
          '--resolution',
          '720p',
          '--sandbox',
          ...dataArgs('built'),
        ],
        {
          env: { ...process.env, SEEDANCE_API_KEY: '', SEEDANCE_SANDBOX_GEN_SECONDS: '1' },
        },
      )
      let out = ''
      child.stdout.on('data', (c) => {
        out += c
      })
      const code = await new Promise((r) => child.on('exit', r))
      expect(code).toBe(0)
      expect(existsSync(out.trim())).toBe(true)
    },
    60_000,
  )

  it('sends a key over https or to this machine only, whatever --base-url says (issue 9)', async () => {
    const before = sandboxLog.length
    for (const url of ['http://evil.example/v1', 'file:///etc/passwd', 'javascript:alert(1)']) {
      const r = await run(['generate', 'a harbor', '--duration', '1', '--base-url', url, ...dataArgs('base-url')], {
        SEEDANCE_API_KEY: 'sk_live_secret_7777',
      })
      expect(r.code, url).toBe(2)
      expect(r.stderr).toContain(`--base-url ${url}: The service address must`)
      expect(r.stderr).not.toContain('sk_live_secret')
    }
    expect(sandboxLog.length).toBe(before)
  }, 60_000)

  it('reports where the key comes from without printing it', async () => {
    const r = await run(['key', 'status'], { SEEDANCE_API_KEY: 'sk_live_secret_7777' })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('…7777')
    expect(r.stdout).toContain('SEEDANCE_API_KEY')
    expect(r.stdout).not.toContain('sk_live_secret')
  }, 30_000) // a child process: its start alone took over 5 s on a loaded 2-core machine
})
