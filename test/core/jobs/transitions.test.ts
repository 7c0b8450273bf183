// The job's rules as pure functions (issue 10, point 3): record + snapshot → next record, with a fake clock and no
// HTTP. What keeps money safe is asserted here once for every provider: a paid video is downloaded, never made again;
// a lost submission is looked for where the provider can list, and held for the user where it cannot.
import { describe, expect, it } from 'vitest'
import { jobLinkMayBeValid } from '../../../electron/core/jobs/job-policy'
import {
  afterLost,
  afterReconcile,
  afterSnapshot,
  afterSubmit,
  afterSubmitError,
  matchLostSubmission,
  RECONCILE_TRIES,
  type SnapshotContext,
} from '../../../electron/core/jobs/transitions'
import type { JobRecord } from '../../../electron/shared/model'
import { FakeClock } from '../../fakes/clock'
import { snapshot } from '../../fakes/video-provider'
import { job as jobRecord } from '../../fixtures/records'

const clock = new FakeClock()
const ctx = (over: Partial<SnapshotContext> = {}): SnapshotContext => ({
  now: clock.now(),
  pollAt: clock.now() + 5000,
  retryFailedOnce: true,
  file: () => 'video.mp4',
  label: 'fal.ai',
  ...over,
})
const sent = (over: Partial<JobRecord> = {}) =>
  jobRecord({ state: 'queued', remoteId: 'r1', attempts: 1, service: { kind: 'cloud', origin: 'https://x' }, ...over })

describe('afterSnapshot', () => {
  it('keeps a job the service is working on, polled at the time given, with its queue position', () => {
    const step = afterSnapshot(sent(), snapshot('r1', { phase: 'queued', queuePosition: 3, eta: 123 }), ctx())
    expect(step).toEqual({
      patch: {
        state: 'queued',
        estimatedCompletion: 123,
        nextAt: clock.now() + 5000,
        queuePosition: 3,
        note: "3 jobs ahead in fal.ai's queue.",
      },
    })
    expect(afterSnapshot(sent(), snapshot('r1', { phase: 'running' }), ctx()).patch.state).toBe('processing')
  })

  it('drops the queue position note once the job leaves the queue (running, or finished)', () => {
    const waiting = sent({ note: "Next in fal.ai's queue." })
    expect(afterSnapshot(waiting, snapshot('r1', { phase: 'running' }), ctx()).patch).toMatchObject({
      note: null,
      queuePosition: null,
    })
    const done = snapshot('r1', { phase: 'succeeded', videoUrl: 'https://cdn/v.mp4' })
    expect(afterSnapshot({ ...waiting, state: 'processing' }, done, ctx()).patch.note).toBeNull()
    // Still queued without a position (a service that gives none): the note stays as it was.
    expect(afterSnapshot(waiting, snapshot('r1', { phase: 'queued' }), ctx()).patch).not.toHaveProperty('note')
  })

  it('starts the download of a finished video at once, with the service’s link expiry, cost and seed', () => {
    const step = afterSnapshot(
      sent({ credits: null }),
      snapshot('r1', {
        phase: 'succeeded',
        videoUrl: 'https://cdn/v.mp4',
        thumbnailUrl: null,
        lastFrameUrl: 'https://cdn/last.jpg',
        completedAt: clock.now() - 1000,
        linkExpiresAt: clock.now() + 3600_000,
        width: 864,
        height: 480,
        declaredBytes: 1000,
        cost: { amount: 4, unit: 'credits' },
        seed: 77,
      }),
      ctx(),
    )
    expect(step.download).toBe(true)
    expect(step.patch).toMatchObject({
      state: 'downloading',
      completedAt: clock.now() - 1000,
      credits: 4,
      output: {
        videoUrl: 'https://cdn/v.mp4',
        thumbnailUrl: 'https://cdn/last.jpg',
        file: 'video.mp4',
        expiresAt: clock.now() + 3600_000,
        declaredBytes: 1000,
        seed: 77,
      },
    })
  })

  it('does not count tokens or seconds as credits', () => {
    const step = afterSnapshot(
      sent({ credits: null }),
      snapshot('r1', { phase: 'succeeded', videoUrl: 'https://v', cost: { amount: 120_000, unit: 'tokens' } }),
      ctx(),
    )
    expect(step.patch.credits).toBeNull()
    expect(step.patch.output?.expiresAt).toBeNull() // not said: the provider's link lifetime applies
  })

  it('fails a success without a video link (MALFORMED_RESPONSE), downloading nothing', () => {
    const step = afterSnapshot(sent(), snapshot('r1', { phase: 'succeeded' }), ctx())
    expect(step.download).toBeUndefined()
    expect(step.patch).toMatchObject({ state: 'failed', error: { code: 'MALFORMED_RESPONSE' } })
  })

  it('sends a JOB_FAILED job once more (not billed), then reports it', () => {
    const failed = snapshot('r1', { phase: 'failed', error: { code: 'JOB_FAILED', message: 'boom', serviceCode: 'x' } })
    expect(afterSnapshot(sent({ attempts: 1 }), failed, ctx()).patch).toMatchObject({
      state: 'pending',
      remoteId: null,
    })
    expect(afterSnapshot(sent({ attempts: 2 }), failed, ctx()).patch).toMatchObject({
      state: 'failed',
      error: { code: 'JOB_FAILED', message: 'boom' },
    })
    expect(afterSnapshot(sent({ attempts: 1 }), failed, ctx({ retryFailedOnce: false })).patch.state).toBe('failed')
  })

  it('never retries a refusal by moderation, and reports expiry and a cancel made elsewhere', () => {
    const policy = snapshot('r1', {
      phase: 'failed',
      error: { code: 'CONTENT_POLICY', message: 'no', serviceCode: 'x' },
    })
    expect(afterSnapshot(sent(), policy, ctx()).patch).toMatchObject({
      state: 'failed',
      error: { code: 'CONTENT_POLICY' },
    })
    expect(afterSnapshot(sent(), snapshot('r1', { phase: 'expired' }), ctx()).patch).toMatchObject({
      state: 'failed',
      error: { code: 'JOB_EXPIRED' },
    })
    expect(afterSnapshot(sent(), snapshot('r1', { phase: 'cancelled' }), ctx()).patch).toMatchObject({
      state: 'cancelled',
      note: 'Cancelled at fal.ai.',
    })
  })
})

