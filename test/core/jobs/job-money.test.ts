// Paid jobs are never paid for twice nor given up by mistake (round-2 review of issue 9): a job is polled,
// refreshed and downloaded only through the service it was sent to; a cancelled paid video is downloaded
// again, not generated again; a job cancelled while the loop works is left cancelled. A local server plays the
// service (GET /v1/jobs/job_1, POST /v1/generate/*) and its file host; the clock is the test's.

import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { JobManager } from '../../../electron/core/jobs/job-manager'
import { Journal } from '../../../electron/core/jobs/journal'
import { Library } from '../../../electron/core/library/library'
import { createSeedanceProvider } from '../../../electron/core/providers/seedance/adapter'
import { silentLogger } from '../../../electron/core/util/logger'
import type { JobRecord } from '../../../electron/shared/model'
import { TimerClock } from '../../fakes/clock'
import { singleConnectionRoute } from '../../fakes/single-route'
import { renderClip } from '../../fixtures/clip'
import { job as jobRecord } from '../../fixtures/records'
import { apiError, json } from '../providers/scripted-server'

let video: Buffer
let server: http.Server
let base = ''
let clock: TimerClock
let dir: string
/** What the service knows: job_1 finished, or (false) no such job. */
let knowsJob = true
let jobRequests = 0
let posts = 0

beforeAll(async () => {
  video = await renderClip(640, 360, 12, 'harbor')
  server = http.createServer((req, res) => {
    if (req.method === 'POST') {
      posts += 1
      return apiError(500, 'INTERNAL_ERROR', 'no new jobs in this test')(req, res, '')
    }
    if (req.url === '/v1/jobs/job_1') {
      jobRequests += 1
      if (!knowsJob) return apiError(404, 'JOB_NOT_FOUND', 'no such job')(req, res, '')
      return json(200, {
        job_id: 'job_1',
        status: 'completed',
        completed_at: new Date(clock.now() - 60_000).toISOString(),
        output: { video_url: `${base}/files/fresh.mp4`, expires_at: new Date(clock.now() + 3600_000).toISOString() },
      })(req, res, '')
    }
    if (req.url === '/files/fresh.mp4')
      return void res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': String(video.length) }).end(video)
    res.writeHead(410, { 'content-type': 'application/json' }).end('{"error":{"code":"URL_EXPIRED","message":"gone"}}')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}, 60_000)
afterAll(() => {
  server.closeAllConnections()
  server.close()
})

let managers: JobManager[] = []
let libraries: Library[] = []
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'job-money-'))
  clock = new TimerClock()
  knowsJob = true
  jobRequests = 0
  posts = 0
})
afterEach(async () => {
  for (const m of managers) await m.stop()
  for (const l of libraries) await l.flush()
  managers = []
  libraries = []
  await rm(dir, { recursive: true, force: true })
})

/** The engine's connection, as the job manager sees it; a test switches it as a reconnect does. */
let provider: 'sandbox' | 'cloud' = 'cloud'

async function startManager(seed: JobRecord[]): Promise<{ jobs: JobManager; library: Library }> {
  const file = path.join(dir, 'journal.jsonl')
  await writeFile(file, seed.map((j) => `${JSON.stringify(j)}\n`).join(''))
  const opened = await Journal.open(file)
  const library = await Library.open(path.join(dir, 'videos'), { logger: silentLogger })
  libraries.push(library)
  const client = createSeedanceProvider({
    apiKey: 'k',
    baseUrl: `${base}/v1`,
    keyOrigin: base,
    requestsPerMinute: 10_000,
    retry: { maxAttempts: 1, max429Waits: 0 },
  })
  const jobs = new JobManager({
    journal: opened.journal,
    jobs: opened.jobs,
    route: singleConnectionRoute(() => ({ provider: client, kind: provider })),
    library,
    settings: () => ({ maxConcurrentJobs: 2, retryFailedOnce: false }),
    logger: silentLogger,
    clock,
  })
  managers.push(jobs)
  await jobs.start()
  return { jobs, library }
}

