// The job manager through the provider port only (issue 10, point 3), with in-memory providers (test/fakes) and the
// test's clock: no HTTP. Each job is asked only at its own provider, whatever the default door is now; a lost
// submission where the provider cannot list is held for the user, never sent again by itself; Replicate's 1 h links
// bound the download retries; a cancel reaches the service where it can.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { JobManager, type JobRoute } from '../../../electron/core/jobs/job-manager'
import { Journal } from '../../../electron/core/jobs/journal'
import { Library } from '../../../electron/core/library/library'
import { ApiError } from '../../../electron/core/providers/errors'
import { silentLogger } from '../../../electron/core/util/logger'
import type { GenerationRequest, JobRecord } from '../../../electron/shared/model'
import { type ProviderId, providerInfo } from '../../../electron/shared/providers'
import { TimerClock } from '../../fakes/clock'
import { FakeProvider } from '../../fakes/video-provider'

let dir: string
let clock: TimerClock
let managers: JobManager[] = []
let libraries: Library[] = []
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'job-port-'))
  clock = new TimerClock()
})
afterEach(async () => {
  for (const m of managers) await m.stop()
  for (const l of libraries) await l.flush()
  managers = []
  libraries = []
  await rm(dir, { recursive: true, force: true })
})

const request = (provider: ProviderId, prompt: string): GenerationRequest => ({
  provider,
  model: providerInfo(provider).defaultModel,
  mode: 'text',
  prompt,
  duration: 5,
  resolution: '720p',
  aspectRatio: '16:9',
  style: null,
  motionIntensity: null,
  image: null,
})

async function manager(route: (job: JobRecord) => JobRoute, fetchImpl?: typeof fetch): Promise<JobManager> {
  const opened = await Journal.open(path.join(dir, 'journal.jsonl'))
  const library = await Library.open(path.join(dir, 'videos'), { logger: silentLogger })
  libraries.push(library)
  const jobs = new JobManager({
    journal: opened.journal,
    jobs: opened.jobs,
    route,
    library,
    settings: () => ({ maxConcurrentJobs: 2, retryFailedOnce: false }),
    logger: silentLogger,
    clock,
    fetch: fetchImpl,
  })
  managers.push(jobs)
  await jobs.start()
  return jobs
}

/** Let I/O run, moving the fake clock on whenever the manager waits for it, until `check` holds. */
async function drive(check: () => boolean, rounds = 400): Promise<boolean> {
  for (let i = 0; i < rounds; i++) {
    if (check()) return true
    await new Promise((r) => setTimeout(r, 2))
    if (check()) return true
    clock.next()
  }
  return check()
}

const via = (provider: FakeProvider): JobRoute => ({
  provider,
  service: { kind: 'cloud', origin: new URL(provider.baseUrl).origin },
})

describe('each job through its own provider', { timeout: 20_000 }, () => {
  it('polls every job where it was sent, grouped per provider, after the default door changed', async () => {
    const guide = new FakeProvider('seedance', { now: () => clock.now() })
    const ark = new FakeProvider('ark', { now: () => clock.now() })
    const doors: Record<string, FakeProvider> = { seedance: guide, ark }
    // Each door is reachable; a job once sent is routed by its own door, as the engine's route does.
    const jobs = await manager((job) => via(doors[job.request.provider] as FakeProvider))
    const a = await jobs.submit(request('seedance', 'first'))
    const b = await jobs.submit(request('ark', 'second'))
    const c = await jobs.submit(request('ark', 'third'))
    expect(await drive(() => [a, b, c].every((j) => jobs.get(j.id)?.state === 'queued'))).toBe(true)
    ark.calls.length = 0
    guide.calls.length = 0
    expect(await drive(() => ark.calls.some((call) => call.method === 'get'))).toBe(true)
    expect(ark.calls.find((call) => call.method === 'get')?.ids.sort()).toEqual(
      [jobs.get(b.id)?.remoteId, jobs.get(c.id)?.remoteId].sort(),
    )
    expect(guide.calls.filter((call) => call.method === 'get').flatMap((call) => call.ids)).not.toContain(
      jobs.get(b.id)?.remoteId,
    )
    expect(jobs.get(b.id)?.service).toEqual({ kind: 'cloud', origin: 'https://ark.example' })
  })

  it('a job whose door cannot be reached waits with the route’s note, is not sent and not failed', async () => {
    const fal = new FakeProvider('fal', { now: () => clock.now() })
    let reachable = false
    const jobs = await manager(() => (reachable ? via(fal) : { held: 'Waiting for fal.ai: no key is set for it.' }))
    const job = await jobs.submit(request('fal', 'held'))
    await drive(() => false, 30)
    expect(jobs.get(job.id)).toMatchObject({ state: 'pending', note: 'Waiting for fal.ai: no key is set for it.' })
    expect(fal.submitted()).toBe(0)
    reachable = true
    jobs.resume()
    expect(await drive(() => jobs.get(job.id)?.state === 'queued')).toBe(true)
    expect(jobs.get(job.id)?.note).toBeNull()
  })
})