describe('afterSubmit', () => {
  it('records the service’s id with what it said', () => {
    const step = afterSubmit(
      jobRecord({ state: 'submitting', remoteId: null }),
      snapshot('r9', { phase: 'queued', eta: clock.now() + 40_000 }),
      ctx(),
    )
    expect(step.patch).toMatchObject({ remoteId: 'r9', state: 'queued', estimatedCompletion: clock.now() + 40_000 })
  })
})

describe('afterSubmitError', () => {
  const submitting = () => jobRecord({ state: 'submitting', remoteId: null, attempts: 1 })
  const e = (code: string, over = {}) => ({ code, message: `said ${code}`, ...over })

  it('looks for a lost submission where the provider can list', () => {
    const step = afterSubmitError(submitting(), e('OUTCOME_UNKNOWN', { outcomeUnknown: true }), {
      now: clock.now(),
      canList: true,
      label: 'Replicate',
    })
    expect(step.patch).toMatchObject({ state: 'outcome-unknown', nextAt: clock.now() + 2000 })
  })

  it('holds a lost submission where it cannot (fal): no time set, nothing re-sent, the way out in the note', () => {
    const step = afterSubmitError(submitting(), e('OUTCOME_UNKNOWN', { outcomeUnknown: true }), {
      now: clock.now(),
      canList: false,
      label: 'fal.ai',
    })
    expect(step.patch).toMatchObject({ state: 'outcome-unknown', nextAt: null })
    expect(step.patch.note).toMatch(/fal\.ai cannot list its jobs.*Nothing is sent again.*Retry.*paid twice.*Cancel/)
  })

  it('pauses the queue on a rejected key or no credits, the attempt not counted', () => {
    for (const code of ['INVALID_API_KEY', 'INSUFFICIENT_CREDITS']) {
      const step = afterSubmitError(submitting(), e(code), { now: clock.now(), canList: true, label: 'x' })
      expect(step.pause).toEqual({ code, message: `said ${code}` })
      expect(step.patch).toMatchObject({ state: 'pending', attempts: 0 })
    }
  })

  it('waits as long as the service says for its rate limit, and longer for a full queue', () => {
    const rate = afterSubmitError(submitting(), e('RATE_LIMIT_EXCEEDED', { retryAfter: 7 }), {
      now: clock.now(),
      canList: true,
      label: 'x',
    })
    expect(rate.patch).toMatchObject({
      state: 'pending',
      attempts: 0,
      nextAt: clock.now() + 7000,
      waitFor: 'rate-limit',
    })
    const full = afterSubmitError(submitting(), e('QUEUE_FULL'), { now: clock.now(), canList: true, label: 'Ark' })
    expect(full.patch).toMatchObject({ state: 'pending', nextAt: clock.now() + 30_000, waitFor: 'queue-full' })
    const fault = afterSubmitError(submitting(), e('SERVICE_UNAVAILABLE', { retryable: true }), {
      now: clock.now(),
      canList: true,
      label: 'x',
    })
    expect(fault.patch).toMatchObject({ state: 'pending', waitFor: 'retry' })
    expect(full.patch.note).toMatch(/queue is full/)
  })

  it('fails what will not succeed if sent again', () => {
    const step = afterSubmitError(submitting(), e('INVALID_PROMPT'), { now: clock.now(), canList: true, label: 'x' })
    expect(step.patch).toMatchObject({ state: 'failed', error: { code: 'INVALID_PROMPT' } })
  })
})

