// The job manager against the real Sandbox over HTTP, including its fault injection.
import { existsSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Engine } from '../../../electron/core/engine'
import { Keychain } from '../../../electron/core/secrets/keychain'
import { DataFolderBusyError } from '../../../electron/core/util/data-lock'
import type { SandboxOptions } from '../../../electron/sandbox/options'
import { type Sandbox, startSandbox } from '../../../electron/sandbox/server'
import type { JobRecord } from '../../../electron/shared/model'
import { job as jobRecord } from '../../fixtures/records'
import { openEngineOnSandbox } from '../sandbox-engine'
import { engineFor, finished, requestLog, type TestDirs, testDirs, until } from './engine-helpers'

let dirs: TestDirs
let sandbox: Sandbox | undefined
let engine: Engine | undefined
beforeEach(async () => {
  dirs = await testDirs()
})
afterEach(async () => {
  await engine?.close()
  await sandbox?.close()
  engine = undefined
  sandbox = undefined
  await dirs.cleanup()
})

async function setup(options: Partial<SandboxOptions> = {}) {
  const log = requestLog()
  sandbox = await startSandbox({
    genSeconds: { min: 2, max: 2 },
    requestsPerMinute: 200,
    renderWorkers: 2,
    log: log.log,
    ...options,
  })
  engine = await engineFor(dirs, sandbox, { rateWindowMs: (options.rateWindowSeconds ?? 60) * 1000 })
  return { log, sandbox, engine }
}

const text = (e: Engine, prompt: string) => e.prepare({ prompt, duration: 1, resolution: '720p' })

