// The one typed IPC contract: for every channel its request schema, and the request, response and
// event types derived from it. Main validates every request against these schemas; the renderer
// imports only the types (and the bridge its channel names from channels.ts).
import { z } from 'zod'
import { type BudgetStatus, CAP_PERIODS, CAP_UNITS } from './budget'
import type { EventChannel, InvokeChannel } from './channels'
import type {
  AppErrorShape,
  AppInfo,
  FolderInfo,
  JobRecord,
  LibraryChange,
  LibraryEntry,
  LibraryLocation,
  UsageReport,
} from './model'
import { ASPECT_RATIOS, PROVIDER_IDS, type ProviderId, RESOLUTIONS } from './providers'
import { SWEEP_MAX_JOBS, type SweepSubmitted } from './sweep'

export type { EventChannel, InvokeChannel } from './channels'
export { EVENT_CHANNELS, INVOKE_CHANNELS, isEventChannel, isInvokeChannel } from './channels'

const id = z.string().min(1).max(200)

/** A new generation, as the composer sends it. The image travels as bytes (drop, paste or picker). */
export const submitSchema = z.object({
  /** The door and model; the engine checks the settings against the model's capabilities (shared/providers.ts). */
  provider: z.enum(PROVIDER_IDS).optional(),
  model: z.string().min(1).max(200).optional(),
  prompt: z.string().max(4000),
  duration: z.number().int().min(1).max(60).optional(),
  resolution: z.enum(RESOLUTIONS).optional(),
  aspectRatio: z.enum(ASPECT_RATIOS).nullable().optional(),
  seed: z.number().int().min(-1).max(4_294_967_295).nullable().optional(),
  cameraFixed: z.boolean().nullable().optional(),
  audio: z.boolean().nullable().optional(),
  style: z.string().max(200).nullable().optional(),
  motionIntensity: z.number().min(0).max(1).nullable().optional(),
  image: z
    .object({ name: z.string().max(500), data: z.instanceof(Uint8Array) })
    .nullable()
    .optional(),
  /** Or an https image URL for the service to fetch (image_url). */
  imageUrl: z.string().max(2000).nullable().optional(),
  /** The last frame (first + last frame mode), as bytes. */
  lastImage: z
    .object({ name: z.string().max(500), data: z.instanceof(Uint8Array) })
    .nullable()
    .optional(),
  /** Generate even if the library already holds this exact request. */
  force: z.boolean().optional(),
})

export const libraryQuerySchema = z.object({
  search: z.string().max(500).optional(),
  provider: z.enum(PROVIDER_IDS).optional(),
  model: z.string().min(1).max(200).optional(),
  mode: z.enum(['text', 'image']).optional(),
  resolution: z.enum(RESOLUTIONS).optional(),
  aspectRatio: z.enum(ASPECT_RATIOS).optional(),
  favorite: z.boolean().optional(),
  from: z.number().optional(),
  to: z.number().optional(),
  sort: z.enum(['newest', 'oldest', 'title', 'duration', 'size']).optional(),
  offset: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(1000).optional(),
  // Prompt history (issue 11): the videos of one prompt.
  prompt: z.string().max(20_000).optional(),
})

const provider = z.enum(PROVIDER_IDS)
/** A value per provider, each optional (zod's record over an enum would require every key). */
const perProvider = <T extends z.ZodType>(value: T) => z.partialRecord(provider, value)

