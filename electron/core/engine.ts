// The engine, assembled: data-folder lock, log, settings, API key, client (Seedance Cloud or the built-in
// Sandbox), journal, library and job manager. The desktop shell and the CLI are thin faces over this.
import { mkdir, readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { SandboxOptions } from '../sandbox/options'
import { type Sandbox, startSandbox } from '../sandbox/server'
import type {
  DataPaths,
  FolderInfo,
  GenerationRequest,
  JobRecord,
  LibraryChange,
  LibraryLocation,
  MoveResult,
} from '../shared/model'
import { SERVICE_URL_ERROR, serviceOrigin, serviceUrlProblem } from '../shared/service-url'
import { EngineError } from './engine-error'
import { type Clock, JobManager } from './jobs/job-manager'
import { Journal } from './jobs/journal'
import { singleConnectionRoute } from './jobs/route'
import type { SubmitOutcome } from './jobs/submit-rule'
import { Library } from './library/library'
import { diskSpace, inspectFolder, moveLibrary, unfinishedMove } from './library/relocate'
import { usageReport } from './library/usage'
import { prepareRequest, type RequestInput } from './prepare-request'
import type { ProviderConfig, VideoProvider } from './providers/port'
import { createSeedanceProvider } from './providers/seedance/adapter'
import { Keychain, KeychainError, type KeyStatus } from './secrets/keychain'
import { type KeyAllowance, keyBinding } from './settings/key-binding'
import { normaliseSettings, readSettingsFile, type Settings, writeSettingsFile } from './settings/settings'
import { type DataLock, lockDataFolder } from './util/data-lock'
import { createFileLogger, type Logger } from './util/logger'

export { EngineError } from './engine-error'
export type { RequestInput } from './prepare-request'

export interface EngineOptions {
  paths: DataPaths
  role: 'app' | 'cli'
  /** 'auto' (CLI): Seedance Cloud whenever a key is set; 'setting' (app): the provider in Settings; 'always': the Sandbox. */
  sandbox?: 'always' | 'auto' | 'setting'
  baseUrl?: string
  libraryDir?: string
  keychain?: Keychain
  sandboxOptions?: Partial<SandboxOptions>
  settingsOverride?: Partial<Settings>
  fetch?: typeof fetch
  clock?: Clock
  /** Library delete: the app moves files to the OS trash. */
  trash?: (file: string) => Promise<void>
  /** Where changed settings are saved: the app passes its electron-store; by default the same config.json directly. */
  saveSettings?: (settings: Settings) => Promise<void> | void
  /** The rate-limit window the client assumes (the API's is a minute; tests shorten the Sandbox's). */
  rateWindowMs?: number
  /**
   * false: unfinished jobs stay as journaled (nothing is sent or polled) until `jobs.start()`; for a look that
   * must not act, such as `seedance jobs`. Default true: every unfinished job resumes at once.
   */
  resumeJobs?: boolean
}

export interface Connection {
  provider: 'sandbox' | 'cloud'
  baseUrl: string
  /** Why the Sandbox is in use, when it was not asked for. */
  reason: string | null
  /** The reason's stable code, when it has one (KEY_ORIGIN_MISMATCH, INVALID_BASE_URL). */
  reasonCode?: string | null
}

export type KeyTest =
  | { ok: true; limit: number | null; remaining: number | null; resetAt: number | null }
  | { ok: false; code: string; message: string }

export interface Engine {
  settings: Settings
  readonly connection: Connection
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
   * videos, and its own library if it has one). Refused while jobs are out at the service (they save into the
   * library); jobs not yet sent wait for it.
   */
  changeLibraryFolder(dir: string, mode: 'move' | 'rescan'): Promise<LibraryChange>
  /** ISSUE10 interim: the one provider instance in use (the faces helper replaces it with a route per door). */
  readonly provider: VideoProvider
  logger: Logger
  readonly sandbox: Sandbox | null
  keychain: Keychain
  /** Connect again after the key or provider changed (refused while jobs run at the current service). */
  reconnect(): Promise<Connection>
  /**
   * Change settings: saved to config.json, applied at once (a provider change reconnects). A base URL must pass
   * the service URL rule (INVALID_BASE_URL). `keyFollows`: the user confirmed (in main's dialog) that the stored key
   * may go to the new origin; without it the key stays bound to the old one and is not sent to the new.
   */
  updateSettings(patch: Partial<Settings>, options?: { keyFollows?: boolean }): Promise<Settings>
  /**
   * Save the API key in the keychain, bound to the origin of the service address in use; reconnects. Refused
   * (JOBS_ACTIVE, nothing changed) while jobs are out at the service the key decides.
   */
  setKey(key: string): Promise<KeyStatus>
  /** Remove the stored key (and its binding); reconnects. Refused like setKey while jobs are out at the service. */
  removeKey(): Promise<KeyStatus>
  /** The origin move a settings patch would make for the stored key, for main to confirm; null when none. */
  keyOriginChange(patch: Partial<Settings>): Promise<{ from: string; to: string } | null>
  /** The kept copy of a video's source image (image-to-video), for "reuse settings". */
  sourceImage(videoId: string): Promise<{ name: string; data: Uint8Array } | null>
  /** Try a key (or the stored one) against the configured service: what it says, with its rate-limit figures. */
  testKey(key?: string): Promise<KeyTest>
  /** Checks a request as the API would, copies its image into the data folder, and fills defaults. */
  prepare(input: RequestInput): Promise<GenerationRequest>
  /**
   * Ask for a video, by the one rule both faces share (jobs/submit-rule.ts): the same request in flight is
   * joined, a paid video not yet saved is fetched again, one already in the library is offered (unless
   * forced), else a job is queued.
   */
  submit(input: RequestInput, options?: { force?: boolean; batch?: JobRecord['batch'] }): Promise<SubmitOutcome>
  usage(): ReturnType<typeof usageReport>
  close(): Promise<void>
}

