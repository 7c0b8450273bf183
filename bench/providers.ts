// Per provider (issue 10, point 9): a batch of 12 through the engine (the CLI's path: openEngine, prepare, submit,
// whenIdle) against the Sandbox's emulation of that service at its documented free-tier limits (shared/providers.ts
// `rate`): the guide's API 10 requests a minute and 2 jobs at once (more are refused); Ark 600 a minute, 10 running,
// the rest queued; fal 2 running, the rest queued; Replicate no running limit, 600 creates a minute.
//
// Time runs twice as fast as the services' so the run takes minutes, not half an hour: the engine (its job manager and
// its adapters' rate limiters) and the Sandbox share one clock that counts two milliseconds for each real one. On that
// clock everything is at the services' scale: a minute's rate window, a video in 30 s. Only this machine's own work
// (HTTP, writing files, and the Sandbox's rendering, which must stay within the 30 s) is twice as slow as it would be,
// which counts against the client, not for it.
//
// A first batch on a fresh data folder knows nothing of how long the door takes (Ark, fal and Replicate give no ETA);
// the engine learns it from the jobs it sees finish and keeps it in the data folder (jobs/poll-plan.ts). So each door
// runs one cold batch, then three more on the same data folder, each in a new engine session; the targets are for the
// warm batches (median of 3), the cold batch's figures are printed beside them.
//
// Lower bound: what the emulated service itself needs to make 12 videos within its running limit, whatever the client
// does. Where it refuses past the limit (the guide's API), a client can only send the next job once one is done:
// ceil(12 / limit) generations back to back. Where it queues (Ark, fal, Replicate), the Sandbox takes a job up after
// its pick-up time (15% of the generation, at most 2 s: sandbox/jobs.ts) and then runs it, the next queued job taking
// the first runner free: one pick-up, then ceil(12 / limit) runs. Figures (medians of 3 runs): makespan over that
// bound (target ≤ 1.10), API requests per video (target ≤ 1.5), answers 429 (target 0).
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { openEngine } from '../electron/core/engine'
import { defaultDataPaths } from '../electron/core/paths'
import { Keychain } from '../electron/core/secrets/keychain'
import { startSandbox } from '../electron/sandbox/server'
import { defaultModel, PROVIDER_IDS, type ProviderId, providerInfo } from '../electron/shared/providers'

const VIDEOS = 12
const WARM_RUNS = 3
const GEN_SECONDS = 30
/** Milliseconds on the shared clock per real millisecond (BENCH_SPEED to try another). */
const SPEED = Number(process.env.BENCH_SPEED) || 2
/** The Sandbox's log line of one API request at a door (server.ts): the guide's without a prefix, the others with. */
const API_LINE: Record<ProviderId, RegExp> = {
  seedance: /^(GET|POST|DELETE) \/(api\/)?v1\//,
  ark: /^ark (GET|POST|DELETE) /,
  fal: /^fal (GET|POST|PUT|DELETE) /,
  replicate: /^replicate (GET|POST|DELETE) /,
}
/** No key is read from the OS keychain: every door goes to the Sandbox. */
const NO_KEYS = { getPassword: async () => null, setPassword: async () => undefined, deletePassword: async () => false }
/** The batch's twelve subjects (bench/batch.ts makes the same batch at the guide's door). */
export const BATCH_SUBJECTS = [
  'ocean',
  'forest',
  'desert',
  'city',
  'night',
  'snow',
  'sunset',
  'neon',
  'mountain',
  'lake',
  'rain',
  'dunes',
]

interface Run {
  makespan: number
  done: number
  requests: number
  creates: number
  limited: number
}

/** The fewest seconds any client could take: waves of the service's running limit. */
export function lowerBoundSeconds(provider: ProviderId, videos = VIDEOS, genSeconds = GEN_SECONDS): number {
  const { concurrency, overConcurrency } = providerInfo(provider).rate
  const waves = Math.ceil(videos / (concurrency ?? videos))
  if (overConcurrency === 'reject') return waves * genSeconds
  const pickUp = Math.min(2, genSeconds * 0.15)
  return pickUp + waves * (genSeconds - pickUp)
}