/** Request schemas, one per invoke channel. `z.undefined()` means the channel takes no payload. */
export const requestSchemas = {
  'app:info': z.undefined(),
  'engine:status': z.undefined(),
  'jobs:list': z.undefined(),
  'jobs:submit': submitSchema,
  'jobs:cancel': z.object({ id }),
  'jobs:retry': z.object({ id }),
  'jobs:remove': z.object({ id }),
  'library:query': libraryQuerySchema,
  'library:favorite': z.object({ id, value: z.boolean() }),
  'library:rename': z.object({ id, title: z.string().max(500) }),
  'library:delete': z.object({ ids: z.array(id).min(1).max(10_000) }),
  'library:rescan': z.undefined(),
  // Only an id: the file comes from the OS dialog main shows, never from the renderer.
  'library:locate': z.object({ id }),
  'library:reveal': z.object({ id }),
  'library:source-image': z.object({ id }),
  'library:drag': z.object({ id }),
  'library:fetch': z.object({ id }),
  'library:location': z.undefined(),
  'library:choose-folder': z.undefined(),
  'library:inspect-folder': z.object({ dir: z.string().min(1).max(4096) }),
  'library:change-folder': z.object({ dir: z.string().min(1).max(4096), mode: z.enum(['move', 'rescan']) }),
  'usage:get': z.undefined(),
  'settings:get': z.undefined(),
  'providers:list': z.undefined(),
  'settings:update': z
    .object({
      /** null: automatic (the one provider with a key, else the guide's API). */
      provider: provider.nullable(),
      /** Checked by the engine against the catalog (UNKNOWN_MODEL). */
      models: perProvider(z.string().min(1).max(200)),
      sandbox: z.boolean(),
      // Each checked by the engine against the service URL rule (shared/service-url.ts), so the Settings view gets
      // its specific code (INVALID_BASE_URL) rather than a schema failure; '' puts the default back. keyOrigins
      // is deliberately absent: only main binds a key to an address.
      baseUrls: perProvider(z.string().max(500)),
      arkRegion: z.enum(['ap-southeast', 'cn-beijing']),
      maxConcurrentJobs: z.number().int().min(1).max(10),
      notifications: z.boolean(),
      theme: z.enum(['system', 'light', 'dark']),
      retryFailedOnce: z.boolean(),
    })
    .partial(),
  'key:status': z.object({ provider }),
  // The key travels renderer → main once, to be stored or tried; it never travels back.
  'key:set': z.object({ provider, key: z.string().min(1).max(500) }),
  'key:remove': z.object({ provider }),
  'key:test': z.object({ provider, key: z.string().max(500).optional() }),
  // The CSV is a file the user picked in main's OS dialog (batch:choose-file), named by its path; main reads it
  // itself. The renderer never sends CSV text: the CSV's folder bounds which images it may name (issue 9).
  'batch:choose-file': z.undefined(),
  'batch:preview': z.object({ file: z.string().min(1).max(4096) }),
  'batch:submit': z.object({ file: z.string().min(1).max(4096) }),
  // Issue 11 (sweep): the axes; the engine expands them (shared/sweep.ts), checks and costs every cell, then queues.
  'sweep:submit': z.object({
    prompts: z.array(z.string().max(4000)).min(1).max(SWEEP_MAX_JOBS),
    seeds: z.array(z.number().int().min(0).max(4_294_967_295)).max(SWEEP_MAX_JOBS),
    models: z
      .array(z.object({ provider, model: z.string().min(1).max(200) }))
      .min(1)
      .max(SWEEP_MAX_JOBS),
    durations: z.array(z.number().int().min(0).max(60)).max(SWEEP_MAX_JOBS),
    resolutions: z.array(z.enum(RESOLUTIONS)).max(RESOLUTIONS.length),
    aspectRatio: z.enum(ASPECT_RATIOS).nullable().optional(),
    cameraFixed: z.boolean().nullable().optional(),
    audio: z.boolean().nullable().optional(),
  }),
  // Budget (issue 11): a cap per provider and period, in USD or the provider's unit (the engine checks which).
  'budget:get': z.undefined(),
  'budget:set': z.object({
    provider,
    period: z.enum(CAP_PERIODS),
    amount: z.number().positive().finite().max(1e15),
    unit: z.enum(CAP_UNITS),
  }),
  'budget:clear': z.object({ provider, period: z.enum(CAP_PERIODS).optional() }),
  // issue 11 (meta): a SHA-256 in hex, never a path.
  'library:image-by-hash': z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  // Sequence (issue 11). The frame is the video's last frame the renderer took from the file (absent: main uses the
  // service's kept image, else ffmpeg). The export's destination comes from main's save dialog, never the renderer.
  'library:continue': z.object({
    id,
    prompt: z.string().max(4000).nullable().optional(),
    frame: z
      .object({ name: z.string().max(500), data: z.instanceof(Uint8Array) })
      .nullable()
      .optional(),
  }),
  'library:export-sequence': z.object({ id }),
  // Prompt history (issue 11): the history itself is built in the renderer from its jobs and library mirrors.
  'prompts:starred': z.undefined(),
  'prompts:star': z.object({ prompt: z.string().max(20_000), value: z.boolean() }),
} satisfies Record<InvokeChannel, z.ZodType>

