// Issue 9, points 11 and 13, as a user meets them: with a key set and a service that refuses connections,
// `generate` gives up after the configured bound (exit 6) with one message, the job stays in the journal,
// `seedance jobs` lists it without acting, and `seedance resume` finishes it once the service is back.
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Sandbox, startSandbox } from '../../electron/sandbox/server'
import { type CliRun, startCli } from './spawn-cli'

let tmp: string
let sandbox: Sandbox
const sandboxLog: string[] = []
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'cli-unreachable-'))
  sandbox = await startSandbox({
    genSeconds: { min: 1, max: 1 },
    requestsPerMinute: 500,
    log: (l) => sandboxLog.push(l),
  })
})
afterAll(async () => {
  await sandbox.close()
  await rm(tmp, { recursive: true, force: true })
})

/** A port on this machine where nothing listens: every connection is refused at once. */
async function refusingPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as net.AddressInfo
  await new Promise((r) => server.close(r))
  return port
}

/** Runs `seedance`; a run still going after `limitMs` is killed and reported with code null. */
async function run(args: string[], env: Record<string, string>, limitMs = 60_000): Promise<CliRun> {
  const { child, done } = startCli(args, { env: { SEEDANCE_SANDBOX_GEN_SECONDS: '', ...env } })
  const limit = setTimeout(() => child.kill('SIGKILL'), limitMs)
  return done.finally(() => clearTimeout(limit))
}

const posts = () => sandboxLog.filter((l) => /^POST \/v1\/generate.*→ 200/.test(l)).length

describe('seedance against an unreachable service', () => {
  it('gives up after the bound (exit 6) with one message; jobs lists the job; resume finishes it', async () => {
    const port = await refusingPort()
    const dirs = ['--data-dir', path.join(tmp, 'data'), '--library', path.join(tmp, 'videos')]
    const offline = await run(
      ['generate', 'harbor at dusk, slow pan', '--duration', '1', '--resolution', '720p', ...dirs],
      {
        SEEDANCE_API_KEY: 'sk_test_unreachable_1234',
        SEEDANCE_BASE_URL: `http://127.0.0.1:${port}/v1`,
        SEEDANCE_UNREACHABLE_TIMEOUT: '2',
      },
    )
    expect(offline.code).toBe(6)
    const giveUp = new RegExp(
      `could not reach the service at 127\\.0\\.0\\.1:${port} for \\d+ s \\(ECONNREFUSED\\); giving up\\. Unfinished jobs are saved; finish them with: seedance resume`,
      'g',
    )
    expect(offline.stderr.match(giveUp)).toHaveLength(1)
    expect(offline.stderr.match(/Retrying/g)?.length ?? 0).toBeLessThanOrEqual(1)
    expect(offline.stderr.match(/Cannot reach the service at .* retrying for up to 2 s\./g)).toHaveLength(1)
    expect(offline.stdout).toBe('')

    // The service is back (here: the Sandbox the test runs). Listing changes nothing and sends nothing.
    const back = { SEEDANCE_API_KEY: sandbox.apiKey, SEEDANCE_BASE_URL: sandbox.baseUrl }
    const before = posts()
    const listed = await run(['jobs', '--json', ...dirs], back)
    expect(listed.code).toBe(0)
    expect(JSON.parse(listed.stdout)).toMatchObject([
      { state: 'pending', request: { prompt: 'harbor at dusk, slow pan' } },
    ])
    const text = await run(['jobs', ...dirs], back)
    expect(text.stderr).toContain('1 unfinished job; finish with: seedance resume')
    expect(posts()).toBe(before)

    const resumed = await run(['resume', ...dirs], back)
    expect(resumed.code).toBe(0)
    expect(resumed.stderr).toContain('Resuming 1 unfinished job.')
    const file = resumed.stdout.trim()
    expect(file).toMatch(/harbor-at-dusk-slow-pan .*\.mp4$/)
    expect(existsSync(file)).toBe(true)
    expect(posts()).toBe(before + 1)
    const again = await run(['resume', ...dirs], back)
    expect(again.code).toBe(0)
    expect(again.stderr).toContain('Nothing to resume')
    expect(posts()).toBe(before + 1)
  }, 240_000)
})
