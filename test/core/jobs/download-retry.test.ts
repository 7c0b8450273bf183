// A paid video is never given up for a passing fault (issue 9, point 1): when its link answers 403/404/410
// and the request for a fresh one fails for a passing reason (5xx, dropped connection, cut-off JSON, 429),
// the download is retried with backoff, across a restart; VIDEO_EXPIRED only when the service says so.
// A local server plays both the service (GET /v1/jobs/:id, scripted answer by answer) and its file host.
import { existsSync, statSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
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
import { readSettingsFile } from '../../../electron/node/mp4-settings-file'
import { mayDownloadAgain } from '../../../electron/shared/links'
import type { JobRecord, LibraryEntry } from '../../../electron/shared/model'
import { TimerClock } from '../../fakes/clock'
import { singleConnectionRoute } from '../../fakes/single-route'
import { renderClip } from '../../fixtures/clip'
import { job as jobRecord } from '../../fixtures/records'
import { apiError, drop, json, type Script } from '../providers/scripted-server'

let video: Buffer
let server: http.Server
let base = ''
/** Answers to GET /v1/jobs/job_1, one per request; then `healthy`. */
let answers: Script[] = []
let jobRequests = 0
let clock: TimerClock
let dir: string

const healthy: Script = (req, res) =>
  json(200, {
    job_id: 'job_1',
    status: 'completed',
    completed_at: new Date(clock.now() - 60_000).toISOString(),
    output: {
      video_url: `${base}/files/fresh.mp4`,
      expires_at: new Date(clock.now() + 3600_000).toISOString(),
    },
  })(req, res, '')

beforeAll(async () => {
  video = await renderClip(640, 360, 12, 'harbor')
  server = http.createServer((req, res) => {
    if (req.url === '/v1/jobs/job_1') {
      jobRequests += 1
      const step = answers.shift() ?? healthy
      return step(req, res, '')
    }
    if (req.url === '/files/thumb.jpg')
      return void res.writeHead(200, { 'content-type': 'image/jpeg' }).end('<html>a proxy error page</html>')
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
  dir = await mkdtemp(path.join(os.tmpdir(), 'download-retry-'))
  clock = new TimerClock()
  answers = []
  jobRequests = 0
})
afterEach(async () => {
  for (const m of managers) await m.stop()
  for (const l of libraries) await l.flush() // its index is saved a moment after a change, as the engine's close does
  managers = []
  libraries = []
  await rm(dir, { recursive: true, force: true })
})

/** A job the service finished a minute ago, whose saved link has since stopped working. */
function finishedJob(over: Partial<JobRecord> = {}): JobRecord {
  return jobRecord({
    id: 'paid-1',
    state: 'downloading',
    completedAt: clock.now() - 60_000,
    output: { videoUrl: `${base}/files/stale.mp4`, thumbnailUrl: null, file: 'harbor.mp4', width: 640, height: 360 },
    // Sent to this service (the manager below is connected to it as Seedance Cloud).
    service: { kind: 'cloud', origin: base },
    ...over,
  })
}

/** Open the journal and library in `dir` and start a job manager on them, as the engine does at start. */
async function startManager(seed: JobRecord[] = []): Promise<{ jobs: JobManager; library: Library }> {
  const file = path.join(dir, 'journal.jsonl')
  if (seed.length > 0) {
    const { writeFile } = await import('node:fs/promises')
    await writeFile(file, seed.map((j) => `${JSON.stringify(j)}\n`).join(''))
  }
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
  await jobs.start()
  return { jobs, library }
}

/** Let I/O run, and move the fake clock on whenever the manager waits for it, until `check` holds. */
async function drive(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (check()) return
    await new Promise((r) => setTimeout(r, 5))
    if (check()) return
    clock.next()
  }
  throw new Error(`never happened: ${what}`)
}

const cutOffJson: Script = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' }).end('{"job_id":"job_1","status":"compl')
}

describe('a paid video whose link stopped working', { timeout: 20_000 }, () => {
  it.each<[string, Script]>([
    ['a 503', apiError(503, 'SERVICE_UNAVAILABLE', 'try later')],
    ['a dropped connection', drop],
    ['a cut-off JSON body', cutOffJson],
    ['a 429', apiError(429, 'RATE_LIMIT_EXCEEDED', 'slow down', { retry_after: 1 })],
  ])('is still saved when the request for a fresh link first fails with %s', async (_name, fault) => {
    answers = [fault]
    const { jobs, library } = await startManager([finishedJob()])
    await drive(() => ['done', 'failed'].includes(jobs.get('paid-1')?.state ?? ''), 'the job to end')
    expect(jobs.get('paid-1')).toMatchObject({ state: 'done', error: null })
    const entry = library.get('paid-1')
    // The file as saved: the video received with its settings written in (issue 11).
    const saved = path.join(dir, 'videos', 'harbor.mp4')
    expect(entry).toMatchObject({ expired: false, sizeBytes: statSync(saved).size })
    expect((await readSettingsFile(saved)).settings.jobId).toBe('paid-1')
    expect(existsSync(path.join(dir, 'videos', 'harbor.mp4'))).toBe(true)
    expect(jobRequests).toBe(2)
  })

  it('waits (journaled) while the service stays unreachable, and saves it after a restart', async () => {
    answers = Array(40).fill(apiError(503, 'SERVICE_UNAVAILABLE', 'down'))
    const first = await startManager([finishedJob()])
    await drive(() => ['download-retry', 'failed'].includes(first.jobs.get('paid-1')?.state ?? ''), 'a retry')
    expect(first.jobs.get('paid-1')?.state).toBe('download-retry')
    const waiting = first.jobs.get('paid-1') as JobRecord
    expect(waiting.nextAt).toBeGreaterThan(clock.now())
    expect(waiting.note).toMatch(/paid for/i)
    expect(waiting.error).toBeNull()
    await first.jobs.stop()
    // The app quits and starts again; the service is back.
    answers = []
    const second = await startManager()
    expect(second.jobs.get('paid-1')?.state).toBe('download-retry')
    await drive(() => second.jobs.get('paid-1')?.state === 'done', 'the video saved after the restart')
    expect(second.library.get('paid-1')?.expired).toBe(false)
    expect((await readdir(path.join(dir, 'videos'))).filter((f) => f.endsWith('.part'))).toEqual([])
  })

  it('saves the video but not a thumbnail that is not an image', async () => {
    const { jobs, library } = await startManager([
      finishedJob({
        output: {
          videoUrl: `${base}/files/fresh.mp4`,
          thumbnailUrl: `${base}/files/thumb.jpg`,
          file: 'harbor.mp4',
          width: 640,
          height: 360,
        },
      }),
    ])
    await drive(() => ['done', 'failed'].includes(jobs.get('paid-1')?.state ?? ''), 'the job to end')
    expect(library.get('paid-1')).toMatchObject({ expired: false, thumbnail: null })
    expect(await readdir(path.join(dir, 'videos', '.seedance', 'thumbs')).catch(() => [])).toEqual([])
  })

  it('ends VIDEO_EXPIRED when the service no longer knows the job', async () => {
    answers = [apiError(404, 'JOB_NOT_FOUND', 'no such job')]
    const { jobs, library } = await startManager([finishedJob()])
    await drive(() => jobs.get('paid-1')?.state === 'failed', 'the job to end')
    expect(jobs.get('paid-1')?.error?.code).toBe('VIDEO_EXPIRED')
    expect(library.get('paid-1')?.expired).toBe(true)
    expect(jobRequests).toBe(1)
    // The service said it is gone: the library does not offer "Download again" (as the job's own rule says),
    // also after the library is opened again from its index cache.
    expect(mayDownloadAgain(library.get('paid-1') as LibraryEntry, clock.now())).toBe(false)
    await library.flush()
    const reopened = await Library.open(path.join(dir, 'videos'), { logger: silentLogger })
    libraries.push(reopened)
    expect(mayDownloadAgain(reopened.get('paid-1') as LibraryEntry, clock.now())).toBe(false)
  })

  it("ends VIDEO_EXPIRED when the output's expires_at has passed", async () => {
    answers = [
      (req, res) =>
        json(200, {
          job_id: 'job_1',
          status: 'completed',
          output: { video_url: `${base}/files/old.mp4`, expires_at: new Date(clock.now() - 1000).toISOString() },
        })(req, res, ''),
    ]
    const { jobs } = await startManager([finishedJob()])
    await drive(() => jobs.get('paid-1')?.state === 'failed', 'the job to end')
    expect(jobs.get('paid-1')?.error?.code).toBe('VIDEO_EXPIRED')
    expect(jobRequests).toBe(1)
  })
})