export interface AppSettings {
  /** The door new jobs go through; null: automatic (the one provider with a key, else seedance). */
  provider: ProviderId | null
  /** The model chosen per door (absent: the door's defaultModel). */
  models: Partial<Record<ProviderId, string>>
  /** Send jobs to the built-in Sandbox's emulation of the door, even with a key. */
  sandbox: boolean
  /** Advanced: each door's base URL (absent: its default). */
  baseUrls: Partial<Record<ProviderId, string>>
  arkRegion: 'ap-southeast' | 'cn-beijing'
  libraryDir: string
  maxConcurrentJobs: number
  notifications: boolean
  theme: 'system' | 'light' | 'dark'
  retryFailedOnce: boolean
}

export interface KeyStatus {
  hasKey: boolean
  last4: string | null
  source: 'keychain' | 'environment' | null
}

export type KeyTestResult =
  | { ok: true; limit: number | null; remaining: number | null; resetAt: number | null }
  | { ok: false; code: string; message: string }

/** A provider as Settings and `seedance providers` show it: its key (never the key itself) and where its jobs go. */
export interface ProviderStatus {
  id: ProviderId
  /** null: the keychain cannot be read (the reason says so). */
  key: KeyStatus | null
  /** The real service's URL in use for it (its default, its region's, or the one set in Settings › Advanced). */
  baseUrl: string
  /** Where its jobs go now and why: 'cloud' (its key), or 'sandbox' with the reason (null: the Sandbox was asked for). */
  target: 'cloud' | 'sandbox'
  reason: string | null
  reasonCode: string | null
  /** The model its jobs use unless the composer picks another. */
  model: string
}

export interface EngineStatus {
  /** The default door and its model. */
  provider: ProviderId
  model: string
  /** Where its jobs go now. */
  target: 'sandbox' | 'cloud'
  /** Where its requests go: the service's URL, or the Sandbox's emulation of it. */
  baseUrl: string
  /** Why the Sandbox is in use when it was not chosen (no key, or a key saved for another address). */
  reason: string | null
  /** The reason's stable code, when it has one (KEY_ORIGIN_MISMATCH). */
  reasonCode?: string | null
  /** Set while the queue waits for the user (a rejected key, no credits). */
  paused: AppErrorShape | null
  libraryDir: string
  /** Prefix of media URLs for the library's files: media:// in the app (the harness serves them over http). */
  mediaBase: string
}

export type { UsageReport } from './model'

