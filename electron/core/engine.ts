// The engine, assembled: data-folder lock, log, settings, the doors (where each provider's jobs go: its service with
// its key, or the built-in Sandbox's emulation of it), keys, journal, library and job manager. The desktop shell and
// the CLI are thin faces over this; they start the Sandbox and hand it over (doors/sandbox-endpoints.ts), so the
// engine never imports it (scripts/check-layers.mjs). Each seam lives in its own file: doors/ (connection, route,
// keys), engine-library.ts (the library folder).
import { mkdir, readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { ProviderStatus } from '../shared/contract'
import { FINAL_STATES } from '../shared/job-states'
import type {
  DataPaths,
  FolderInfo,
  GenerationRequest,
  JobRecord,
  LibraryChange,
  LibraryLocation,
} from '../shared/model'
import { type ProviderId, providerInfo } from '../shared/providers'
import { Budget } from './budget/budget'
import type { SandboxMode } from './doors/connection'
import { type Connection, createDoors } from './doors/doors'
import { createKeyActions, type KeyActions } from './doors/keys'
import { createRouter, type Route } from './doors/route'
import type { SandboxStarter } from './doors/sandbox-endpoints'
import { openLibraryPlace } from './engine-library'
import { createSettingsChange, runBaseUrls } from './engine-settings'
import { type Clock, JobManager, systemClock } from './jobs/job-manager'
import { Journal } from './jobs/journal'
import { GenerationTimes } from './jobs/poll-plan'
import type { SubmitOutcome } from './jobs/submit-rule'
import { keptImage } from './library/kept-image'
import type { Library } from './library/library'
import { usageReport } from './library/usage'
import { prepareRequest, type RequestInput } from './prepare-request'
import { createPromptBook, type PromptBook } from './prompts/prompt-book'
import { PromptStars } from './prompts/prompt-stars'
import type { ClientEvent } from './providers/http'
import type { ProviderFactory } from './providers/port'
import type { LimiterClock } from './providers/rate-limiter'
import { PROVIDER_FACTORIES } from './providers/registry'
import { Keychain } from './secrets/keychain'
import type { KeyOriginChange } from './settings/key-binding'
import { readSettingsFile, type Settings, writeSettingsFile } from './settings/settings'
import { type DataLock, lockDataFolder } from './util/data-lock'
import { createFileLogger, type Logger } from './util/logger'

export type { Connection } from './doors/doors'
export type { Route } from './doors/route'
export type { SandboxEndpoints, SandboxStarter } from './doors/sandbox-endpoints'
export { EngineError } from './engine-error'
export type { RequestInput } from './prepare-request'
export type { KeyOriginChange } from './settings/key-binding'

export interface EngineOptions {
  paths: DataPaths
  role: 'app' | 'cli'
  /** 'auto' (CLI): a door goes to its service whenever it has a key; 'setting' (app): as Settings say; 'always': the Sandbox. */
  sandbox?: SandboxMode
  /** Starts the built-in Sandbox (main and the CLI pass one); without it, a door that needs it holds its jobs. */
  sandboxDoors?: SandboxStarter
  /** The adapters (default: electron/core/providers/registry.ts PROVIDER_FACTORIES; tests pass fakes). */
  factories?: Partial<Record<ProviderId, ProviderFactory>>
  /** The default door and model for this run (the CLI's --provider/--model), over Settings. */
  provider?: ProviderId
  model?: string
  /** The default door's base URL for this run (the CLI's --base-url). */
  baseUrl?: string
  /** Each door's base URL for this run (the CLI's SEEDANCE_BASE_URL, ARK_BASE_URL…); `baseUrl` wins for its door. */
  baseUrls?: Partial<Record<ProviderId, string>>
  libraryDir?: string
  keychain?: Keychain
  settingsOverride?: Partial<Settings>
  fetch?: typeof fetch
  clock?: Clock
  /** Library delete: the app moves files to the OS trash. */
  trash?: (file: string) => Promise<void>
  /** Where changed settings are saved: the app passes its electron-store; by default the same config.json directly. */
  saveSettings?: (settings: Settings) => Promise<void> | void
  /** The rate-limit window the clients assume (the services' is a minute; tests shorten the Sandbox's). */
  rateWindowMs?: number
  /**
   * false: unfinished jobs stay as journaled (nothing is sent or polled) until `jobs.start()`; for a look that
   * must not act, such as `seedance jobs`. Default true: every unfinished job resumes at once.
   */
  resumeJobs?: boolean
  /** Budget (issue 11): the IANA zone whose days and months the spending caps count (default: the system's). */
  timeZone?: string
}

export interface Engine extends KeyActions {
  settings: Settings
  /** The default door: its model, where its jobs go now, and why. */
  readonly connection: Connection
  /** Every provider: its key (never the key), the base URL in use, where its jobs go and why, its model. */
  providers(): Promise<ProviderStatus[]>
  /** Which provider instance sends or follows a job (doors/route.ts); the job manager's `route`. */
  route(job: Pick<JobRecord, 'request' | 'service' | 'state'>): Route
  jobs: JobManager
  /** The library in use (another object after the library folder changes). */
  readonly library: Library
  /** Library changes, across a change of library folder (the new library's changes, and the switch itself). */
  onLibraryChange(listener: () => void): () => void
  /** The library folder in use: its free space and how many videos it holds. */
  libraryLocation(): Promise<LibraryLocation>
  /** What another folder offers as the library folder. */
  inspectLibraryFolder(dir: string): Promise<FolderInfo>
  /**
   * Use another library folder: 'move' takes every video there first; 'rescan' uses the folder as it is (its
   * videos, and its own library if it has one). Refused while jobs are out at a service (they save into the
   * library); jobs not yet sent wait for it.
   */
  changeLibraryFolder(dir: string, mode: 'move' | 'rescan'): Promise<LibraryChange>
  logger: Logger
  keychain: Keychain
  /** Work out every door again (after a key or setting changed outside the engine) and let waiting jobs go. */
  reconnect(): Promise<Connection>
  /**
   * Change settings: saved to config.json, applied at once. A base URL must pass the service URL rule
   * (INVALID_BASE_URL), a model must be the door's (UNKNOWN_MODEL). Changing the default door, a model or the
   * Sandbox switch is always allowed: jobs already sent keep their own route. A door's base URL or Ark's region is
   * refused (JOBS_ACTIVE) while that door's jobs are out at its service. `keyFollows`: the providers whose stored
   * key the user let follow its new address (main's dialog); every other bound key stays where it was.
   */
  updateSettings(patch: Partial<Settings>, options?: { keyFollows?: readonly ProviderId[] }): Promise<Settings>
  /** The moves a settings patch would make for bound keys, for main to confirm one by one; empty when none. */
  keyOriginChange(patch: Partial<Settings>): Promise<KeyOriginChange[]>
  /** The kept copy of a video's source image (image-to-video), for "reuse settings". */
  sourceImage(videoId: string): Promise<{ name: string; data: Uint8Array } | null>
  /** Issue 11 (meta): the kept source image with this SHA-256 (hex), for settings restored from a video. */
  imageByHash(sha256: string): Promise<{ name: string; data: Uint8Array } | null>
  /** Checks a request as the API would, copies its image into the data folder, and fills defaults (the default door). */
  prepare(input: RequestInput): Promise<GenerationRequest>
  /**
   * Ask for a video, by the one rule both faces share (jobs/submit-rule.ts): the same request in flight is
   * joined, a paid video not yet saved is fetched again, one already in the library is offered (unless
   * forced), else a job is queued.
   */
  submit(input: RequestInput, options?: { force?: boolean; batch?: JobRecord['batch'] }): Promise<SubmitOutcome>
  usage(): ReturnType<typeof usageReport>
  /** Spending caps per provider and the spend against them (core/budget), kept in budget.json. */
  budget: Budget
  close(): Promise<void>
  /** Prompt history (issue 11): every prompt used, with its videos, and the starred ones (prompt-stars.json). */
  prompts: PromptBook
}

export async function openEngine(options: EngineOptions): Promise<Engine> {
  const { paths } = options
  await mkdir(paths.userData, { recursive: true })
  const lock: DataLock = await lockDataFolder(paths.userData, options.role)
  // What is open so far, closed in reverse order when opening fails part-way: a journal handle left to the garbage
  // collector or a data folder still locked would outlive a failed start. The Sandbox is the face's to close.
  const opened: Array<() => Promise<unknown> | undefined> = [() => lock.release()]
  try {
    const logger = createFileLogger({ dir: paths.logs })
    const loaded = await readSettingsFile(paths.settingsFile, paths.library)
    if (loaded.movedAside) {
      logger.warn('settings file was corrupt; moved aside and defaults restored', { file: loaded.movedAside })
    }
    const settings: Settings = {
      ...loaded.settings,
      ...options.settingsOverride,
      ...(options.libraryDir ? { libraryDir: options.libraryDir } : {}),
    }
    const run = runBaseUrls(options, options.provider ?? settings.provider ?? 'seedance')
    const saveSettings = () =>
      options.saveSettings ? options.saveSettings({ ...settings }) : writeSettingsFile(paths.settingsFile, settings)
    const keychain = options.keychain ?? new Keychain()
    const journal = await Journal.open(path.join(paths.userData, 'journal.jsonl'))
    opened.push(() => journal.journal.close())
    if (journal.movedAside) {
      logger.warn('journal had damaged lines; kept the readable records and moved the file aside', {
        file: journal.movedAside,
        damaged: journal.damaged,
      })
    }
    let jobs: JobManager | null = null
    const unfinished = () => (jobs ? jobs.list() : journal.jobs).filter((j) => !FINAL_STATES.has(j.state))
    const doors = createDoors({
      keychain,
      settings,
      mode: options.sandbox ?? 'auto',
      logger,
      provider: options.provider,
      model: options.model,
      baseUrls: run.baseUrls,
      strictBaseUrl: run.strict,
      bindEnvironmentKey: options.role === 'app',
      sandbox: options.sandboxDoors,
      jobDoors: () =>
        unfinished().map((j) => ({ provider: j.request.provider ?? 'seedance', sentTo: j.service?.kind ?? null })),
    })
    // Every key in use is kept out of the log, whatever logs it (the transports redact it too).
    const refresh = async () => {
      for (const door of Object.values(await doors.refresh())) if (door.cloud) logger.addSecret(door.cloud.apiKey)
    }
    await refresh()
    const factories = options.factories ?? PROVIDER_FACTORIES
    const router = createRouter({
      factories,
      doors: doors.table,
      sandbox: doors.sandbox,
      region: () => settings.arkRegion,
      config: {
        fetch: options.fetch,
        // The adapters' waits (rate limits, retries) on the engine's clock too, so one clock drives both.
        ...(options.clock ? { clock: sleepingOn(options.clock) } : {}),
        rateWindowMs: options.rateWindowMs,
        onEvent: apiLog(logger),
      },
    })
    logger.info('engine started', { role: options.role, ...publicConnection(doors.connection()) })

    const place = await openLibraryPlace({
      paths,
      logger,
      trash: options.trash,
      settings,
      saveSettings,
      fixed: options.libraryDir !== undefined,
    })
    // Budget (issue 11): spend and caps from budget.json, every journaled job folded in before anything is sent.
    const budget = await Budget.open({
      file: path.join(paths.userData, 'budget.json'),
      clock: options.clock ?? systemClock,
      timeZone: options.timeZone,
      logger,
    })
    budget.reconcile(journal.jobs)
    opened.push(() => budget.close())
    const manager = new JobManager({
      journal: journal.journal,
      jobs: journal.jobs,
      // Each job through its own door's instance: where it was sent, or where its door goes now (doors/route.ts).
      route: (job) => router.route(job),
      library: place.library,
      settings: () => settings,
      logger,
      clock: options.clock,
      fetch: options.fetch,
      times: await GenerationTimes.open(path.join(paths.userData, 'generation-times.json')),
      gate: budget,
    })
    jobs = manager
    manager.onChange((job) => budget.observe(job))
    budget.onChange(() => manager.recheck())
    opened.push(() => manager.stop())
    if (options.resumeJobs !== false) await manager.start()

    const reconnect = async (): Promise<Connection> => {
      await refresh()
      logger.info('engine reconnected', publicConnection(doors.connection()))
      manager.resume()
      return doors.connection()
    }
    const settingsChange = createSettingsChange({
      settings,
      defaultLibrary: paths.library,
      binding: doors.binding,
      jobs: manager,
      save: saveSettings,
      reconnect,
    })
    const keys = createKeyActions({
      keychain,
      settings,
      saveSettings,
      doors,
      reconnect,
      jobs: manager,
      factories,
      fetch: options.fetch,
    })

    /** Fill the door and model a request leaves out: the default door's (the CLI's flags, Settings, automatic). */
    const withDoor = (input: RequestInput): RequestInput => {
      const provider = input.provider ?? doors.connection().provider
      const model =
        input.model ??
        (input.provider ? (settings.models[provider] ?? providerInfo(provider).defaultModel) : doors.connection().model)
      return { ...input, provider, model }
    }
    const prepare = async (input: RequestInput) => {
      const request = await prepareRequest(withDoor(input), path.join(paths.userData, 'images'))
      await doors.ensureSandbox(request.provider)
      return request
    }

    // Prompt history (issue 11): over the journal and whichever library is in use.
    const clock = options.clock
    const prompts = createPromptBook({
      stars: await PromptStars.open(path.join(paths.userData, 'prompt-stars.json'), () => (clock ?? Date).now()),
      jobs: () => manager.list(),
      entries: () => place.library.all(),
    })

    return {
      prompts,
      settings,
      get library() {
        return place.library
      },
      onLibraryChange: (listener) => place.onChange(listener),
      libraryLocation: () => place.location(),
      inspectLibraryFolder: (dir) => place.inspect(dir),
      changeLibraryFolder: (dir, mode) => place.change(dir, mode, manager),
      get connection() {
        return doors.connection()
      },
      async providers() {
        await refresh()
        return doors.statuses()
      },
      route: (job) => router.route(job),
      keychain,
      jobs: manager,
      logger,
      prepare,
      async submit(input, submitOptions) {
        return manager.submitOrJoin(await prepare(input), submitOptions)
      },
      usage: () => usageReport(manager.list()),
      budget,
      reconnect,
      ...keys,
      keyOriginChange: (patch) => settingsChange.keyOriginChange(patch),
      updateSettings: (patch, change) => settingsChange.updateSettings(patch, change),
      async sourceImage(videoId) {
        const image = place.library.get(videoId)?.image
        if (!image) return null
        const dir = path.join(paths.userData, 'images')
        const file = (await readdir(dir).catch(() => [] as string[])).find((f) => f.startsWith(`${image.sha256}.`))
        return file ? { name: image.name, data: new Uint8Array(await readFile(path.join(dir, file))) } : null
      },
      imageByHash: (sha256) => keptImage(path.join(paths.userData, 'images'), sha256, place.library.all()),
      async close() {
        // Every step runs, whatever an earlier one threw: a failed stop must not leave the journal open or the
        // data folder locked. The errors are reported once all have run.
        const errors = await runEach([
          () => manager.stop(),
          () => budget.close(),
          () => place.library.flush(),
          () => journal.journal.close(),
          () => prompts.flush(),
        ])
        if (errors.length > 0) logger.error('engine stopped with errors', { errors: errors.map(String) })
        else logger.info('engine stopped')
        errors.push(...(await runEach([() => lock.release()])))
        if (errors.length === 1) throw errors[0]
        if (errors.length > 1) throw new AggregateError(errors, `The engine stopped with ${errors.length} errors.`)
      },
    }
  } catch (error) {
    // The error that stopped the start is the one reported; closing what was open is best effort.
    await runEach(opened.reverse())
    throw error
  }
}

function publicConnection(c: Connection) {
  return { provider: c.provider, model: c.model, target: c.target, baseUrl: c.baseUrl }
}

/** Each API exchange, in the log (the transport never logs a key: see util/logger.ts addSecret). */
function apiLog(logger: Logger) {
  return (e: ClientEvent) =>
    logger.info(`api ${e.type} ${e.method} ${e.path}`, {
      status: e.status,
      code: e.code,
      attempt: e.attempt,
      delayMs: e.delayMs,
      ms: e.durationMs,
    })
}

/** Run every step in order, each whatever the previous ones did; the errors thrown, in order. */
async function runEach(steps: Array<() => Promise<unknown> | undefined>): Promise<unknown[]> {
  const errors: unknown[] = []
  for (const step of steps) {
    try {
      await step()
    } catch (error) {
      errors.push(error)
    }
  }
  return errors
}

/** The job manager's clock (now + timers) as the adapters' (now + an abortable sleep). */
export function sleepingOn(clock: Clock): LimiterClock {
  return {
    now: () => clock.now(),
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason)
        const onAbort = () => {
          clock.clearTimeout(handle)
          reject(signal?.reason)
        }
        const handle = clock.setTimeout(() => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        }, ms)
        signal?.addEventListener('abort', onAbort, { once: true })
      }),
  }
}