/** A clock SPEED times faster than the wall's, for the engine and the Sandbox alike. */
function fastClock() {
  const origin = Date.now()
  return {
    now: () => origin + (Date.now() - origin) * SPEED,
    setTimeout: (fn: () => void, ms: number) => {
      const t = setTimeout(fn, ms / SPEED)
      t.unref()
      return t
    },
    clearTimeout: (handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  }
}

/** One batch of 12 in a new engine session on the data folder under `root`, against a fresh Sandbox. */
export async function runOnce(provider: ProviderId, root: string): Promise<Run> {
  const lines: string[] = []
  const clock = fastClock()
  const sandbox = await startSandbox({
    genSeconds: { min: GEN_SECONDS, max: GEN_SECONDS },
    now: clock.now,
    log: (l) => lines.push(l),
  })
  const paths = defaultDataPaths({
    platform: process.platform,
    home: root,
    env: { SEEDANCE_DATA_DIR: path.join(root, 'data'), SEEDANCE_LIBRARY: path.join(root, 'videos') },
  })
  const engine = await openEngine({
    paths,
    role: 'cli',
    sandbox: 'always',
    sandboxDoors: async () => ({ doors: sandbox.doors }),
    provider,
    clock,
    keychain: new Keychain({ env: {}, backend: NO_KEYS }),
  })
  try {
    const model = defaultModel(provider)
    const duration = model.durations.min
    // The smallest frame the model makes, so rendering on this machine never stands in for the service's time.
    const resolution = model.resolutions.includes('480p')
      ? '480p'
      : (model.resolutions[0] as (typeof model.resolutions)[number])
    const requests = await Promise.all(
      BATCH_SUBJECTS.slice(0, VIDEOS).map((w, i) =>
        engine.prepare({ prompt: `${w} scene number ${i}, slow pan`, duration, resolution }),
      ),
    )
    lines.length = 0
    const t0 = clock.now()
    const ids: string[] = []
    for (const r of requests) ids.push((await engine.jobs.submit(r)).id)
    await engine.jobs.whenIdle()
    const makespan = (clock.now() - t0) / 1000
    const api = lines.filter((l) => API_LINE[provider].test(l))
    return {
      makespan,
      done: ids.filter((id) => engine.jobs.get(id)?.state === 'done').length,
      requests: api.length,
      creates: api.filter((l) => /^(\w+ )?POST /.test(l) && !/\/cancel\b/.test(l)).length,
      limited: api.filter((l) => / → 429 /.test(l)).length,
    }
  } finally {
    await engine.close()
    await sandbox.close()
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] as number
}

/**
 * Requests per video no client can go below, where a door's protocol sets one over the 1.5 target: fal has no grouped
 * status, and a video takes its submission, at least one status check (the documented way to learn it is done; a
 * webhook needs an address the service can reach, which a desktop app has not) and the fetch of its result.
 */
const REQUEST_FLOOR: Partial<Record<ProviderId, { perVideo: number; why: string }>> = {
  fal: { perVideo: 3, why: 'submit + status + result per video, no grouped status' },
}

function floorNote(provider: ProviderId): string {
  const floor = REQUEST_FLOOR[provider]
  return floor ? `, or ${floor.perVideo.toFixed(2)}, this door's floor: ${floor.why}` : ''
}

export async function benchProviders(only: ProviderId[] = [...PROVIDER_IDS]): Promise<void> {
  for (const provider of only) {
    const root = await mkdtemp(path.join(os.tmpdir(), `bench-${provider}-`))
    let cold: Run
    const runs: Run[] = []
    try {
      cold = await runOnce(provider, root)
      for (let i = 0; i < WARM_RUNS; i++) runs.push(await runOnce(provider, root))
    } finally {
      await rm(root, { recursive: true, force: true })
    }
    const bound = lowerBoundSeconds(provider)
    const ratio = median(runs.map((r) => r.makespan / bound))
    const perVideo = median(runs.map((r) => r.requests / VIDEOS))
    const limited = Math.max(...runs.map((r) => r.limited))
    const done = Math.min(...runs.map((r) => r.done))
    const rate = providerInfo(provider).rate
    console.log(
      `providers/${provider}: ${VIDEOS} videos, warm (running limit ${rate.concurrency ?? 'none'}, ${rate.requestsPerMinute}/min) ` +
        `in ${median(runs.map((r) => r.makespan)).toFixed(2)} s, lower bound ${bound} s, ratio ${ratio.toFixed(3)} (target ≤ 1.10); ` +
        `${perVideo.toFixed(2)} API requests per video (target ≤ 1.5${floorNote(provider)}; ${median(runs.map((r) => r.creates))} submissions); ` +
        `${limited} × 429 (target 0); ${done}/${VIDEOS} done (worst of ${WARM_RUNS}); ` +
        `cold batch: ratio ${(cold.makespan / bound).toFixed(3)}, ${(cold.requests / VIDEOS).toFixed(2)} requests per video, ${cold.limited} × 429`,
    )
  }
}