interface ResponseTypes {
  'app:info': AppInfo
  'engine:status': EngineStatus
  'jobs:list': JobRecord[]
  /**
   * The queued job, or the job already making (or fetching) this exact request, which was joined instead of
   * sending it again (`joined`), or the video already made from it (when not forced).
   */
  'jobs:submit': { job: JobRecord | null; existing: LibraryEntry | null; joined: boolean }
  'jobs:cancel': JobRecord
  'jobs:retry': JobRecord
  'jobs:remove': { removed: boolean }
  'library:query': { total: number; items: LibraryEntry[] }
  'library:favorite': LibraryEntry
  'library:rename': LibraryEntry
  'library:delete': { removed: number }
  'library:rescan': { added: number; removed: number; missing: number }
  /**
   * Give a missing video its file: main shows the OS file dialog; the picked MP4 is adopted (already in the library
   * folder) or moved there (copied from another disk). null when the dialog was cancelled.
   */
  'library:locate': { entry: LibraryEntry; how: 'adopted' | 'copied' } | null
  'library:reveal': { shown: boolean }
  /** Starts an OS drag of the video file, so it can be dropped into other apps. */
  'library:drag': { started: boolean }
  /** "Download again": the job now downloading a paid video that is not in the library (nothing is paid again). */
  'library:fetch': JobRecord
  /** The source image of an image-to-video, for "reuse settings"; null when it is no longer kept. */
  'library:source-image': { name: string; data: Uint8Array } | null
  /** The library folder in use, with its free space. */
  'library:location': LibraryLocation
  /** The OS folder picker; null when cancelled. Only folders picked here may be inspected or made the library. */
  'library:choose-folder': { dir: string | null }
  'library:inspect-folder': FolderInfo
  'library:change-folder': LibraryChange
  'usage:get': UsageReport
  'providers:list': ProviderStatus[]
  'settings:get': AppSettings
  'settings:update': AppSettings
  'key:status': KeyStatus
  'key:set': KeyStatus
  'key:remove': KeyStatus
  'key:test': KeyTestResult
  /** The CSV picked in the OS dialog (null: cancelled). */
  'batch:choose-file': { file: string | null; name: string | null }
  'batch:preview': BatchPreviewRow[]
  /** `joined`: rows whose request was already in the queue (or paid for and fetched again): not sent again. */
  'batch:submit': { queued: number; joined: number; exists: number; invalid: number }
  /** Issue 11 (sweep): every cell's outcome; refused cells (what their model cannot do) were not queued. */
  'sweep:submit': SweepSubmitted
  // Budget (issue 11).
  'budget:get': BudgetStatus
  'budget:set': BudgetStatus
  'budget:clear': BudgetStatus
  /**
   * Issue 11 (meta): the source image with this SHA-256, when the app still keeps it (a video dropped on the
   * composer names its source images by hash); null when it does not.
   */
  'library:image-by-hash': { name: string; data: Uint8Array } | null
  // Sequence (issue 11).
  /** The continuation's job (`joined`: the same one was already being made), and where its first frame came from. */
  'library:continue': { job: JobRecord; joined: boolean; frameFrom: 'given' | 'service' | 'ffmpeg' }
  /** The exported file, or null when the save dialog was cancelled. */
  'library:export-sequence': { exported: SequenceExport | null }
  /** Prompt history (issue 11): the starred prompts, whitespace normalised, most recently starred first. */
  'prompts:starred': string[]
  'prompts:star': string[]
}

/** A sequence exported as one MP4 (issue 11): 'copy' joined without re-encoding, 'reencode' with ffmpeg (why). */
export interface SequenceExport {
  file: string
  method: 'copy' | 'reencode'
  reason: string | null
  clips: number
  durationSeconds: number
  bytes: number
}

export interface BatchPreviewRow {
  id: string
  line: number
  prompt: string
  summary: string
  /** `running`: the same request is already in the queue, and is joined rather than sent again. */
  status: 'ready' | 'exists' | 'running' | 'invalid'
  message: string | null
}

// Event payloads pushed from main to the renderer, keyed by channel.
interface EventTypes {
  'jobs:changed': JobRecord
  'jobs:removed': { id: string }
  'library:changed': { size: number }
  /** The default door, a key or the pause state changed: reload engine:status (and providers:list). */
  'engine:changed': { provider: ProviderId }
  /** The menu or a notification asks for a view (and maybe a video to open). */
  'ui:navigate': { view: 'create' | 'queue' | 'library' | 'usage' | 'settings'; videoId?: string | null }
  /** Budget (issue 11): spend, a cap or a held queue changed. */
  'budget:changed': BudgetStatus
}

export type InvokeRequest<C extends InvokeChannel> = z.input<(typeof requestSchemas)[C]>
export type InvokeResponse<C extends InvokeChannel> = ResponseTypes[C]
export type EventPayload<E extends EventChannel> = EventTypes[E]

/** What every invoke resolves to: Electron forwards only `message` from thrown errors, so errors travel as data. */
export type IpcResult<T> = { ok: true; data: T } | { ok: false; error: AppErrorShape }

/** Stable error codes produced by the IPC layer itself (handlers add their own). */
export const IPC_ERROR = {
  unknownChannel: 'IPC_UNKNOWN_CHANNEL',
  untrustedSender: 'IPC_UNTRUSTED_SENDER',
  invalidPayload: 'IPC_INVALID_PAYLOAD',
  internal: 'INTERNAL_ERROR',
} as const

/** The surface exposed on `window.seedance`, built by createBridge (bridge.ts). */
export interface SeedanceBridge {
  invoke<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>): Promise<IpcResult<InvokeResponse<C>>>
  on<E extends EventChannel>(channel: E, listener: (payload: EventPayload<E>) => void): () => void
}
