// The one submit rule (issue 9, point 2: paid twice): the same request in flight is joined, a paid video
// not saved is fetched again, a video already made is offered, else a new job. Pure cases first, then the
// engine across a restart that mimics a kill while the job was queued.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Engine } from '../../../electron/core/engine'
import { decideSubmission } from '../../../electron/core/jobs/submit-rule'
import { type Sandbox, startSandbox } from '../../../electron/sandbox/server'
import type { LibraryEntry } from '../../../electron/shared/model'
import { entry, job } from '../../fixtures/records'
import { engineFor, finished, requestLog, type TestDirs, testDirs, until } from './engine-helpers'

const now = Date.UTC(2026, 10, 26, 12)
const library = (entries: LibraryEntry[] = []) => ({
  findByFingerprint: (fp: string) => entries.find((e) => e.fingerprint === fp && !e.expired),
})
const paid = { videoUrl: 'https://x/v.mp4', thumbnailUrl: null, file: 'v.mp4', width: 1, height: 1 }

describe('decideSubmission', () => {
  it('joins a job for the same request that is not finished, in any state, even when forced', () => {
    for (const state of [
      'pending',
      'submitting',
      'queued',
      'processing',
      'outcome-unknown',
      'download-retry',
    ] as const) {
      const running = job({ state, fingerprint: 'fp' })
      const made = entry({ fingerprint: 'fp' })
      expect(decideSubmission('fp', [running], library([made]), { force: true, now })).toEqual({
        kind: 'joined',
        job: running,
        refetch: false,
      })
    }
  })

  it('fetches again a paid video that was not saved while its link may be valid, instead of paying again', () => {
    const unsaved = job({
      state: 'failed',
      fingerprint: 'fp',
      completedAt: now - 3600_000,
      output: paid,
      error: { code: 'DOWNLOAD_FAILED', message: 'x' },
    })
    expect(decideSubmission('fp', [unsaved], library(), { force: false, now })).toMatchObject({
      kind: 'joined',
      refetch: true,
    })
    // The service said it is gone, or a day has passed: it cannot be fetched; a new job is what is left.
    const gone = { ...unsaved, output: { ...paid, gone: true } }
    expect(decideSubmission('fp', [gone], library(), { force: false, now }).kind).toBe('new')
    const old = { ...unsaved, completedAt: now - 25 * 3600_000 }
    expect(decideSubmission('fp', [old], library(), { force: false, now }).kind).toBe('new')
    // A generation that failed at the service made no video.
    const failed = { ...unsaved, output: null, error: { code: 'JOB_FAILED', message: 'x' } }
    expect(decideSubmission('fp', [failed], library(), { force: false, now }).kind).toBe('new')
  })

  it('fetches again a paid video whose download was stopped (cancelled), instead of paying again', () => {
    const stopped = job({ state: 'cancelled', fingerprint: 'fp', completedAt: now - 3600_000, output: paid })
    expect(decideSubmission('fp', [stopped], library(), { force: false, now })).toMatchObject({
      kind: 'joined',
      refetch: true,
    })
  })

  it('offers the video already in the library unless forced', () => {
    const made = entry({ fingerprint: 'fp' })
    const done = job({ state: 'done', fingerprint: 'fp' })
    expect(decideSubmission('fp', [done], library([made]), { force: false, now })).toEqual({
      kind: 'exists',
      entry: made,
    })
    expect(decideSubmission('fp', [done], library([made]), { force: true, now })).toEqual({ kind: 'new' })
    expect(decideSubmission('other', [done], library([made]), { force: false, now })).toEqual({ kind: 'new' })
  })
})

describe('the engine after a kill while the job was queued', () => {
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

  it('joins the journaled job when the same request comes again: one job, one charge, one video', async () => {
    const log = requestLog()
    sandbox = await startSandbox({ genSeconds: { min: 2, max: 2 }, requestsPerMinute: 200, log: log.log })
    const input = { prompt: 'harbor at dusk, slow pan', duration: 2 }
    const first = await engineFor(dirs, sandbox)
    const sent = await first.submit(input)
    expect(sent.kind).toBe('new')
    const id = sent.kind === 'new' ? sent.job.id : ''
    await until(() => first.jobs.get(id)?.state === 'queued', 10_000, 'the job queued at the service')
    // The process ends here: the journal holds the queued job, as after Ctrl-C or kill -9.
    await first.close()
    engine = await engineFor(dirs, sandbox)
    const e = engine
    const again = await e.submit(input)
    expect(again).toMatchObject({ kind: 'joined', refetch: false, job: { id } })
    await until(() => finished(e.jobs.get(id)), 30_000, 'the joined job')
    expect(e.jobs.get(id)?.state).toBe('done')
    expect(log.count(/^POST \/v1\/generate/)).toBe(1)
    expect(sandbox.credits()).toBe(sandbox.options.credits - (e.jobs.get(id)?.credits ?? 0))
    expect(e.library.all().filter((v) => v.prompt === input.prompt)).toHaveLength(1)
    // And once made, the same request is offered from the library.
    expect((await e.submit(input)).kind).toBe('exists')
  }, 60_000)
})