describe('JobManager', () => {
  it('takes a job from submission to a verified video in the library', async () => {
    const { engine } = await setup()
    const job = await engine.jobs.submit(await text(engine, 'sunset over the ocean'))
    await until(() => finished(engine.jobs.get(job.id)), 30_000, 'the job')
    const done = engine.jobs.get(job.id)
    expect(done).toMatchObject({ state: 'done', attempts: 1, credits: 1, error: null })
    const entry = engine.library.get(done?.videoId ?? '')
    expect(entry).toMatchObject({
      width: 1280,
      height: 720,
      duration: 1,
      prompt: 'sunset over the ocean',
      external: false,
    })
    expect(entry?.file).toMatch(/^\d{4}-\d\d-\d\d sunset-over-the-ocean [a-z0-9]{6}\.mp4$/)
    expect(existsSync(engine.library.videoPath(entry as NonNullable<typeof entry>))).toBe(true)
    expect(existsSync(engine.library.thumbnailPath(entry as NonNullable<typeof entry>) as string)).toBe(true)
    expect((await readdir(dirs.paths.library)).filter((f) => f.endsWith('.part'))).toEqual([])
    expect(engine.library.findByFingerprint(done?.fingerprint ?? '')?.id).toBe(entry?.id)
    const log = await readFile(path.join(dirs.paths.logs, 'seedance.log'), 'utf8')
    expect(log).toContain(`job ${job.id} submitting → queued`)
    expect(log).not.toContain(sandbox?.apiKey)
  }, 60_000)

  it('keeps at most the configured number of jobs active and checks several together through the list endpoint', async () => {
    const { engine, log } = await setup({ maxConcurrentJobs: 2 })
    const jobs: JobRecord[] = []
    for (const p of ['one', 'two', 'three', 'four', 'five'])
      jobs.push(await engine.jobs.submit(await text(engine, `batch ${p}`)))
    let maxActive = 0
    const off = engine.jobs.onChange(() => {
      maxActive = Math.max(
        maxActive,
        engine.jobs.list().filter((j) => ['submitting', 'queued', 'processing', 'outcome-unknown'].includes(j.state))
          .length,
      )
    })
    await until(() => jobs.every((j) => finished(engine.jobs.get(j.id))), 60_000, 'five jobs')
    off()
    expect(jobs.map((j) => engine.jobs.get(j.id)?.state)).toEqual(['done', 'done', 'done', 'done', 'done'])
    expect(maxActive).toBe(2)
    expect(log.count(/→ 429/)).toBe(0)
    expect(log.count(/^GET \/v1\/jobs →/)).toBeGreaterThan(0) // grouped checks
    expect(log.count(/^POST \/v1\/generate/)).toBe(5)
  }, 90_000)

  it('retries a JOB_FAILED generation once with the same parameters, then reports it', async () => {
    const { engine, log } = await setup({
      faults: { jobFailureRate: 1, unavailableRate: 0, latencyMs: 0, dropAfterCreateRate: 0 },
      genSeconds: { min: 0.3, max: 0.3 },
    })
    const job = await engine.jobs.submit(await text(engine, 'doomed'))
    await until(() => finished(engine.jobs.get(job.id)), 30_000)
    expect(engine.jobs.get(job.id)).toMatchObject({ state: 'failed', attempts: 2, error: { code: 'JOB_FAILED' } })
    expect(log.count(/^POST \/v1\/generate/)).toBe(2)
  }, 60_000)

  it('never pays twice for a POST whose answer was lost: it finds the job through the list endpoint', async () => {
    const { engine, sandbox } = await setup({
      faults: { jobFailureRate: 0, unavailableRate: 0, latencyMs: 0, dropAfterCreateRate: 1 },
    })
    const job = await engine.jobs.submit(await text(engine, 'lost answer'))
    const states: string[] = []
    engine.jobs.onChange((j) => {
      if (j.id === job.id) states.push(j.state)
    })
    await until(() => finished(engine.jobs.get(job.id)), 30_000)
    expect(engine.jobs.get(job.id)?.state).toBe('done')
    expect(states).toContain('outcome-unknown')
    const listed = (await (
      await fetch(`${sandbox.baseUrl}/jobs`, { headers: { authorization: `Bearer ${sandbox.apiKey}` } })
    ).json()) as { total: number }
    expect(listed.total).toBe(1)
    expect(sandbox.credits()).toBe(sandbox.options.credits - 1)
  }, 60_000)

  it('rides out a 503 burst without failing the jobs', async () => {
    const { engine, log } = await setup({
      faults: { jobFailureRate: 0, unavailableRate: 0.5, latencyMs: 0, dropAfterCreateRate: 0 },
      seed: 3,
    })
    const jobs = [
      await engine.jobs.submit(await text(engine, 'burst a')),
      await engine.jobs.submit(await text(engine, 'burst b')),
    ]
    await until(() => jobs.every((j) => finished(engine.jobs.get(j.id))), 90_000)
    expect(jobs.map((j) => engine.jobs.get(j.id)?.state)).toEqual(['done', 'done'])
    expect(log.count(/→ 503/)).toBeGreaterThan(0)
  }, 120_000)

  it('rides out a 429 storm (another device spending the same key) without failing the jobs', async () => {
    const { engine, log, sandbox } = await setup({ requestsPerMinute: 4, rateWindowSeconds: 2 })
    // Competing traffic the engine cannot see coming: it meets 429s and must wait them out.
    const rival = setInterval(
      () =>
        void fetch(`${sandbox.baseUrl}/jobs`, { headers: { authorization: `Bearer ${sandbox.apiKey}` } }).catch(
          () => undefined,
        ),
      250,
    )
    setTimeout(() => clearInterval(rival), 4000) // a storm, then calm
    try {
      const jobs = [
        await engine.jobs.submit(await text(engine, 'storm a')),
        await engine.jobs.submit(await text(engine, 'storm b')),
      ]
      await until(() => jobs.every((j) => finished(engine.jobs.get(j.id))), 90_000)
      expect(jobs.map((j) => engine.jobs.get(j.id)?.state)).toEqual(['done', 'done'])
    } finally {
      clearInterval(rival)
    }
    // The service was refusing requests (429) while the engine worked; the engine's own limiter reads the
    // X-RateLimit headers and waits for the window instead of joining the storm.
    expect(log.count(/→ 429/)).toBeGreaterThan(0)
  }, 120_000)

  it('resumes unfinished jobs after a restart without submitting them again', async () => {
    const log = requestLog()
    sandbox = await startSandbox({ genSeconds: { min: 3, max: 3 }, requestsPerMinute: 200, log: log.log })
    let first: Engine | undefined = await engineFor(dirs, sandbox)
    const ids = [
      (await first.jobs.submit(await text(first, 'restart a'))).id,
      (await first.jobs.submit(await text(first, 'restart b'))).id,
    ]
    await until(() => ids.every((id) => first?.jobs.get(id)?.state === 'queued'), 10_000)
    await first.close()
    first = undefined
    engine = await engineFor(dirs, sandbox)
    const e = engine
    await until(() => ids.every((id) => finished(e.jobs.get(id))), 30_000)
    expect(ids.map((id) => e.jobs.get(id)?.state)).toEqual(['done', 'done'])
    expect(log.count(/^POST \/v1\/generate/)).toBe(2)
  }, 60_000)

  it('reconciles a submission cut off by a crash (journaled as submitting) instead of re-sending it', async () => {
    const log = requestLog()
    sandbox = await startSandbox({ genSeconds: { min: 1, max: 1 }, requestsPerMinute: 200, log: log.log })
    const first = await engineFor(dirs, sandbox)
    const request = await text(first, 'crash mid-submit')
    await first.close()
    // What a crash right after the POST leaves: the job exists at the service, the journal says "submitting".
    const sentAt = Date.now()
    await fetch(`${sandbox.baseUrl}/generate/text-to-video`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandbox.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: request.prompt, duration: 1, resolution: '720p', aspect_ratio: '16:9' }),
    })
    const record = jobRecord({
      id: 'crashed-1',
      request,
      fingerprint: 'f',
      state: 'submitting',
      createdAt: sentAt,
      updatedAt: sentAt,
      submittedAt: sentAt,
      remoteId: null,
      estimatedCompletion: null,
      credits: null,
    })
    const { appendFile } = await import('node:fs/promises')
    await appendFile(path.join(dirs.paths.userData, 'journal.jsonl'), `${JSON.stringify(record)}\n`)
    engine = await engineFor(dirs, sandbox)
    const e = engine
    await until(() => finished(e.jobs.get('crashed-1')), 30_000)
    expect(e.jobs.get('crashed-1')).toMatchObject({ state: 'done', remoteId: expect.stringMatching(/^job_/) })
    expect(log.count(/^POST \/v1\/generate/)).toBe(1)
  }, 60_000)

  it('keeps the metadata of a video whose link expired before it could be saved', async () => {
    const log = requestLog()
    // The service keeps the file one second; its links answer 410 before that, so the service's own
    // expires_at (not a failed request) is what ends the job.
    sandbox = await startSandbox({
      genSeconds: { min: 0.5, max: 0.5 },
      requestsPerMinute: 200,
      retentionSeconds: 1,
      log: log.log,
    })
    const expiredFetch: typeof fetch = async (input, init) => {
      const url = String(input instanceof Request ? input.url : input)
      return url.includes('/files/')
        ? new Response(JSON.stringify({ error: { code: 'URL_EXPIRED', message: 'gone' } }), { status: 410 })
        : fetch(input, init)
    }
    engine = await engineFor(dirs, sandbox, { fetch: expiredFetch })
    const e = engine
    const job = await e.jobs.submit(await text(e, 'too late'))
    await until(() => finished(e.jobs.get(job.id)), 30_000)
    expect(e.jobs.get(job.id)).toMatchObject({ state: 'failed', error: { code: 'VIDEO_EXPIRED' } })
    const entry = e.library.get(e.jobs.get(job.id)?.videoId ?? '')
    expect(entry).toMatchObject({ expired: true, prompt: 'too late' })
  }, 60_000)

  it('cancels: stops tracking and says the service may still finish it', async () => {
    const { engine } = await setup({ genSeconds: { min: 20, max: 20 } })
    const job = await engine.jobs.submit(await text(engine, 'changed my mind'))
    await until(() => engine.jobs.get(job.id)?.state === 'queued', 10_000)
    const cancelled = await engine.jobs.cancel(job.id)
    expect(cancelled.state).toBe('cancelled')
    expect(cancelled.note).toMatch(/no cancel.*may still finish/)
  }, 30_000)

  it('pauses the queue when the key is rejected, keeping the job to send later', async () => {
    sandbox = await startSandbox()
    engine = await engineFor(dirs, sandbox, { keychain: new Keychain({ env: { SEEDANCE_API_KEY: 'wrong-key-1234' } }) })
    const e = engine
    const job = await e.jobs.submit(await text(e, 'wrong key'))
    const paused = await e.jobs.whenIdle()
    expect(paused?.code).toBe('INVALID_API_KEY')
    expect(e.jobs.get(job.id)?.state).toBe('pending')
  }, 30_000)

  it('refuses a second engine on the same data folder', async () => {
    await setup()
    await expect(engineFor(dirs, sandbox as Sandbox)).rejects.toBeInstanceOf(DataFolderBusyError)
  })
})