describe('a lost submission', { timeout: 20_000 }, () => {
  it('where the provider cannot list (fal): held for the user, never sent again by itself; Retry sends it', async () => {
    const fal = new FakeProvider('fal', { now: () => clock.now() })
    fal.submitScript.push('lost')
    const jobs = await manager(() => via(fal))
    const job = await jobs.submit(request('fal', 'lost at fal'))
    expect(await drive(() => jobs.get(job.id)?.state === 'outcome-unknown')).toBe(true)
    clock.setTimeout(() => undefined, 24 * 3600_000) // a day passes
    await drive(() => false, 50)
    expect(jobs.get(job.id)).toMatchObject({ state: 'outcome-unknown', remoteId: null })
    expect(jobs.get(job.id)?.note).toMatch(/cannot list its jobs.*Retry sends it again/)
    expect(fal.submitted()).toBe(1)
    expect(jobs.waitingFor(jobs.get(job.id) as JobRecord)).toBeNull()
    await jobs.retry(job.id)
    expect(await drive(() => fal.submitted() === 2)).toBe(true)
  })

  it('where it can list: the job it created is found and adopted, nothing sent twice', async () => {
    const replicate = new FakeProvider('replicate', { now: () => clock.now() })
    replicate.submitScript.push('lost')
    const jobs = await manager(() => via(replicate))
    const job = await jobs.submit(request('replicate', 'lost at replicate'))
    expect(await drive(() => jobs.get(job.id)?.remoteId !== null && jobs.get(job.id)?.state === 'queued')).toBe(true)
    expect(jobs.get(job.id)?.remoteId).toBe('replicate_1')
    expect(replicate.submitted()).toBe(1)
  })
})

describe('Replicate’s 1 h links', { timeout: 30_000 }, () => {
  it('download at once, and stop retrying when the link’s hour is up', async () => {
    const replicate = new FakeProvider('replicate', { now: () => clock.now() })
    const downloads: number[] = []
    const offline: typeof fetch = async () => {
      downloads.push(clock.now())
      throw new TypeError('fetch failed')
    }
    const jobs = await manager(() => via(replicate), offline)
    const retries: number[] = []
    jobs.onChange((j) => {
      if (j.state === 'download-retry' && j.nextAt !== null) retries.push(j.nextAt)
    })
    const job = await jobs.submit(request('replicate', 'short lived'))
    expect(await drive(() => jobs.get(job.id)?.state === 'queued')).toBe(true)
    const remoteId = jobs.get(job.id)?.remoteId as string
    const finishedAt = clock.now()
    replicate.set(remoteId, {
      phase: 'succeeded',
      videoUrl: 'https://replicate.delivery/x.mp4',
      completedAt: finishedAt,
    })
    expect(await drive(() => downloads.length > 0)).toBe(true)
    expect(await drive(() => jobs.get(job.id)?.state === 'failed', 3000)).toBe(true)
    expect(jobs.get(job.id)?.error?.code).toBe('VIDEO_EXPIRED')
    // Tried again and again in the hour, the last try a minute before its end, none after it (not the guide's 24 h).
    expect(retries.length).toBeGreaterThan(3)
    expect(Math.max(...retries)).toBe(finishedAt + 3600_000 - 60_000)
    expect(Math.max(...downloads)).toBeLessThan(finishedAt + 3600_000)
    expect(clock.now()).toBeLessThan(finishedAt + 3600_000)
  })
})

