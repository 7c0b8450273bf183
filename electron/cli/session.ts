// One run of a command over the engine: open it (with the reachability watch on its fetch), stop cleanly on
// Ctrl-C or a kill (jobs stay in the journal), and wait for jobs until they finish, the queue pauses, or the
// service has been unreachable for the whole bound.
import os from 'node:os'
import { type Engine, openEngine } from '../core/engine'
import { defaultDataPaths } from '../core/paths'
import { Keychain } from '../core/secrets/keychain'
import { sandboxOnDemand } from '../sandbox/on-demand'
import { genSecondsFromEnv } from '../sandbox/options'
import { FINAL_STATES } from '../shared/job-states'
import type { JobRecord } from '../shared/model'
import { isProviderId, PROVIDER_IDS, PROVIDERS, type ProviderId } from '../shared/providers'
import { UsageError, type Values } from './args'
import { EXIT } from './exit-codes'
import { createProgress } from './progress'
import {
  type Reachability,
  realTimer,
  type Timer,
  type Unreachable,
  unreachableBoundMs,
  watchReachability,
} from './reachability'
import { clean, type Output } from './terminal'

export interface Io {
  out: Output
  err: Output
  env: Record<string, string | undefined>
  stdin: AsyncIterable<string | Uint8Array> & { isTTY?: boolean }
  /** The keychain (tests pass one over a failing backend); by default the system's. */
  keychain?: Keychain
  /** What the engine fetches with (default: global fetch). */
  fetch?: typeof fetch
  timer?: Timer
}

export interface Session {
  engine: Engine
  /**
   * Wait until every job the filter picks is settled for this run (finished, or a paid video whose download
   * keeps failing after a few more tries: it stays journaled for the next run or `seedance library fetch`),
   * the queue pauses, or the service stays unreachable.
   */
  wait(filter: (job: JobRecord) => boolean, label: (job: JobRecord) => string): Promise<WaitOutcome>
  /** Ctrl-C (or SIGTERM) was received: the command stops queueing work and writes what it has. */
  interrupted(): boolean
}

export type WaitOutcome =
  | { kind: 'idle' }
  | { kind: 'paused'; code: string; message: string }
  | { kind: 'unreachable'; detail: Unreachable }
  | { kind: 'interrupted' }

export function keychainFor(io: Io): Keychain {
  return io.keychain ?? new Keychain({ env: io.env })
}

/** The data folder for this run: --data-dir, else SEEDANCE_DATA_DIR, else the OS default. */
export function dataPathsFor(values: Values, io: Io) {
  const env = {
    ...io.env,
    ...(typeof values['data-dir'] === 'string' ? { SEEDANCE_DATA_DIR: values['data-dir'] } : {}),
  }
  return defaultDataPaths({ platform: process.platform, home: os.homedir(), env })
}

/**
 * The door and model for this run: --provider / --model, else SEEDANCE_PROVIDER / SEEDANCE_MODEL, else Settings
 * (then automatic: the provider with a key). An unknown provider is a usage error naming the known ones.
 */
export function chosenDoor(values: Values, io: Io): { provider?: ProviderId; model?: string } {
  const provider = (values.provider as string | undefined) ?? io.env.SEEDANCE_PROVIDER ?? undefined
  const model = (values.model as string | undefined) ?? io.env.SEEDANCE_MODEL ?? undefined
  if (provider !== undefined && !isProviderId(provider))
    throw new UsageError(`Unknown provider "${provider}": use one of ${PROVIDER_IDS.join(', ')}.`)
  return { ...(provider ? { provider } : {}), ...(model ? { model } : {}) }
}

/** Each door's base URL from its own variable (SEEDANCE_BASE_URL, ARK_BASE_URL, FAL_BASE_URL, REPLICATE_BASE_URL). */
export function environmentBaseUrls(env: Io['env']): Partial<Record<ProviderId, string>> {
  const out: Partial<Record<ProviderId, string>> = {}
  for (const p of PROVIDERS) {
    const url = env[p.baseUrlEnv]
    if (url) out[p.id] = url
  }
  return out
}