/** Let I/O run, moving the fake clock on whenever the manager waits for it, until `check` holds (or `rounds` pass). */
async function drive(check: () => boolean, rounds = 1000): Promise<boolean> {
  for (let i = 0; i < rounds; i++) {
    if (check()) return true
    await new Promise((r) => setTimeout(r, 5))
    if (check()) return true
    clock.next()
  }
  return false
}

const cloud = () => ({ kind: 'cloud' as const, origin: base })
const output = () => ({
  videoUrl: `${base}/files/stale.mp4`,
  thumbnailUrl: null,
  file: 'harbor.mp4',
  width: 640,
  height: 360,
})

describe('a job is served only by the service it was sent to', { timeout: 20_000 }, () => {
  it('a Cloud job polled while the engine fell back to the Sandbox waits: not resubmitted, not failed', async () => {
    provider = 'sandbox'
    knowsJob = false
    const { jobs } = await startManager([jobRecord({ id: 'paid-1', state: 'processing', nextAt: 0, service: cloud() })])
    await drive(() => jobs.get('paid-1')?.state !== 'processing', 50)
    expect(jobs.get('paid-1')).toMatchObject({ state: 'processing', remoteId: 'job_1', error: null })
    expect(jobs.get('paid-1')?.note).toMatch(/^Waiting for Seedance Cloud/)
    expect(jobRequests).toBe(0)
    expect(posts).toBe(0)
    // Connected to the Cloud again: the job is polled there and its video saved.
    provider = 'cloud'
    knowsJob = true
    jobs.resume()
    expect(await drive(() => jobs.get('paid-1')?.state === 'done')).toBe(true)
    expect(posts).toBe(0)
  })

  it('a Cloud video waiting to download again is not declared expired by the Sandbox', async () => {
    provider = 'sandbox'
    knowsJob = false
    const { jobs, library } = await startManager([
      jobRecord({
        id: 'paid-1',
        state: 'download-retry',
        nextAt: 0,
        completedAt: clock.now() - 60_000,
        output: output(),
        service: cloud(),
      }),
    ])
    await drive(() => jobs.get('paid-1')?.state !== 'download-retry', 50)
    expect(jobs.get('paid-1')).toMatchObject({ state: 'download-retry', error: null })
    expect(jobs.get('paid-1')?.output?.gone).not.toBe(true)
    expect(jobs.get('paid-1')?.note).toMatch(/^Waiting for Seedance Cloud/)
    expect(library.get('paid-1')).toBeUndefined()
    expect(jobRequests).toBe(0)
  })

  it('a job from an older journal (service not recorded) is never failed nor resubmitted on JOB_NOT_FOUND', async () => {
    provider = 'cloud'
    knowsJob = false
    const { jobs } = await startManager([jobRecord({ id: 'old-1', state: 'queued', nextAt: 0 })])
    await drive(() => jobs.get('old-1')?.note != null, 200)
    expect(jobs.get('old-1')).toMatchObject({ state: 'queued', remoteId: 'job_1', error: null })
    expect(jobs.get('old-1')?.note).toMatch(/^Waiting for the service this job was sent to/)
    expect(posts).toBe(0)
  })

  it('a Sandbox job the restarted Sandbox forgot is sent again (its credits are not real)', async () => {
    provider = 'sandbox'
    knowsJob = false
    const sandboxJob = jobRecord({
      id: 'sb-1',
      state: 'queued',
      nextAt: 0,
      service: { kind: 'sandbox', origin: 'http://127.0.0.1:1' },
    })
    const { jobs } = await startManager([sandboxJob])
    await drive(() => posts > 0, 200)
    expect(posts).toBeGreaterThan(0)
    expect(jobs.get('sb-1')?.service).toMatchObject({ kind: 'sandbox', origin: base })
  })
})