describe('cancel', { timeout: 20_000 }, () => {
  it('asks the service to cancel where it can, and says what it did', async () => {
    const replicate = new FakeProvider('replicate', { now: () => clock.now() })
    replicate.cancelOutcome = 'requested'
    const jobs = await manager(() => via(replicate))
    const job = await jobs.submit(request('replicate', 'cancel me'))
    expect(await drive(() => jobs.get(job.id)?.state === 'queued')).toBe(true)
    const cancelled = await jobs.cancel(job.id)
    expect(replicate.calls.filter((c) => c.method === 'cancel')).toHaveLength(1)
    expect(cancelled).toMatchObject({ state: 'cancelled' })
    expect(cancelled.note).toMatch(/Cancel asked of Replicate; it may still finish there and be billed/)
  })

  it('says plainly when the service has no cancel', async () => {
    const guide = new FakeProvider('seedance', { now: () => clock.now() })
    guide.cancelOutcome = new ApiError({ code: 'NOT_CANCELLABLE', message: 'The Seedance API has no cancel.' })
    const jobs = await manager(() => via(guide))
    const job = await jobs.submit(request('seedance', 'cannot cancel'))
    expect(await drive(() => jobs.get(job.id)?.state === 'queued')).toBe(true)
    expect((await jobs.cancel(job.id)).note).toBe('Stopped tracking. The Seedance API has no cancel.')
  })
})

describe('a rejected key', { timeout: 20_000 }, () => {
  it('stops only its own door’s jobs: another door’s go on', async () => {
    const guide = new FakeProvider('seedance', { now: () => clock.now() })
    const ark = new FakeProvider('ark', { now: () => clock.now() })
    ark.submitScript.push(new ApiError({ code: 'INVALID_API_KEY', message: 'The Ark key was refused.' }))
    const doors: Record<string, FakeProvider> = { seedance: guide, ark }
    const jobs = await manager((job) => via(doors[job.request.provider] as FakeProvider))
    const refused = await jobs.submit(request('ark', 'ark job'))
    expect(await drive(() => jobs.paused !== null)).toBe(true)
    expect(jobs.paused).toEqual({ code: 'INVALID_API_KEY', message: 'The Ark key was refused.' })
    expect(jobs.get(refused.id)).toMatchObject({ state: 'pending', attempts: 0 })
    const other = await jobs.submit(request('seedance', 'guide job'))
    const second = await jobs.submit(request('ark', 'another ark job'))
    expect(await drive(() => jobs.get(other.id)?.state === 'queued')).toBe(true)
    expect(jobs.get(second.id)?.state).toBe('pending')
    expect(ark.submitted()).toBe(1)
    jobs.resume() // the user fixed the key
    expect(await drive(() => jobs.get(second.id)?.state === 'queued' && jobs.get(refused.id)?.state === 'queued')).toBe(
      true,
    )
  })
})

describe('a journal written by a newer version', { timeout: 20_000 }, () => {
  it('keeps a job of a door this version does not know, held with a note; the others go on', async () => {
    const { writeFile } = await import('node:fs/promises')
    const { job: record } = await import('../../fixtures/records')
    const base = record()
    const future = record({
      id: 'future-1',
      state: 'processing',
      nextAt: 0,
      request: { ...base.request, provider: 'runway' as ProviderId, model: 'gen-9' },
      service: { kind: 'cloud', origin: 'https://api.runway.example' },
    })
    await writeFile(path.join(dir, 'journal.jsonl'), `${JSON.stringify(future)}\n`)
    const guide = new FakeProvider('seedance', { now: () => clock.now() })
    const jobs = await manager(() => via(guide))
    const mine = await jobs.submit(request('seedance', 'today'))
    expect(await drive(() => jobs.get(mine.id)?.state === 'queued')).toBe(true)
    expect(jobs.get('future-1')).toMatchObject({ state: 'processing', remoteId: 'job_1', error: null })
    expect(jobs.get('future-1')?.note).toMatch(/"runway", which this version of the app does not know/)
    expect(guide.calls.flatMap((c) => c.ids)).not.toContain('job_1')
    // Kept in the journal for the version that made it.
    const reopened = await Journal.open(path.join(dir, 'journal.jsonl'))
    await reopened.journal.close()
    expect(reopened.jobs.map((j) => j.id)).toContain('future-1')
  })
})