describe('account sync', () => {
  it('imports finished jobs the journal does not know (made elsewhere) into the library', async () => {
    const { engine, sandbox } = await setup({ genSeconds: { min: 0.5, max: 0.5 } })
    const mine = await engine.jobs.submit(await text(engine, 'made here'))
    await until(() => finished(engine.jobs.get(mine.id)), 30_000)
    // Two jobs made "on the web" with the same key.
    for (const prompt of ['made on the web', 'made on another machine']) {
      await fetch(`${sandbox.baseUrl}/generate/text-to-video`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sandbox.apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ prompt, duration: 1, resolution: '720p' }),
      })
    }
    // Wait until the service reports all three finished (rendering is slower on a loaded machine).
    for (let i = 0; i < 300; i++) {
      const page = (await (
        await fetch(`${sandbox.baseUrl}/jobs?status=completed`, {
          headers: { authorization: `Bearer ${sandbox.apiKey}` },
        })
      ).json()) as { total: number }
      if (page.total === 3) break
      await new Promise((r) => setTimeout(r, 100))
    }
    expect(await engine.jobs.importFromAccount()).toEqual({ found: 3, imported: 2 })
    await engine.jobs.whenIdle()
    expect(
      engine.library
        .query({ search: 'made' })
        .items.map((e) => e.prompt)
        .sort(),
    ).toEqual(['made here', 'made on another machine', 'made on the web'])
    expect(await engine.jobs.importFromAccount()).toEqual({ found: 3, imported: 0 })
  }, 60_000)
})

