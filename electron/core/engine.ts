// The engine, assembled: data-folder lock, log, settings, API key, client (Seedance Cloud or the built-in
// Sandbox), journal, library and job manager. The desktop shell and the CLI are thin faces over this.
import { createHash } from 'node:crypto'
import { copyFile, mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { SandboxOptions } from '../sandbox/options'
import { type Sandbox, startSandbox } from '../sandbox/server'
import type { AspectRatio, DataPaths, GenerationRequest, Resolution } from '../shared/model'
import { ClientRateLimiter } from './api/rate-limiter'
import { DEFAULT_REQUESTS_PER_MINUTE, realClock, SeedanceClient } from './api/seedance-client'
import { checkImage } from './images/image-rules'
import { type Clock, JobManager } from './jobs/job-manager'
import { Journal } from './jobs/journal'
import { Library } from './library/library'
import { usageReport } from './library/usage'
import { Keychain } from './secrets/keychain'
import { readSettingsFile, type Settings } from './settings/settings'
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
  /** 'always' uses the built-in Sandbox; 'auto' uses it when no key is set. */
  sandbox?: 'always' | 'auto'
  baseUrl?: string
  libraryDir?: string
  keychain?: Keychain
  sandboxOptions?: Partial<SandboxOptions>
  settingsOverride?: Partial<Settings>
  fetch?: typeof fetch
  clock?: Clock
  /** Library delete: the app moves files to the OS trash. */
  trash?: (file: string) => Promise<void>
  /** The rate-limit window the client assumes (the API's is a minute; tests shorten the Sandbox's). */
  rateWindowMs?: number
}

export interface Connection {
  provider: 'sandbox' | 'cloud'
  baseUrl: string
  /** Why the Sandbox is in use, when it was not asked for. */
  reason: string | null
}

export interface Engine {
  settings: Settings
  connection: Connection
  jobs: JobManager
  library: Library
  client: SeedanceClient
  logger: Logger
  sandbox: Sandbox | null
  /** Checks a request as the API would, copies its image into the data folder, and fills defaults. */
  prepare(input: RequestInput): Promise<GenerationRequest>
  usage(): ReturnType<typeof usageReport>
  close(): Promise<void>
}

export interface RequestInput {
  prompt: string
  /** The source image, as a file (CLI) … */
  imagePath?: string | null
  /** … or as bytes (the app: dropped, pasted or picked). */
  image?: { name: string; data: Uint8Array } | null
  duration?: number
  resolution?: Resolution
  aspectRatio?: AspectRatio | null
  style?: string | null
  motionIntensity?: number | null
}

const RESOLUTIONS: Resolution[] = ['720p', '1080p']
const ASPECTS: AspectRatio[] = ['16:9', '9:16', '1:1']

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
  if (!input.imagePath && !input.image)
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
  const motion = input.motionIntensity ?? 0.5
  if (!(motion >= 0 && motion <= 1))
    throw new EngineError('INVALID_MOTION_INTENSITY', 'Motion intensity must be from 0 to 1.')
  let data: Uint8Array
  if (input.image) data = input.image.data
  else {
    try {
      data = await readFile(input.imagePath as string)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? String(error)
      throw new EngineError('INVALID_IMAGE', `Cannot read the image ${input.imagePath}: ${code}.`)
    }
  }
  let info: Awaited<ReturnType<typeof checkImage>>
  try {
    info = await checkImage(data)
  } catch (error) {
    throw new EngineError('INVALID_IMAGE', (error as Error).message)
  }
  const sha256 = createHash('sha256').update(data).digest('hex')
  await mkdir(imagesDir, { recursive: true })
  const copy = path.join(imagesDir, `${sha256}.${info.format === 'jpeg' ? 'jpg' : info.format}`)
  if (input.image) await writeFileAtomic(copy, data)
  else await copyFile(input.imagePath as string, copy)
  return {
    mode: 'image',
    prompt,
    duration,
    resolution,
    aspectRatio,
    style,
    motionIntensity: motion,
    image: { path: copy, sha256, name: input.image?.name ?? path.basename(input.imagePath as string) },
  }
}

export async function openEngine(options: EngineOptions): Promise<Engine> {
  const { paths } = options
  await mkdir(paths.userData, { recursive: true })
  const lock: DataLock = await lockDataFolder(paths.userData, options.role)
  try {
    const logger = createFileLogger({ dir: paths.logs })
    const loaded = await readSettingsFile(paths.settingsFile, paths.library)
    if (loaded.movedAside)
      logger.warn('settings file was corrupt; moved aside and defaults restored', { file: loaded.movedAside })
    const settings: Settings = {
      ...loaded.settings,
      ...options.settingsOverride,
      ...(options.libraryDir ? { libraryDir: options.libraryDir } : {}),
    }
    const keychain = options.keychain ?? new Keychain()

    let sandbox: Sandbox | null = null
    let connection: Connection
    let apiKey: string | null = null
    if (options.sandbox !== 'always' && (settings.provider === 'cloud' || options.baseUrl)) {
      apiKey = await keychain.get('cloud')
    }
    if (apiKey) {
      connection = { provider: 'cloud', baseUrl: options.baseUrl ?? settings.baseUrl, reason: null }
    } else {
      sandbox = await startSandbox({ log: (line) => logger.info(`sandbox: ${line}`), ...options.sandboxOptions })
      apiKey = sandbox.apiKey
      connection = {
        provider: 'sandbox',
        baseUrl: sandbox.baseUrl,
        reason:
          options.sandbox === 'always'
            ? null
            : 'No API key is set, so jobs go to the built-in Sandbox (local, free, marked SANDBOX).',
      }
    }
    logger.addSecret(apiKey)
    logger.info('engine started', { role: options.role, provider: connection.provider, baseUrl: connection.baseUrl })
    const client = new SeedanceClient({
      apiKey,
      baseUrl: connection.baseUrl,
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
    const opened = await Journal.open(path.join(paths.userData, 'journal.jsonl'))
    if (opened.movedAside)
      logger.warn('journal had damaged lines; kept the readable records and moved the file aside', {
        file: opened.movedAside,
        damaged: opened.damaged,
      })
    await mkdir(settings.libraryDir, { recursive: true })
    const library = await Library.open(settings.libraryDir, { logger, trash: options.trash })
    const jobs = new JobManager({
      journal: opened.journal,
      jobs: opened.jobs,
      client: () => client,
      library,
      provider: () => connection.provider,
      settings: () => settings,
      logger,
      clock: options.clock,
      fetch: options.fetch,
    })
    await jobs.start()
    return {
      settings,
      connection,
      jobs,
      library,
      client,
      logger,
      sandbox,
      prepare: (input) => prepareRequest(input, path.join(paths.userData, 'images')),
      usage: () => usageReport(jobs.list()),
      async close() {
        await jobs.stop()
        await library.flush()
        await opened.journal.close()
        await sandbox?.close()
        logger.info('engine stopped')
        await lock.release()
      },
    }
  } catch (error) {
    await lock.release()
    throw error
  }
}
