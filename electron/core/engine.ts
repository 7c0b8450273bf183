// The engine, assembled: data-folder lock, log, settings, API key, client (Seedance Cloud or the built-in
// Sandbox), journal, library and job manager. The desktop shell and the CLI are thin faces over this.
import { createHash } from 'node:crypto'
import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { SandboxOptions } from '../sandbox/options'
import { type Sandbox, startSandbox } from '../sandbox/server'
import type {
  AspectRatio,
  DataPaths,
  FolderInfo,
  GenerationRequest,
  JobRecord,
  LibraryChange,
  LibraryLocation,
  MoveResult,
  Resolution,
} from '../shared/model'
import { isLoopbackHost, SERVICE_URL_ERROR, serviceOrigin, serviceUrlProblem } from '../shared/service-url'
import { ClientRateLimiter } from './api/rate-limiter'
import { DEFAULT_REQUESTS_PER_MINUTE, realClock, SeedanceClient } from './api/seedance-client'
import { checkImage } from './images/image-rules'
import { confineToFolder } from './jobs/batch'
import { type Clock, JobManager } from './jobs/job-manager'
import { Journal } from './jobs/journal'
import type { SubmitOutcome } from './jobs/submit-rule'
import { Library } from './library/library'
import { diskSpace, inspectFolder, moveLibrary, unfinishedMove } from './library/relocate'
import { usageReport } from './library/usage'
import { Keychain, KeychainError, type KeyStatus } from './secrets/keychain'
import { type KeyAllowance, keyBinding } from './settings/key-binding'
import { normaliseSettings, readSettingsFile, type Settings, writeSettingsFile } from './settings/settings'
import { writeFileAtomic } from './util/atomic-write'
import { type DataLock, lockDataFolder } from './util/data-lock'
import { createFileLogger, type Logger } from './util/logger'

export class EngineError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
  }
}

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
  readonly client: SeedanceClient
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
  /** Save the API key in the keychain, bound to the origin of the service address in use; reconnects. */
  setKey(key: string): Promise<KeyStatus>
  /** Remove the stored key (and its binding); reconnects. */
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

export interface RequestInput {
  prompt: string
  /** The source image, as a file (CLI) … */
  imagePath?: string | null
  /** … which, when set (a CSV's image column), must be inside this folder: see confineToFolder. */
  imageRoot?: string | null
  /** … or as bytes (the app: dropped, pasted or picked) … */
  image?: { name: string; data: Uint8Array } | null
  /** … or as an https URL the service fetches itself (image_url). */
  imageUrl?: string | null
  duration?: number
  resolution?: Resolution
  aspectRatio?: AspectRatio | null
  style?: string | null
  motionIntensity?: number | null
}

const RESOLUTIONS: Resolution[] = ['720p', '1080p']
const ASPECTS: AspectRatio[] = ['16:9', '9:16', '1:1']

async function confineImage(root: string, value: string): Promise<string> {
  try {
    return await confineToFolder(root, value)
  } catch (error) {
    throw new EngineError('INVALID_IMAGE', (error as Error).message)
  }
}

async function prepareRequest(input: RequestInput, imagesDir: string): Promise<GenerationRequest> {
  const prompt = input.prompt?.trim() ?? ''
  if (!prompt) throw new EngineError('INVALID_PROMPT', 'The prompt is empty.')
  if (prompt.length > 2000)
    throw new EngineError('INVALID_PROMPT', `The prompt is ${prompt.length} characters; the limit is 2,000.`)
  const duration = input.duration ?? 8
  if (!Number.isInteger(duration) || duration < 1 || duration > 8)
    throw new EngineError('INVALID_DURATION', 'Duration must be a whole number of seconds from 1 to 8.')
  const resolution = input.resolution ?? '1080p'
  if (!RESOLUTIONS.includes(resolution))
    throw new EngineError('INVALID_RESOLUTION', 'Resolution must be 720p or 1080p.')
  const aspectRatio = input.aspectRatio ?? null
  if (aspectRatio !== null && !ASPECTS.includes(aspectRatio))
    throw new EngineError('INVALID_ASPECT_RATIO', 'Aspect ratio must be 16:9, 9:16 or 1:1.')
  const style = input.style?.trim() || null
  if (style && style.length > 100) throw new EngineError('INVALID_STYLE', 'Style must be at most 100 characters.')
  if (!input.imageUrl && !input.imagePath && !input.image)
    return {
      mode: 'text',
      prompt,
      duration,
      resolution,
      aspectRatio: aspectRatio ?? '16:9',
      style,
      motionIntensity: null,
      image: null,
    }
  // Image to video, from a URL, a file or bytes: one motion check for all three.
  const motion = input.motionIntensity ?? 0.5
  if (!(motion >= 0 && motion <= 1))
    throw new EngineError('INVALID_MOTION_INTENSITY', 'Motion intensity must be from 0 to 1.')
  if (input.imageUrl) {
    let url: URL | null = null
    try {
      url = new URL(input.imageUrl)
    } catch {
      url = null
    }
    // https only; plain http is allowed for this machine's own servers (the Sandbox, tests).
    const local = url?.protocol === 'http:' && isLoopbackHost(url.hostname)
    if (!url || (url.protocol !== 'https:' && !local))
      throw new EngineError('INVALID_IMAGE', 'The image URL must start with https://.')
    return {
      mode: 'image',
      prompt,
      duration,
      resolution,
      aspectRatio,
      style,
      motionIntensity: motion,
      image: null,
      imageUrl: url.href,
    }
  }
  // A CSV's image stays inside the CSV's folder (issue 9); the checked real path is the one read and copied.
  const imagePath =
    input.imagePath && input.imageRoot ? await confineImage(input.imageRoot, input.imagePath) : input.imagePath
  let data: Uint8Array
  if (input.image) data = input.image.data
  else {
    try {
      data = await readFile(imagePath as string)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error)
      throw new EngineError(
        'INVALID_IMAGE',
        code === 'ENOENT' ? `Image not found: ${imagePath}` : `Cannot read the image ${imagePath} (${code}).`,
      )
    }
  }
  let info: Awaited<ReturnType<typeof checkImage>>
  try {
    info = await checkImage(data)
  } catch (error) {
    // Name the file and the formats accepted (issue 9): "not an image" alone leaves a batch user guessing.
    const message = (error as Error).message
    const formats = /JPEG, PNG or WebP/.test(message) ? '' : ' Use a JPEG, PNG or WebP image.'
    throw new EngineError('INVALID_IMAGE', `${input.image?.name ?? imagePath}: ${message}${formats}`)
  }
  const sha256 = createHash('sha256').update(data).digest('hex')
  await mkdir(imagesDir, { recursive: true })
  const copy = path.join(imagesDir, `${sha256}.${info.format === 'jpeg' ? 'jpg' : info.format}`)
  if (input.image) await writeFileAtomic(copy, data)
  else await copyFile(imagePath as string, copy)
  return {
    mode: 'image',
    prompt,
    duration,
    resolution,
    aspectRatio,
    style,
    motionIntensity: motion,
    image: { path: copy, sha256, name: input.image?.name ?? path.basename(imagePath as string) },
  }
}