export async function openEngine(options: EngineOptions): Promise<Engine> {
  const { paths } = options
  await mkdir(paths.userData, { recursive: true })
  // A base URL given for this run (the CLI's --base-url) must pass the same rule as one saved in Settings.
  const baseUrlProblem = options.baseUrl === undefined ? null : serviceUrlProblem(options.baseUrl)
  if (baseUrlProblem)
    throw new EngineError(SERVICE_URL_ERROR.invalid, `--base-url ${options.baseUrl}: ${baseUrlProblem}`)
  const lock: DataLock = await lockDataFolder(paths.userData, options.role)
  // What is open so far, closed in reverse order when opening fails part-way: a journal handle left to the garbage
  // collector, a Sandbox still listening or a data folder still locked would outlive a failed start.
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
    const keychain = options.keychain ?? new Keychain()
    // ISSUE10 interim (engine helper, for the faces helper to replace): the one connection, the guide's API through
    // its adapter, so the job manager works through the provider port only.
    const makeClient = (apiKey: string, baseUrl: string, keyOrigin: string, extra: Partial<ProviderConfig> = {}) =>
      createSeedanceProvider({
        apiKey,
        baseUrl,
        keyOrigin,
        fetch: options.fetch,
        rateWindowMs: options.rateWindowMs ?? 60_000,
        ...extra,
        onEvent: (e) =>
          logger.info(`api ${e.type} ${e.method} ${e.path}`, {
            status: e.status,
            code: e.code,
            attempt: e.attempt,
            delayMs: e.delayMs,
            ms: e.durationMs,
          }),
      })

    /**
     * Which service to use. 'auto' (the CLI): Seedance Cloud whenever a key is set. 'setting' (the app): the
     * provider chosen in Settings, falling back to the built-in Sandbox while no key is set. 'always': the Sandbox.
     */
    const binding = keyBinding({
      keychain,
      settings,
      explicitBaseUrl: options.baseUrl,
      bindEnvironmentKey: options.role === 'app',
    })
    const mode = options.sandbox ?? 'auto'
    /** Whether the key decides the service (the CLI's 'auto', or Seedance Cloud chosen in the app's Settings). */
    const keyDecides = () => mode === 'auto' || (mode === 'setting' && settings.provider === 'cloud')
    const connect = async (current: { sandbox: Sandbox | null }) => {
      const wantsCloud = keyDecides()
      // The key goes only where it is allowed (issue 9): see settings/key-binding.ts.
      let allowed: KeyAllowance | null = null
      let unreadable: KeychainError | null = null
      if (wantsCloud) {
        try {
          allowed = await binding.resolve()
        } catch (error) {
          // A keychain that cannot be read never blocks the Sandbox (issue 9): say why and carry on without a key.
          if (!(error instanceof KeychainError)) throw error
          unreadable = error
          logger.warn('keychain unreadable; using the built-in Sandbox', { error: error.message })
        }
      }
      // A base URL typed for this run (the CLI) that the key may not go to is an error, not a quiet Sandbox.
      if (allowed && !('key' in allowed) && options.baseUrl)
        throw new EngineError(
          allowed.code,
          `${allowed.message} For this run, give the key in SEEDANCE_API_KEY; to keep it for this address, run \`seedance key set --base-url ${options.baseUrl}\`.`,
        )
      if (allowed && 'key' in allowed) {
        await current.sandbox?.close()
        logger.addSecret(allowed.key)
        const connection: Connection = { provider: 'cloud', baseUrl: allowed.baseUrl, reason: null, reasonCode: null }
        return { connection, client: makeClient(allowed.key, allowed.baseUrl, allowed.origin), sandbox: null }
      }
      const sandbox =
        current.sandbox ??
        (await startSandbox({ log: (line) => logger.info(`sandbox: ${line}`), ...options.sandboxOptions }))
      const reason = !wantsCloud
        ? null
        : unreadable
          ? `${unreadable.message} Until then, jobs go to the built-in Sandbox (local, free, marked SANDBOX).`
          : allowed
            ? `${allowed.message} Jobs go to the built-in Sandbox until then.`
            : mode === 'setting'
              ? 'Seedance Cloud is chosen, but no API key is set: jobs go to the built-in Sandbox until you add one.'
              : 'No API key is set, so jobs go to the built-in Sandbox (local, free, marked SANDBOX).'
      const connection: Connection = {
        provider: 'sandbox',
        baseUrl: sandbox.baseUrl,
        reason,
        reasonCode: unreadable ? unreadable.code : allowed ? allowed.code : null,
      }
      return { connection, client: makeClient(sandbox.apiKey, sandbox.baseUrl, sandbox.origin), sandbox }
    }
    let state = await connect({ sandbox: null })
    opened.push(() => state.sandbox?.close())
    logger.info('engine started', {
      role: options.role,
      provider: state.connection.provider,
      baseUrl: state.connection.baseUrl,
    })

    const journal = await Journal.open(path.join(paths.userData, 'journal.jsonl'))
    opened.push(() => journal.journal.close())
    if (journal.movedAside) {
      logger.warn('journal had damaged lines; kept the readable records and moved the file aside', {
        file: journal.movedAside,
        damaged: journal.damaged,
      })
    }
    const saveSettings = () =>
      options.saveSettings ? options.saveSettings({ ...settings }) : writeSettingsFile(paths.settingsFile, settings)
    const libraryOptions = { logger, trash: options.trash }
    await mkdir(settings.libraryDir, { recursive: true })
    let library = await Library.open(settings.libraryDir, libraryOptions)
    // A library move cut short (the app was killed) is finished before anything else touches either folder.
    // Only a move this app started (its token kept in the data folder) is finished: the marker alone is not trusted.
    const movingTo = options.libraryDir ? null : await unfinishedMove(settings.libraryDir, paths.userData, logger)
    if (movingTo) {
      logger.warn('finishing a library move that was cut short', { from: settings.libraryDir, to: movingTo })
      await moveLibrary({
        from: settings.libraryDir,
        to: movingTo,
        entries: library.all(),
        stateDir: paths.userData,
        logger,
      })
      library = await Library.open(movingTo, { ...libraryOptions, rescan: true })
      settings.libraryDir = movingTo
      await saveSettings()
    }
    const libraryListeners = new Set<() => void>()
    const relayLibraryChange = () => {
      for (const l of libraryListeners) l()
    }
    let offLibrary = library.onChange(relayLibraryChange)
    // ISSUE10 interim route (engine helper; the faces helper builds the real one, per door and endpoint): every job
    // of the guide's door goes through the one connection, except one sent to another service, which waits for it.
    const route = singleConnectionRoute(() => ({ provider: state.client, kind: state.connection.provider }))
    const jobs = new JobManager({
      journal: journal.journal,
      jobs: journal.jobs,
      route,
      library,
      settings: () => settings,
      logger,
      clock: options.clock,
      fetch: options.fetch,
    })
    opened.push(() => jobs.stop())
    if (options.resumeJobs !== false) await jobs.start()

    // Switching service while jobs run there would orphan them: refuse until they have finished. Busy means
    // any unfinished job, a paid video still downloading included (shared/job-states.ts).
    const refuseWhileBusy = () => {
      const busy = jobs.busyCount()
      if (busy > 0) {
        throw new EngineError(
          'JOBS_ACTIVE',
          `${busy} job${busy === 1 ? ' is' : 's are'} running at the current service; switch when they have finished.`,
        )
      }
    }
    const reconnect = async (): Promise<Connection> => {
      refuseWhileBusy()
      state = await connect(state)
      logger.info('engine reconnected', { provider: state.connection.provider, baseUrl: state.connection.baseUrl })
      jobs.resume()
      return state.connection
    }

    /**
     * Change the stored key, and connect with the new one. Refused while jobs are out at the service, before the
     * keychain is touched: their polls and downloads go on with the key they were sent with, and a key changed
     * behind them would either orphan them or (removed) keep being sent with no reconnect to follow. No job is sent
     * meanwhile, so none goes out with the old key after the change.
     */
    const changeKey = async <T>(verb: string, change: () => Promise<T>): Promise<T> => {
      const release = jobs.holdSubmissions()
      try {
        if (!keyDecides()) return await change() // the Sandbox is in use whatever the key: nothing to reconnect
        try {
          refuseWhileBusy()
        } catch {
          throw new EngineError(
            'JOBS_ACTIVE',
            `The API key cannot be ${verb} while jobs are running at the current service (they are followed with the key in use): try again when they have finished, or cancel them.`,
          )
        }
        const result = await change()
        await reconnect()
        return result
      } finally {
        release()
      }
    }

    const changeLibraryFolder = async (dir: string, mode: 'move' | 'rescan'): Promise<LibraryChange> => {
      if (options.libraryDir)
        throw new EngineError('INVALID_FOLDER', 'The library folder was given on the command line; change it there.')
      // Jobs not yet sent wait until the library is in its new place; jobs already out would save into the old one.
      const release = jobs.holdSubmissions()
      try {
        const inFlight = jobs.inFlightCount()
        if (inFlight > 0)
          throw new EngineError(
            'JOBS_ACTIVE',
            `${inFlight} job${inFlight === 1 ? ' is' : 's are'} still running and will save into the library; change the folder when they have finished.`,
          )
        const info = await inspectFolder(dir, library.dir)
        if (info.problem) throw new EngineError('INVALID_FOLDER', info.problem)
        await library.flush()
        let moved: MoveResult | null = null
        if (mode === 'move') {
          try {
            moved = await moveLibrary({
              from: library.dir,
              to: info.dir,
              entries: library.all(),
              stateDir: paths.userData,
              logger,
            })
          } catch (error) {
            const e = error as { code?: string; message: string }
            throw new EngineError(e.code ?? 'MOVE_FAILED', e.message)
          }
        }
        await mkdir(info.dir, { recursive: true })
        const next = await Library.open(info.dir, { ...libraryOptions, rescan: true })
        jobs.switchLibrary(next)
        offLibrary()
        library = next
        offLibrary = library.onChange(relayLibraryChange)
        settings.libraryDir = info.dir
        await saveSettings()
        logger.info('library folder changed', { dir: info.dir, mode, videos: library.size })
        relayLibraryChange()
        return { dir: info.dir, videos: library.size, moved }
      } finally {
        release()
      }
    }

    return {
      settings,
      get library() {
        return library
      },
      onLibraryChange(listener) {
        libraryListeners.add(listener)
        return () => libraryListeners.delete(listener)
      },
      async libraryLocation() {
        const { free, total } = await diskSpace(library.dir)
        let bytes = 0
        for (const e of library.all()) if (!e.expired) bytes += e.sizeBytes
        return { dir: library.dir, videos: library.size, bytes, freeBytes: free, totalBytes: total }
      },
      inspectLibraryFolder: (dir) => inspectFolder(dir, library.dir),
      changeLibraryFolder,
      get connection() {
        return state.connection
      },
      get provider() {
        return state.client
      },
      get sandbox() {
        return state.sandbox
      },
      keychain,
      jobs,
      logger,
      prepare: (input) => prepareRequest(input, path.join(paths.userData, 'images')),
      async submit(input, submitOptions) {
        const request = await prepareRequest(input, path.join(paths.userData, 'images'))
        return jobs.submitOrJoin(request, submitOptions)
      },
      usage: () => usageReport(jobs.list()),
      reconnect,
      async updateSettings(patch, change = {}) {
        const { keyOrigin: _notSettable, ...rest } = patch
        if (rest.baseUrl !== undefined) {
          const problem = serviceUrlProblem(rest.baseUrl)
          if (problem) throw new EngineError(SERVICE_URL_ERROR.invalid, problem)
        }
        const next = normaliseSettings({ ...settings, ...rest }, paths.library)
        const reconnecting = next.provider !== settings.provider || next.baseUrl !== settings.baseUrl
        if (reconnecting) refuseWhileBusy()
        if (next.libraryDir !== settings.libraryDir)
          throw new EngineError(
            'INVALID_FOLDER',
            'The library folder changes through changeLibraryFolder (move its videos, or use the new folder as it is).',
          )
        if (change.keyFollows) next.keyOrigin = serviceOrigin(next.baseUrl)
        else next.keyOrigin = settings.keyOrigin
        Object.assign(settings, next)
        await saveSettings()
        if (reconnecting) await reconnect()
        return { ...settings }
      },
      setKey: (key) =>
        changeKey('changed', async () => {
          const status = await keychain.set('cloud', key)
          settings.keyOrigin = serviceOrigin(options.baseUrl ?? settings.baseUrl)
          await saveSettings()
          return status
        }),
      removeKey: () =>
        changeKey('removed', async () => {
          await keychain.delete('cloud')
          settings.keyOrigin = null
          await saveSettings()
          return keychain.status('cloud')
        }),
      keyOriginChange: (patch) => binding.change(patch.baseUrl),
      async sourceImage(videoId) {
        const image = library.get(videoId)?.image
        if (!image) return null
        const dir = path.join(paths.userData, 'images')
        const file = (await readdir(dir).catch(() => [] as string[])).find((f) => f.startsWith(`${image.sha256}.`))
        return file ? { name: image.name, data: new Uint8Array(await readFile(path.join(dir, file))) } : null
      },
      async testKey(key) {
        // A key typed now is the user's for this address; the stored key only where it is bound (issue 9).
        const allowed = await binding.resolve(key?.trim() || null)
        if (!allowed) return { ok: false, code: 'INVALID_API_KEY', message: 'No API key is set.' }
        if (!('key' in allowed)) return { ok: false, code: allowed.code, message: allowed.message }
        try {
          const probe = makeClient(allowed.key, allowed.baseUrl, allowed.origin, {
            retry: { maxAttempts: 1, max429Waits: 0 },
            rateWindowMs: 60_000,
          })
          return { ok: true, ...(await probe.checkKey()) }
        } catch (error) {
          const e = error as { code?: string; message: string }
          return { ok: false, code: e.code ?? 'INTERNAL_ERROR', message: e.message }
        }
      },
      async close() {
        // Every step runs, whatever an earlier one threw: a failed stop must not leave the journal open or the
        // data folder locked. The errors are reported once all have run.
        const errors = await runEach([
          () => jobs.stop(),
          () => library.flush(),
          () => journal.journal.close(),
          () => state.sandbox?.close(),
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
