// When the engine asks a service that gives no ETA (issue 10, point 9): it learns each door and model's generation
// time from finished jobs, expects a new job at its start (after the runner it waits for, where the door queues) plus
// that time, lines the polls of a door that answers for several jobs up into one request, and keeps what it learned
// in the data folder. Pure rules first, then the job manager with an in-memory provider and the test's clock.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { JobManager } from '../../../electron/core/jobs/job-manager'
import { Journal } from '../../../electron/core/jobs/journal'
import {
  alignedPollAt,
  alignWindow,
  expectedStart,
  GenerationTimes,
  type OutJob,
  overdueInterval,
  replanQueue,
} from '../../../electron/core/jobs/poll-plan'
import { Library } from '../../../electron/core/library/library'
import { silentLogger } from '../../../electron/core/util/logger'
import type { GenerationRequest } from '../../../electron/shared/model'
import { type ProviderId, providerInfo } from '../../../electron/shared/providers'
import { TimerClock } from '../../fakes/clock'
import { FakeProvider } from '../../fakes/video-provider'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'poll-plan-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const request = (provider: ProviderId, over: Partial<GenerationRequest> = {}): GenerationRequest => ({
  provider,
  model: providerInfo(provider).defaultModel,
  mode: 'text',
  prompt: 'a slow pan over dunes',
  duration: 5,
  resolution: '720p',
  aspectRatio: '16:9',
  style: null,
  motionIntensity: null,
  image: null,
  ...over,
})

describe('generation times', () => {
  it('the median of what was seen, per door, model, size and duration; per second of video otherwise', () => {
    const times = GenerationTimes.inMemory()
    const ark = request('ark')
    expect(times.expectedMs(ark)).toBeNull()
    for (const ms of [30_000, 90_000, 32_000]) times.learn(ark, ms)
    expect(times.expectedMs(ark)).toBe(32_000)
    // Not seen at 10 s yet: the model's time per second of video at that size, times 10.
    expect(times.expectedMs({ ...ark, duration: 10 })).toBe(64_000)
    expect(times.expectedMs({ ...ark, resolution: '1080p' })).toBeNull()
    expect(times.expectedMs(request('fal'))).toBeNull()
  })

  it('ignores what is no generation time (under a second, over six hours) and follows the last nine', () => {
    const times = GenerationTimes.inMemory()
    const r = request('replicate')
    times.learn(r, 10)
    times.learn(r, 7 * 3600_000)
    times.learn(r, Number.NaN)
    expect(times.expectedMs(r)).toBeNull()
    for (let i = 0; i < 9; i++) times.learn(r, 100_000)
    for (let i = 0; i < 9; i++) times.learn(r, 40_000) // the service got faster
    expect(times.expectedMs(r)).toBe(40_000)
  })

  it('kept in the data folder for the next session; a damaged file starts empty', async () => {
    const file = path.join(dir, 'generation-times.json')
    const first = await GenerationTimes.open(file)
    first.learn(request('ark'), 45_000)
    await first.flushed()
    expect((await GenerationTimes.open(file)).expectedMs(request('ark'))).toBe(45_000)
    await writeFile(file, '{"format":1,"samples":{"ark|x|720p|5":["soon",-3]}}')
    expect((await GenerationTimes.open(file)).expectedMs({ ...request('ark'), model: 'x' })).toBeNull()
    await writeFile(file, 'not json')
    const fresh = await GenerationTimes.open(file)
    expect(fresh.expectedMs(request('ark'))).toBeNull()
    fresh.learn(request('ark'), 50_000)
    await fresh.flushed()
    expect(JSON.parse(await readFile(file, 'utf8')).format).toBe(1)
  })
})