describe('submission bookkeeping', () => {
  it('does not count a refused submission as an attempt', async () => {
    sandbox = await startSandbox()
    engine = await engineFor(dirs, sandbox, { keychain: new Keychain({ env: { SEEDANCE_API_KEY: 'wrong-key-5678' } }) })
    const e = engine
    const job = await e.jobs.submit(await text(e, 'refused'))
    await e.jobs.whenIdle()
    expect(e.jobs.get(job.id)).toMatchObject({ state: 'pending', attempts: 0, error: { code: 'INVALID_API_KEY' } })
  })
})

describe('settings through the engine', () => {
  it('applies a change at once and saves it where the app keeps settings', async () => {
    const saved: unknown[] = []
    sandbox = await startSandbox()
    engine = await openEngineOnSandbox({
      paths: dirs.paths,
      role: 'app',
      sandbox: 'setting',
      saveSettings: (s) => void saved.push(s),
    })
    const next = await engine.updateSettings({ maxConcurrentJobs: 3, theme: 'dark' })
    expect(next).toMatchObject({ maxConcurrentJobs: 3, theme: 'dark' })
    expect(engine.settings.maxConcurrentJobs).toBe(3)
    expect(saved).toEqual([expect.objectContaining({ maxConcurrentJobs: 3, theme: 'dark' })])
    await expect(engine.updateSettings({ libraryDir: '/elsewhere' })).rejects.toMatchObject({
      code: 'INVALID_FOLDER',
    })
  })
})