describe('a cancelled paid video is downloaded again, never paid for again', { timeout: 20_000 }, () => {
  it.each(['retry', 'fetchAgain'] as const)('%s of a job cancelled mid-download', async (how) => {
    provider = 'cloud'
    const { jobs, library } = await startManager([
      jobRecord({
        id: 'paid-1',
        state: 'cancelled',
        completedAt: clock.now() - 60_000,
        output: output(),
        service: cloud(),
      }),
    ])
    await jobs[how]('paid-1')
    expect(await drive(() => ['done', 'failed'].includes(jobs.get('paid-1')?.state ?? ''))).toBe(true)
    expect(jobs.get('paid-1')?.state).toBe('done')
    expect(library.get('paid-1')?.expired).toBe(false)
    expect(posts).toBe(0)
  })
})

describe('the loop re-reads each job before it moves it', { timeout: 20_000 }, () => {
  it('a job cancelled while another download starts stays cancelled', async () => {
    provider = 'cloud'
    const waiting = (id: string) =>
      jobRecord({
        id,
        state: 'download-retry',
        nextAt: 0,
        completedAt: clock.now() - 60_000,
        output: { ...output(), file: `${id}.mp4` },
        service: cloud(),
      })
    const file = path.join(dir, 'journal.jsonl')
    await writeFile(file, `${JSON.stringify(waiting('a'))}\n${JSON.stringify(waiting('b'))}\n`)
    const opened = await Journal.open(file)
    const library = await Library.open(path.join(dir, 'videos'), { logger: silentLogger })
    libraries.push(library)
    const client = createSeedanceProvider({
      apiKey: 'k',
      baseUrl: `${base}/v1`,
      keyOrigin: base,
      requestsPerMinute: 10_000,
      retry: { maxAttempts: 1, max429Waits: 0 },
    })
    const jobs = new JobManager({
      journal: opened.journal,
      jobs: opened.jobs,
      route: singleConnectionRoute(() => ({ provider: client, kind: 'cloud' })),
      library,
      settings: () => ({ maxConcurrentJobs: 2, retryFailedOnce: false }),
      logger: silentLogger,
      clock,
    })
    managers.push(jobs)
    // The user cancels the second the moment the first starts downloading (while the loop is mid-way).
    jobs.onChange((j) => {
      if (j.state === 'downloading') {
        const other = j.id === 'a' ? 'b' : 'a'
        if (jobs.get(other)?.state === 'download-retry') void jobs.cancel(other)
      }
    })
    await jobs.start()
    await drive(() => jobs.list().every((j) => ['done', 'cancelled', 'failed'].includes(j.state)), 300)
    expect(
      jobs
        .list()
        .map((j) => j.state)
        .sort(),
    ).toEqual(['cancelled', 'done'])
  })
})

describe('changing the default door never strands a paid video still being saved (issue 10, point 3)', {
  timeout: 30_000,
}, () => {
  it.each(['downloading', 'download-retry', 'pending'] as const)(
    'reconnects with a job %s, which keeps its own route',
    async (state) => {
      const { openEngineOnSandbox } = await import('../sandbox-engine')
      const { Keychain } = await import('../../../electron/core/secrets/keychain')
      const { testDirs } = await import('./engine-helpers')
      const { mkdir } = await import('node:fs/promises')
      const dirs = await testDirs()
      await mkdir(dirs.paths.userData, { recursive: true })
      const paid = jobRecord({
        id: 'paid-1',
        state,
        nextAt: Date.now() + 3600_000,
        completedAt: Date.now() - 60_000,
        output: output(),
        service: { kind: 'sandbox', origin: 'http://127.0.0.1:1' },
      })
      await writeFile(path.join(dirs.paths.userData, 'journal.jsonl'), `${JSON.stringify(paid)}\n`)
      const engine = await openEngineOnSandbox({
        paths: dirs.paths,
        role: 'cli',
        sandbox: 'always',
        keychain: new Keychain({ env: {} }),
        resumeJobs: false,
      })
      try {
        // Before issue 10 a reconnect was refused (JOBS_ACTIVE): one client served every job. Each job is now
        // followed through its own door, so the switch is allowed and the job is untouched.
        await expect(engine.reconnect()).resolves.toMatchObject({ provider: 'seedance', target: 'sandbox' })
        expect(engine.jobs.get('paid-1')).toMatchObject({ state, output: paid.output })
      } finally {
        await engine.close()
        await dirs.cleanup()
      }
    },
  )
})