describe('the plan', () => {
  const ends = (...t: number[]) => t.map((e) => ({ estimatedCompletion: e, submittedAt: 0 }))

  it('a job starts now, or after the runner it waits for where the door queues (fal: 2 runners)', () => {
    const fal = request('fal')
    expect(expectedStart(fal, 1000, ends(30_000))).toBe(1000)
    // Two ahead fill both runners: it takes the first to free.
    expect(expectedStart(fal, 1000, ends(31_000, 30_000))).toBe(30_000)
    // Three ahead: the third took the runner freed at 30 s and ends at 60 s; the next free is at 31 s.
    expect(expectedStart(fal, 1000, ends(30_000, 31_000, 60_000))).toBe(31_000)
    // One of them has no expectation: nothing to build on.
    expect(expectedStart(fal, 1000, [...ends(30_000), { estimatedCompletion: null, submittedAt: 0 }])).toBe(1000)
    // The guide refuses past its limit (the scheduler never sends more): a job sent starts at once.
    expect(expectedStart(request('seedance'), 1000, ends(30_000, 31_000))).toBe(1000)
    // Replicate documents no running limit.
    expect(expectedStart(request('replicate'), 1000, ends(...Array(50).fill(30_000)))).toBe(1000)
  })

  it('polls line up within a short window, never earlier than due; overdue jobs are asked again soon', () => {
    expect(alignedPollAt(30_000, [30_400, 29_000, 31_000], 500)).toBe(30_400)
    expect(alignedPollAt(30_000, [29_900], 500)).toBe(30_000)
    expect(alignedPollAt(30_000, [], 500)).toBe(30_000)
    expect(alignWindow(null)).toBe(250)
    expect(alignWindow(60_000)).toBe(2000)
    expect(alignWindow(30_000)).toBe(1000)
    expect(alignWindow(600_000)).toBe(2000)
    expect(overdueInterval(60_000)).toBe(3000)
    expect(overdueInterval(5_000)).toBe(1000)
  })

  const out = (
    id: string,
    sent: number,
    eta: number | null,
    runnerSince: number | null,
    expectedMs: number | null = 30_000,
  ) => ({ id, submittedAt: sent, eta, runnerSince, expectedMs }) satisfies OutJob

  it('a freed runner re-plans the queue behind it from now: the next job takes it, the rest the first to free', () => {
    // fal, 2 runners: a (gone) and b ran at once, planned to end at 30 s; c–f queued, planned at 60 and 90 s. a is
    // seen finished at 33 s: c gets its runner now, d waits for b (overdue, so any moment: now), e and f for c and d.
    const plan = replanQueue(
      [
        out('f', 5, 90_005, null),
        out('b', 1, 30_001, 1),
        out('c', 2, 60_000, null),
        out('d', 3, 60_001, null),
        out('e', 4, 90_000, null),
      ],
      2,
      33_000,
    )
    expect(Object.fromEntries(plan)).toEqual({
      c: { eta: 63_000, runnerSince: 33_000 },
      d: { eta: 63_000, runnerSince: null },
      e: { eta: 93_000, runnerSince: null },
      f: { eta: 93_000, runnerSince: null },
    })
    // Seen at 31 s instead: c takes the runner; the ones still waiting moved by 1 s, less than a look (1.5 s), stay.
    const small = replanQueue(
      [out('b', 1, 30_001, 1), out('c', 2, 60_000, null), out('d', 3, 60_001, null), out('e', 4, 90_000, null)],
      2,
      31_000,
    )
    expect(Object.fromEntries(small)).toEqual({ c: { eta: 61_000, runnerSince: 31_000 } })
    // b is seen finished a moment later: d takes its runner then; a job that has one keeps its start.
    const next = replanQueue(
      [out('c', 2, 61_000, 31_000), out('d', 3, 61_000, null), out('e', 4, 91_000, null)],
      2,
      31_500,
    )
    expect(Object.fromEntries(next)).toEqual({ d: { eta: 61_500, runnerSince: 31_500 } })
    // Seen at 31.5 s, known to have ended by its expected end at 31.2 s: the runner freed then.
    expect(replanQueue([out('d', 3, 61_000, null)], 1, 31_500, 31_200).get('d')).toEqual({
      eta: 61_200,
      runnerSince: 31_200,
    })
  })

  it('a moved end under 50 ms is left; nothing known of a job, its end and every later start stay unknown', () => {
    expect(replanQueue([out('a', 1, 30_000, 0), out('b', 2, 60_020, null)], 1, 10_000).size).toBe(0)
    // More jobs claim a runner than the door runs (an earlier session's, taken as running): no guess is made.
    expect(replanQueue([out('a', 1, 30_000, 0), out('b', 2, 30_000, 0), out('c', 3, null, null)], 1, 10_000).size).toBe(
      0,
    )
    // a's door and model were never seen finishing: it gets the runner, with no end; b's start is unknown.
    const plan = replanQueue([out('a', 1, null, null, null), out('b', 2, null, null)], 1, 10_000)
    expect(Object.fromEntries(plan)).toEqual({ a: { eta: null, runnerSince: 10_000 } })
  })
})