/**
 * Open the engine for one command. `resume: false` for commands that only look (jobs, library, usage): nothing is
 * sent or polled, so a listing never spends credits.
 */
export async function withEngine(
  values: Values,
  io: Io,
  work: (session: Session) => Promise<number>,
  { resume = true } = {},
): Promise<number> {
  const paths = dataPathsFor(values, io)
  const boundMs = unreachableBoundMs(
    values['unreachable-timeout'] as string | undefined,
    io.env.SEEDANCE_UNREACHABLE_TIMEOUT,
  )
  const reach: Reachability = watchReachability({
    fetch: io.fetch ?? globalThis.fetch,
    boundMs,
    timer: io.timer,
    onFailing: ({ host, cause }) =>
      io.err.write(
        `Cannot reach the service at ${clean(host)} (${clean(cause)}); retrying for up to ${formatDuration(boundMs)}.\n`,
      ),
  })
  // The CLI owns the Sandbox (issue 10, point 3): started only if a door of this run needs it, closed at the end.
  const sandbox = sandboxOnDemand(genSecondsFromEnv(io.env.SEEDANCE_SANDBOX_GEN_SECONDS))
  let engine: Engine
  try {
    engine = await openEngine({
      paths,
      role: 'cli',
      sandbox: values.sandbox ? 'always' : 'auto',
      sandboxDoors: sandbox.start,
      ...chosenDoor(values, io),
      // --base-url applies to the door chosen for this run; each *_BASE_URL variable to its own door.
      baseUrl: values['base-url'] as string | undefined,
      baseUrls: environmentBaseUrls(io.env),
      libraryDir: (values.library as string | undefined) ?? io.env.SEEDANCE_LIBRARY,
      keychain: keychainFor(io),
      fetch: reach.fetch,
      resumeJobs: resume,
    })
  } catch (error) {
    reach.stop()
    await sandbox.close()
    throw error
  }
  if (engine.connection.reason) io.err.write(`${clean(engine.connection.reason)}\n`)
  // Ctrl-C ends any wait at once and lets the command finish what it writes (batch: the results file, its rows
  // pending); the engine is then closed and the command exits 130 (through its caller, so its output is flushed
  // as for any exit). A second Ctrl-C exits at once: the journal is durable after every write, and the next run
  // takes over the lock of a process that is gone.
  let interrupted = false
  let interrupt: (outcome: WaitOutcome) => void = () => {}
  const interruption = new Promise<WaitOutcome>((resolve) => {
    interrupt = resolve
  })
  const onSignal = () => {
    if (interrupted) process.exit(EXIT.interrupted)
    interrupted = true
    io.err.write('\nStopping. Unfinished jobs are saved; finish them with: seedance resume\n')
    reach.stop()
    engine.jobs.holdSubmissions() // nothing more is sent in this run
    interrupt({ kind: 'interrupted' })
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  // The engine's timers do not hold the process open (the app must be able to quit): the CLI does, while it works.
  const keepAlive = setInterval(() => {}, 60_000)
  const wait: Session['wait'] = async (filter, label) => {
    const progress = createProgress(io.err, label, Date.now)
    const off = engine.jobs.onChange((j) => {
      if (filter(j)) progress.update(j)
    })
    const picked = engine.jobs.list().filter(filter)
    for (const j of picked) progress.update(j)
    const settled = settledForRun(picked, (j) => engine.jobs.waitingFor(j) !== null)
    const outcome = await Promise.race([
      engine.jobs.whenIdle(filter, settled).then((p): WaitOutcome => (p ? { kind: 'paused', ...p } : { kind: 'idle' })),
      reach.gaveUp.then((detail): WaitOutcome => ({ kind: 'unreachable', detail })),
      interruption,
    ])
    off()
    progress.stop()
    if (outcome.kind === 'unreachable') await settleSubmissions(engine, io.timer ?? realTimer)
    return outcome
  }
  try {
    const code = await work({ engine, wait, interrupted: () => interrupted })
    return interrupted ? EXIT.interrupted : code
  } finally {
    clearInterval(keepAlive)
    reach.stop()
    try {
      // After Ctrl-C the run has already failed: a close that fails too says nothing more.
      await (interrupted ? engine.close().catch(() => undefined) : engine.close())
    } finally {
      await sandbox.close().catch(() => undefined)
      // Only now: a second Ctrl-C during the close still exits at once.
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  }
}

/** Download retries a CLI run waits for (10 s, 30 s, 1 min apart) before leaving the video for the next run. */
const CLI_DOWNLOAD_TRIES = 3

/**
 * Settled for this run: finished, held for another service, or a paid video still waiting to be downloaded after a few more tries (it
 * stays in the journal and is fetched by the next run or `seedance library fetch`).
 */
function settledForRun(jobs: JobRecord[], held: (job: JobRecord) => boolean): (job: JobRecord) => boolean {
  const start = new Map(jobs.map((j) => [j.id, j.downloadTries ?? 0]))
  return (j) =>
    FINAL_STATES.has(j.state) ||
    // Waiting for another service than this run's: a run connected to it picks it up.
    held(j) ||
    (j.state === 'download-retry' && (j.downloadTries ?? 0) >= (start.get(j.id) ?? 0) + CLI_DOWNLOAD_TRIES)
}

/** How long a give-up waits for a submission still in the client's retries (4 tries with backoff: seconds). */
const SETTLE_MS = 30_000

/**
 * Before giving up, let a submission still retrying inside the client end (the service refused it, so it was
 * never sent): the job is then journaled as waiting, and the next run sends it when its retry is due. Closing
 * mid-retry would leave it "submitting", and the next run would first spend polls checking whether it exists.
 */
async function settleSubmissions(engine: Engine, timer: Timer): Promise<void> {
  const submitting = () => engine.jobs.list().some((j) => j.state === 'submitting')
  if (!submitting()) return
  await new Promise<void>((resolve) => {
    const cap = timer.setTimeout(() => finish(), SETTLE_MS)
    const off = engine.jobs.onChange(() => {
      if (!submitting()) finish()
    })
    const finish = () => {
      timer.clearTimeout(cap)
      off()
      resolve()
    }
  })
  // Nothing more is sent: the jobs stay as they are in the journal until the next run.
  engine.jobs.holdSubmissions()
}

/** Say why the run stopped short, and the exit code for it; null when every job finished. */
export function stoppedShort(outcome: WaitOutcome, io: Io): number | null {
  if (outcome.kind === 'interrupted') return EXIT.interrupted // said when the signal came
  // Budget (issue 11): held by a spending cap; the message says what is spent, what is left and when it resets.
  if (outcome.kind === 'paused' && outcome.code === 'BUDGET_CAP') {
    io.err.write(`${clean(outcome.message)}\nSee or raise the caps with: seedance budget; then: seedance resume\n`)
    return EXIT.held
  }
  if (outcome.kind === 'paused') {
    io.err.write(
      `${clean(outcome.message)}\n${outcome.code === 'INVALID_API_KEY' ? 'Set a valid key with: seedance key set' : 'Add credits to your account, then run: seedance resume'}\n`,
    )
    return EXIT.refused
  }
  if (outcome.kind === 'unreachable') {
    const { host, cause, forMs } = outcome.detail
    io.err.write(
      `seedance: could not reach the service at ${clean(host)} for ${formatDuration(forMs)} (${clean(cause)}); giving up. ` +
        'Unfinished jobs are saved; finish them with: seedance resume\n',
    )
    return EXIT.unreachable
  }
  return null
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000)
  return s >= 120 && s % 60 === 0 ? `${s / 60} minutes` : `${s} s`
}
