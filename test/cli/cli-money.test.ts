// The `seedance` command and money (issue 9, points 1 and 2), as a user runs it: a child process against a
// Sandbox the test runs as if it were Seedance Cloud (so its jobs outlive each CLI run).
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fingerprint } from '../../electron/core/library/fingerprint'
import { SeedanceClient } from '../../electron/core/providers/seedance/client'
import { type Sandbox, startSandbox } from '../../electron/sandbox/server'
import type { GenerationRequest } from '../../electron/shared/model'
import { job as jobRecord } from '../fixtures/records'
import { startCli } from './spawn-cli'

let tmp: string
let sandbox: Sandbox
const sandboxLog: string[] = []
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'cli-money-'))
  sandbox = await startSandbox({
    genSeconds: { min: 3, max: 3 },
    requestsPerMinute: 500,
    log: (l) => sandboxLog.push(l),
  })
})
afterAll(async () => {
  await sandbox.close()
  await rm(tmp, { recursive: true, force: true })
})

const start = (args: string[]) => startCli(args, { env: { SEEDANCE_API_KEY: sandbox.apiKey } })

const run = (args: string[]) => start(args).done
const dirsOf = (name: string) => ({ data: path.join(tmp, name, 'data'), videos: path.join(tmp, name, 'videos') })
const args = (name: string) => [
  '--base-url',
  sandbox.baseUrl,
  '--data-dir',
  dirsOf(name).data,
  '--library',
  dirsOf(name).videos,
]
const posts = () => sandboxLog.filter((l) => /^POST \/v1\/generate.*→ 200/.test(l)).length
const videosIn = async (name: string) =>
  (await readdir(dirsOf(name).videos).catch(() => [] as string[])).filter((f) => f.endsWith('.mp4'))

/** A job the service finished for this account, as a CLI run would have left it: paid for, not saved. */
async function paidButNotSaved(name: string, prompt: string, batch: { file: string; row: string } | null) {
  const client = new SeedanceClient({ apiKey: sandbox.apiKey, baseUrl: sandbox.baseUrl, limiter: null })
  const { job_id } = await client.generateTextToVideo({
    prompt,
    duration: 1,
    resolution: '720p',
    aspect_ratio: '16:9',
  })
  let remote = await client.getJob(job_id)
  while (remote.status !== 'completed') {
    await new Promise((r) => setTimeout(r, 200))
    remote = await client.getJob(job_id)
  }
  // The request as the CLI prepares it from the same prompt and options (so the fingerprints agree).
  const request: GenerationRequest = {
    provider: 'seedance',
    model: 'standard',
    mode: 'text',
    prompt,
    duration: 1,
    resolution: '720p',
    aspectRatio: '16:9',
    style: null,
    motionIntensity: null,
    image: null,
  }
  const record = jobRecord({
    id: `paid-${name}`,
    request,
    fingerprint: fingerprint(request),
    state: 'failed',
    remoteId: job_id,
    completedAt: Date.now() - 60_000,
    // The link it was given no longer answers (a forged signature: the Sandbox says 403).
    output: {
      videoUrl: `${sandbox.baseUrl.replace(/\/v1$/, '')}/files/${job_id}/video.mp4?expires=1&sig=stale`,
      thumbnailUrl: null,
      file: `${name}.mp4`,
      width: 1280,
      height: 720,
    },
    // What the old engine wrote after one failed refresh, though the service still held the video.
    error: { code: 'VIDEO_EXPIRED', message: 'The link expired before the video could be saved.' },
    batch,
  })
  await mkdir(dirsOf(name).data, { recursive: true })
  await writeFile(path.join(dirsOf(name).data, 'journal.jsonl'), `${JSON.stringify(record)}\n`)
  return record
}

describe('seedance and money', () => {
  it.each(['SIGINT', 'SIGKILL'] as const)(
    'generate interrupted (%s) while queued, then run again: joins the job, pays once, saves one video',
    async (signal) => {
      const name = `gen-${signal}`
      const command = ['generate', 'harbor at dusk, slow pan', '--duration', '2', ...args(name)]
      const before = posts()
      const first = start(command)
      const journal = path.join(dirsOf(name).data, 'journal.jsonl')
      for (let i = 0; i < 400; i++) {
        if ((await readFile(journal, 'utf8').catch(() => '')).includes('"state":"queued"')) break
        await new Promise((r) => setTimeout(r, 25))
      }
      first.child.kill(signal)
      const stopped = await first.done
      expect(stopped.signal === signal || stopped.code === 130).toBe(true)
      expect(posts() - before).toBe(1)
      const again = await run(command)
      expect(again.stderr).toContain('already in the queue')
      expect(again.code).toBe(0)
      expect(posts() - before).toBe(1)
      expect(await videosIn(name)).toHaveLength(1)
      expect(again.stdout.trim()).toBe(path.join(dirsOf(name).videos, (await videosIn(name))[0] as string))
    },
    60_000,
  )

  it('a rerun of a batch fetches a row that was paid for but not saved, and sends only the new rows', async () => {
    const name = 'batch-rerun'
    const csv = path.join(tmp, 'rerun.csv')
    await writeFile(csv, 'id,prompt,duration,resolution\nr1,lighthouse in fog,1,720p\nr2,fresh row,1,720p\n')
    await paidButNotSaved(name, 'lighthouse in fog', { file: csv, row: 'r1' })
    const before = posts()
    const results = path.join(tmp, 'rerun-results.csv')
    const r = await run(['batch', csv, '--results', results, ...args(name)])
    expect(r.code).toBe(0)
    expect(posts() - before).toBe(1) // only r2
    const lines = (await readFile(results, 'utf8')).trim().split('\n').slice(1)
    expect(lines).toHaveLength(2)
    for (const line of lines) expect(line).toMatch(/^r\d,done,.+\.mp4,job_\w+,$/)
    expect(await videosIn(name)).toHaveLength(2)
  }, 60_000)

  it('library fetch <id> saves a paid video whose link may still be valid, without paying again', async () => {
    const name = 'fetch'
    const record = await paidButNotSaved(name, 'quay at noon', null)
    const before = posts()
    const r = await run(['library', 'fetch', record.id, ...args(name)])
    expect(r.stderr).not.toContain('Failed')
    expect(r.code).toBe(0)
    expect(posts() - before).toBe(0)
    const file = r.stdout.trim()
    expect(file).toBe(path.join(dirsOf(name).videos, `${name}.mp4`))
    expect(existsSync(file)).toBe(true)
    const unknown = await run(['library', 'fetch', 'no-such-id', ...args(name)])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('NOT_FOUND')
  }, 60_000)
})