describe('the job manager on a door with no ETA', { timeout: 20_000 }, () => {
  let clock: TimerClock
  let jobs: JobManager | null = null
  let library: Library | null = null
  beforeEach(() => {
    clock = new TimerClock()
  })
  afterEach(async () => {
    await jobs?.stop()
    await library?.flush()
  })

  async function open(provider: FakeProvider, times: GenerationTimes) {
    const opened = await Journal.open(path.join(dir, 'journal.jsonl'))
    library = await Library.open(path.join(dir, 'videos'), { logger: silentLogger })
    jobs = new JobManager({
      journal: opened.journal,
      jobs: opened.jobs,
      route: () => ({ provider, service: { kind: 'cloud', origin: new URL(provider.baseUrl).origin } }),
      library,
      settings: () => ({ maxConcurrentJobs: 2, retryFailedOnce: false }),
      logger: silentLogger,
      clock,
      times,
    })
    await jobs.start()
    return jobs
  }

  async function drive(check: () => boolean, rounds = 400): Promise<boolean> {
    for (let i = 0; i < rounds; i++) {
      if (check()) return true
      await new Promise((r) => setTimeout(r, 2))
      // A pass that writes the journal for many jobs (a re-plan) takes longer than 2 ms: the clock waits for it.
      while (jobs && !jobs.idle) await new Promise((r) => setTimeout(r, 1))
      if (check()) return true
      clock.next()
    }
    return check()
  }

  it('asks first when a learned generation time says, for the whole wave in one request', async () => {
    const ark = new FakeProvider('ark', { now: () => clock.now() })
    const times = GenerationTimes.inMemory()
    times.learn(request('ark'), 40_000)
    const manager = await open(ark, times)
    const t0 = clock.now()
    const a = await manager.submit(request('ark', { prompt: 'first' }))
    const b = await manager.submit(request('ark', { prompt: 'second' }))
    expect(await drive(() => ark.calls.some((c) => c.method === 'get'))).toBe(true)
    const gets = ark.calls.filter((c) => c.method === 'get')
    expect(gets).toHaveLength(1)
    expect(gets[0]?.ids.sort()).toEqual([manager.get(a.id)?.remoteId, manager.get(b.id)?.remoteId].sort())
    expect(clock.now() - t0).toBeGreaterThanOrEqual(40_000)
    expect(clock.now() - t0).toBeLessThan(41_000)
    // The UI shows the expectation as the job's ETA.
    expect(manager.get(a.id)?.estimatedCompletion).toBeGreaterThanOrEqual(t0 + 40_000)
  })

  it('two jobs of a wave sent a moment apart, each with its own ETA: one request sees both', async () => {
    // The guide's API gives an ETA per job; its two runners' jobs are sent 400 ms apart (its rate limiter), so their
    // first looks fall 400 ms apart: more than the grouping window, within the join window (a thirtieth of 30 s).
    const seedance = new FakeProvider('seedance', { now: () => clock.now(), etaMs: 30_000 })
    const manager = await open(seedance, GenerationTimes.inMemory())
    const t0 = clock.now()
    const a = await manager.submit(request('seedance', { prompt: 'first' }))
    expect(await drive(() => manager.get(a.id)?.state === 'queued')).toBe(true)
    clock.advance(400)
    const b = await manager.submit(request('seedance', { prompt: 'second' }))
    expect(await drive(() => manager.get(b.id)?.state === 'queued')).toBe(true)
    for (const id of [a.id, b.id]) seedance.set(manager.get(id)?.remoteId as string, { phase: 'running' })
    expect(await drive(() => seedance.calls.some((c) => c.method === 'get'))).toBe(true)
    const gets = seedance.calls.filter((c) => c.method === 'get')
    expect(gets).toHaveLength(1)
    expect(gets[0]?.ids).toHaveLength(2)
    // Not before the later one is due; the earlier waited less than its window (1 s).
    expect(clock.now() - t0).toBeGreaterThanOrEqual(30_400)
    expect(clock.now() - t0).toBeLessThan(30_000 + 150 + 1000)
  })

  it('a poll joins a later one only within its window: jobs 5 s apart are asked apart', async () => {
    const seedance = new FakeProvider('seedance', { now: () => clock.now(), etaMs: 30_000 })
    const manager = await open(seedance, GenerationTimes.inMemory())
    const a = await manager.submit(request('seedance', { prompt: 'first' }))
    expect(await drive(() => manager.get(a.id)?.state === 'queued')).toBe(true)
    clock.advance(5000)
    const b = await manager.submit(request('seedance', { prompt: 'second' }))
    expect(await drive(() => manager.get(b.id)?.state === 'queued')).toBe(true)
    const t1 = clock.now()
    expect(await drive(() => seedance.calls.some((c) => c.method === 'get'))).toBe(true)
    expect(seedance.calls.filter((c) => c.method === 'get')[0]?.ids).toEqual([manager.get(a.id)?.remoteId])
    expect(clock.now() - t1).toBeLessThan(26_000)
  })

  it('learns from a job that ran at once, on the service’s own clock', async () => {
    const replicate = new FakeProvider('replicate', { now: () => clock.now() })
    const times = GenerationTimes.inMemory()
    const manager = await open(replicate, times)
    const job = await manager.submit(request('replicate'))
    expect(await drive(() => manager.get(job.id)?.state === 'queued')).toBe(true)
    const remoteId = manager.get(job.id)?.remoteId as string
    const created = replicate.remote.get(remoteId)?.createdAt as number
    replicate.set(remoteId, { phase: 'succeeded', completedAt: created + 52_000, videoUrl: null })
    expect(await drive(() => times.expectedMs(request('replicate')) !== null)).toBe(true)
    expect(times.expectedMs(request('replicate'))).toBe(52_000)
  })

  it('a cold batch past the runners learns only from the jobs that ran at once, not from the queued ones’ waits', async () => {
    // fal runs 2 at once and queues the rest; nothing learned yet, so no job has an expected end to queue behind.
    const fal = new FakeProvider('fal', { now: () => clock.now() })
    const times = GenerationTimes.inMemory()
    const manager = await open(fal, times)
    const jobs: Array<{ id: string }> = []
    for (const prompt of ['one', 'two', 'three', 'four']) jobs.push(await manager.submit(request('fal', { prompt })))
    expect(await drive(() => jobs.every((j) => manager.get(j.id)?.state === 'queued'))).toBe(true)
    const t0 = clock.now()
    // The service finishes them in two waves of 30 s: the queued two after 60 s, having waited 30 s.
    const finish = (i: number) =>
      fal.set(manager.get(jobs[i]?.id as string)?.remoteId as string, { phase: 'succeeded', videoUrl: null })
    expect(await drive(() => clock.now() - t0 >= 30_000)).toBe(true)
    finish(0)
    finish(1)
    expect(await drive(() => times.expectedMs(request('fal')) !== null)).toBe(true)
    const learned = times.expectedMs(request('fal')) as number
    expect(await drive(() => clock.now() - t0 >= 60_000)).toBe(true)
    finish(2)
    finish(3)
    expect(await drive(() => [2, 3].every((i) => manager.get(jobs[i]?.id as string)?.state !== 'queued'))).toBe(true)
    // Seen at the next look after 30 s (cold polls back off), and the queued jobs' 60 s never counted.
    expect(learned).toBeGreaterThanOrEqual(30_000)
    expect(learned).toBeLessThan(50_000)
    expect(times.expectedMs(request('fal'))).toBe(learned)
  })

  it('learns the run time the service reports from every job, the queued ones too; the next batch is looked at on time', async () => {
    // fal reports metrics.inference_time: 30 s for each, whatever the job waited and whenever the engine first saw
    // it finished (cold polls back off, and see the first wave at about 46 s).
    const fal = new FakeProvider('fal', { now: () => clock.now() })
    const times = GenerationTimes.inMemory()
    const manager = await open(fal, times)
    const batch = async (prompts: string[]) => {
      const made: Array<{ id: string }> = []
      for (const prompt of prompts) made.push(await manager.submit(request('fal', { prompt })))
      expect(await drive(() => made.every((j) => manager.get(j.id)?.state === 'queued'))).toBe(true)
      return made
    }
    const remote = (job: { id: string }) => manager.get(job.id)?.remoteId as string
    const cold = await batch(['one', 'two', 'three', 'four'])
    let t0 = clock.now()
    expect(await drive(() => clock.now() - t0 >= 30_000)).toBe(true)
    for (const j of cold.slice(0, 2)) fal.set(remote(j), { phase: 'succeeded', runMs: 30_000, videoUrl: null })
    expect(await drive(() => clock.now() - t0 >= 60_000)).toBe(true)
    for (const j of cold.slice(2)) fal.set(remote(j), { phase: 'succeeded', runMs: 30_000, videoUrl: null })
    expect(await drive(() => cold.every((j) => manager.get(j.id)?.state !== 'queued'))).toBe(true)
    expect(times.expectedMs(request('fal'))).toBe(30_000)

    // Warm: the first two are expected at 30 s, the two queued behind them (fal's 2 runners) at 60 s.
    const warm = await batch(['five', 'six', 'seven', 'eight'])
    t0 = clock.now()
    const looked = (j: { id: string }) => fal.calls.some((c) => c.method === 'get' && c.ids.includes(remote(j)))
    const seenAt = new Map<string, number>()
    const watch = () => {
      for (const j of warm) if (!seenAt.has(j.id) && looked(j)) seenAt.set(j.id, clock.now() - t0)
      return seenAt.size === warm.length
    }
    expect(await drive(watch)).toBe(true)
    const looks = warm.map((j) => seenAt.get(j.id) as number)
    for (const at of looks.slice(0, 2)) expect(at).toBeGreaterThanOrEqual(30_000)
    for (const at of looks.slice(0, 2)) expect(at).toBeLessThan(31_000)
    for (const at of looks.slice(2)) expect(at).toBeGreaterThanOrEqual(60_000)
    for (const at of looks.slice(2)) expect(at).toBeLessThan(61_000)
  })

  /**
   * fal's queue, played on the test's clock: first come, first served on 2 runners; a job that arrives at an idle
   * runner waits a 1 s pick-up, then runs 29 s (the inference_time reported); a queued job runs as soon as a runner
   * frees (the Sandbox's model), or, with `pickUpEach`, waits the pick-up too. A batch of n is sent, served and driven
   * until every job is seen finished: how many times each was looked at, and how late it was seen.
   */
  async function falBatch(manager: JobManager, fal: FakeProvider, n: number, tag: string, pickUpEach = false) {
    const remote = (job: { id: string }) => manager.get(job.id)?.remoteId as string
    const made: Array<{ id: string }> = []
    for (let i = 0; i < n; i++) made.push(await manager.submit(request('fal', { prompt: `${tag} ${i}` })))
    expect(await drive(() => made.every((j) => manager.get(j.id)?.state === 'queued'))).toBe(true)
    const runners = [0, 0]
    const ends = new Map<string, number>()
    const seq = (job: { id: string }) => Number(remote(job).split('_')[1])
    for (const job of [...made].sort((a, b) => seq(a) - seq(b))) {
      const id = remote(job)
      runners.sort((a, b) => a - b)
      const arrived = fal.remote.get(id)?.createdAt as number
      const idle = (runners[0] as number) <= arrived
      const start = Math.max(arrived, runners[0] as number) + (idle || pickUpEach ? 1000 : 0)
      const end = start + 29_000
      runners[0] = end
      ends.set(job.id, end)
      clock.setTimeout(() => fal.set(id, { phase: 'running' }), start - clock.now())
      clock.setTimeout(() => fal.set(id, { phase: 'succeeded', runMs: 29_000, videoUrl: null }), end - clock.now())
    }
    const seen = new Map<string, number>()
    const done = () => {
      for (const j of made) {
        const state = manager.get(j.id)?.state
        if (!seen.has(j.id) && state !== 'queued' && state !== 'processing') seen.set(j.id, clock.now())
      }
      return seen.size === made.length
    }
    expect(await drive(done, 2000)).toBe(true)
    const looks = made.map((j) => fal.calls.filter((c) => c.method === 'get' && c.ids.includes(remote(j))).length)
    const late = made.map((j) => (seen.get(j.id) as number) - (ends.get(j.id) as number))
    return { looks, late }
  }

  it('waves queued past the runners are each looked at once: planned from the runner seen free, the pick-up learned', async () => {
    // Planned at submission from the 29 s learned, the queued waves were looked at early by a growing margin: 40
    // looks for 12 jobs, the sixth wave seen 3 s late.
    const fal = new FakeProvider('fal', { now: () => clock.now() })
    const times = GenerationTimes.inMemory()
    for (let i = 0; i < 3; i++) times.learn(request('fal'), 29_000) // a first batch, learned from inference_time
    const manager = await open(fal, times)
    const first = await falBatch(manager, fal, 12, 'first')
    // The first waves are looked at early once (29 s learned, 30 s taken) while the pick-up is learned.
    expect(first.looks.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(12 + 6)
    for (const late of first.late) expect(late).toBeLessThan(1600)
    expect(times.pickUpMs('fal')).toBeGreaterThan(500)
    expect(times.pickUpMs('fal')).toBeLessThan(1000)
    const next = await falBatch(manager, fal, 12, 'next')
    // Each job looked at once, seen just after its end (each wave planned from the last one's expected end, not from
    // when it was seen, which added the look's 150 ms margin to every wave).
    expect(next.looks).toEqual(Array(12).fill(1))
    for (const late of next.late) expect(late).toBeLessThan(200)
  })

  it('where every job waits its own pick-up, a queued wave is looked at early once at most, and never drifts late', async () => {
    const fal = new FakeProvider('fal', { now: () => clock.now() })
    const times = GenerationTimes.inMemory()
    for (let i = 0; i < 3; i++) times.learn(request('fal'), 29_000)
    const manager = await open(fal, times)
    await falBatch(manager, fal, 12, 'first', true)
    const next = await falBatch(manager, fal, 12, 'next', true)
    for (const looks of next.looks) expect(looks).toBeLessThanOrEqual(2)
    for (const late of next.late) expect(late).toBeLessThan(1600)
  })

  it('after a restart, a freed runner moves none of the jobs the last session planned (what they wait for is unknown)', async () => {
    const fal = new FakeProvider('fal', { now: () => clock.now() })
    const times = GenerationTimes.inMemory()
    times.learn(request('fal'), 30_000)
    const before = await open(fal, times)
    const made: Array<{ id: string }> = []
    for (const prompt of ['one', 'two', 'three', 'four']) made.push(await before.submit(request('fal', { prompt })))
    expect(await drive(() => made.every((j) => before.get(j.id)?.state === 'queued'))).toBe(true)
    await before.stop()
    await library?.flush()
    const after = await open(fal, times)
    const t0 = clock.now()
    expect(await drive(() => clock.now() - t0 >= 20_000)).toBe(true)
    const planned = made.map((j) => after.get(j.id)?.nextAt)
    fal.set(after.get(made[0]?.id as string)?.remoteId as string, { phase: 'succeeded', runMs: 30_000, videoUrl: null })
    expect(await drive(() => after.get(made[0]?.id as string)?.state !== 'queued')).toBe(true)
    // The two queued behind keep their looks (before: given the freed runners, moved to 30 s from now).
    expect(made.slice(2).map((j) => after.get(j.id)?.nextAt)).toEqual(planned.slice(2))
  })

  it('a job sent to a free runner that still waited (a runner busy elsewhere) teaches its run time, not its wait', async () => {
    const fal = new FakeProvider('fal', { now: () => clock.now() })
    const times = GenerationTimes.inMemory()
    const manager = await open(fal, times)
    const job = await manager.submit(request('fal'))
    expect(await drive(() => manager.get(job.id)?.state === 'queued')).toBe(true)
    const t0 = clock.now()
    const id = manager.get(job.id)?.remoteId as string
    // It waits 4.5 min for a runner, runs 30 s, and is seen at the next look (30 s apart by then: "short" against
    // the 5 min it took).
    clock.setTimeout(() => fal.set(id, { phase: 'succeeded', runMs: 30_000, videoUrl: null }), 300_000)
    expect(
      await drive(() => manager.get(job.id)?.state !== 'queued' && manager.get(job.id)?.state !== 'processing', 2000),
    ).toBe(true)
    expect(clock.now() - t0).toBeGreaterThanOrEqual(300_000)
    expect(times.expectedMs(request('fal'))).toBe(30_000)
    expect(times.pickUpMs('fal')).toBe(0)
  })

  it('without anything learned, the first look is at 5 s as before', async () => {
    const fal = new FakeProvider('fal', { now: () => clock.now() })
    const manager = await open(fal, GenerationTimes.inMemory())
    const t0 = clock.now()
    await manager.submit(request('fal'))
    expect(await drive(() => fal.calls.some((c) => c.method === 'get'))).toBe(true)
    expect(clock.now() - t0).toBe(5000)
  })
})