describe('afterLost (the service does not know the job)', () => {
  it('holds an older journal’s job, which may be another service’s: not failed, not re-sent', () => {
    expect(afterLost(sent({ service: undefined }), { serviceUnknown: true, heldNote: 'waiting' })).toEqual({
      patch: { note: 'waiting' },
    })
  })
  it('sends a Sandbox job again (the Sandbox forgets on restart; its credits are not real)', () => {
    const step = afterLost(sent({ service: { kind: 'sandbox', origin: 'http://127.0.0.1:1' } }), {
      serviceUnknown: false,
      heldNote: '',
    })
    expect(step.patch).toMatchObject({ state: 'pending', remoteId: null })
  })
  it('fails a cloud job its own service no longer knows', () => {
    expect(afterLost(sent(), { serviceUnknown: false, heldNote: '' }).patch).toMatchObject({
      state: 'failed',
      error: { code: 'JOB_NOT_FOUND' },
    })
  })
})

describe('reconciling a lost submission', () => {
  const lost = () =>
    jobRecord({
      state: 'outcome-unknown',
      remoteId: null,
      attempts: 1,
      submittedAt: clock.now(),
      updatedAt: clock.now(),
    })
  const listed = (id: string, over: Partial<ReturnType<typeof snapshot>> = {}) =>
    snapshot(id, {
      createdAt: clock.now() + 1000,
      echo: {
        prompt: 'sunset over the ocean',
        model: 'standard',
        mode: 'text',
        duration: 4,
        resolution: '720p',
        ratio: '16:9',
      },
      ...over,
    })

  it('adopts the job the list shows for it, and only one not known already', () => {
    const mine = listed('r2')
    expect(matchLostSubmission(lost(), [listed('r1'), mine], new Set(['r1']))).toBe(mine)
    expect(
      afterReconcile(lost(), mine, { now: clock.now(), tries: 0, serviceUnknown: false, heldNote: '' }).patch,
    ).toMatchObject({
      remoteId: 'r2',
      state: 'queued',
    })
  })

  it.each<[string, Partial<ReturnType<typeof snapshot>>]>([
    ['another prompt', { echo: { prompt: 'other' } }],
    ['another model', { echo: { model: 'seedance-1-0-pro-250528' } }],
    ['another mode', { echo: { mode: 'image' } }],
    ['another duration', { echo: { duration: 8 } }],
    ['made long before the POST', { createdAt: clock.now() - 60_000 }],
    ['made long after it', { createdAt: clock.now() + 300_000 }],
  ])('does not take a job with %s', (_name, over) => {
    expect(matchLostSubmission(lost(), [listed('r3', over)], new Set())).toBeUndefined()
  })

  it('looks again, then sends it again only once the list has shown nothing several times', () => {
    const c = { now: clock.now(), serviceUnknown: false, heldNote: '' }
    expect(afterReconcile(lost(), null, { ...c, tries: 1 }).patch).toEqual({ nextAt: clock.now() + 5000 })
    expect(afterReconcile(lost(), null, { ...c, tries: RECONCILE_TRIES }).patch).toMatchObject({
      state: 'pending',
      attempts: 0,
    })
    expect(
      afterReconcile(lost(), null, { ...c, tries: RECONCILE_TRIES, serviceUnknown: true, heldNote: 'held' }).patch,
    ).toEqual({ note: 'held' })
  })
})

describe('link lifetime per provider', () => {
  const paid = (provider: 'seedance' | 'replicate', expiresAt: number | null = null) => {
    const base = jobRecord()
    return jobRecord({
      state: 'download-retry',
      request: { ...base.request, provider, model: provider === 'replicate' ? 'bytedance/seedance-1-pro' : 'standard' },
      completedAt: clock.now(),
      output: { videoUrl: 'u', thumbnailUrl: null, file: 'a.mp4', width: 1, height: 1, expiresAt },
    })
  }
  it('Replicate’s outputs live 1 h: retries stop at its end, not 24 h later', () => {
    expect(jobLinkMayBeValid(paid('replicate'), clock.now() + 59 * 60_000)).toBe(true)
    expect(jobLinkMayBeValid(paid('replicate'), clock.now() + 61 * 60_000)).toBe(false)
    expect(jobLinkMayBeValid(paid('seedance'), clock.now() + 23 * 3600_000)).toBe(true)
  })
  it('a link expiry the service gave counts when later', () => {
    expect(jobLinkMayBeValid(paid('replicate', clock.now() + 2 * 3600_000), clock.now() + 90 * 60_000)).toBe(true)
  })
})