export async function openEngine(options: EngineOptions): Promise<Engine> {
  const { paths } = options
  await mkdir(paths.userData, { recursive: true })
  // A base URL given for this run (the CLI's --base-url) must pass the same rule as one saved in Settings.
  const baseUrlProblem = options.baseUrl === undefined ? null : serviceUrlProblem(options.baseUrl)
  if (baseUrlProblem)
    throw new EngineError(SERVICE_URL_ERROR.invalid, `--base-url ${options.baseUrl}: ${baseUrlProblem}`)
  const lock: DataLock = await lockDataFolder(paths.userData, options.role)
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
    const makeClient = (apiKey: string, baseUrl: string, keyOrigin: string) =>
      new SeedanceClient({
        apiKey,
        baseUrl,
        keyOrigin,
        fetch: options.fetch,
        limiter: new ClientRateLimiter(DEFAULT_REQUESTS_PER_MINUTE, realClock, options.rateWindowMs ?? 60_000),
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
    const binding = keyBinding({ keychain, settings, explicitBaseUrl: options.baseUrl })
    const connect = async (current: { sandbox: Sandbox | null }) => {
      const mode = options.sandbox ?? 'auto'
      const wantsCloud = mode === 'auto' || (mode === 'setting' && settings.provider === 'cloud')
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
    logger.info('engine started', {
      role: options.role,
      provider: state.connection.provider,
      baseUrl: state.connection.baseUrl,
    })

    const opened = await Journal.open(path.join(paths.userData, 'journal.jsonl'))
    if (opened.movedAside) {
      logger.warn('journal had damaged lines; kept the readable records and moved the file aside', {
        file: opened.movedAside,
        damaged: opened.damaged,
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
    const jobs = new JobManager({
      journal: opened.journal,
      jobs: opened.jobs,
      client: () => state.client,
      library,
      provider: () => state.connection.provider,
      settings: () => settings,
      logger,
      clock: options.clock,
      fetch: options.fetch,
    })
    if (options.resumeJobs !== false) await jobs.start()

    // Switching service while jobs run there would orphan them: refuse until they have finished.
    const refuseWhileBusy = () => {
      const busy = jobs.activeCount()
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
      get client() {
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
      async setKey(key) {
        const status = await keychain.set('cloud', key)
        settings.keyOrigin = serviceOrigin(options.baseUrl ?? settings.baseUrl)
        await saveSettings()
        await reconnect().catch(() => undefined) // jobs still running: the new key applies once they finish
        return status
      },
      async removeKey() {
        await keychain.delete('cloud')
        settings.keyOrigin = null
        await saveSettings()
        await reconnect().catch(() => undefined)
        return keychain.status('cloud')
      },
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
        const probe = new SeedanceClient({
          apiKey: allowed.key,
          baseUrl: allowed.baseUrl,
          keyOrigin: allowed.origin,
          fetch: options.fetch,
          limiter: new ClientRateLimiter(DEFAULT_REQUESTS_PER_MINUTE, realClock),
          retry: { maxAttempts: 1, max429Waits: 0 },
        })
        try {
          await probe.listJobs({ limit: 1 })
          const rate = probe.rateLimit()
          return {
            ok: true,
            limit: rate?.limit ?? null,
            remaining: rate?.remaining ?? null,
            resetAt: rate?.resetAt ?? null,
          }
        } catch (error) {
          const e = error as { code?: string; message: string }
          return { ok: false, code: e.code ?? 'INTERNAL_ERROR', message: e.message }
        }
      },
      async close() {
        await jobs.stop()
        await library.flush()
        await opened.journal.close()
        await state.sandbox?.close()
        logger.info('engine stopped')
        await lock.release()
      },
    }
  } catch (error) {
    await lock.release()
    throw error
  }
}
