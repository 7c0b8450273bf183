// Domain types shared by the engine, the shell, the CLI and the renderer.
// Pure TypeScript: no Node, no DOM, no electron.
import type { AspectRatio, ProviderId, Resolution } from './providers'

export type { AspectRatio, ProviderId, Resolution } from './providers'

export type Platform = 'darwin' | 'win32' | 'linux' | (string & {})

/** Where the app keeps its files. The CLI and the app compute these the same way (electron/core/paths.ts). */
export interface DataPaths {
  /** Settings, the job journal and logs live here (the app's user-data folder). */
  userData: string
  settingsFile: string
  logs: string
  /** Default library folder: the OS Videos folder / "Seedance Studio". */
  library: string
}

export interface AppInfo {
  name: string
  version: string
  platform: Platform
  arch: string
  /** Versions of the runtime the engine runs in; `electron` is null outside the desktop shell. */
  runtime: { node: string; electron: string | null; chrome: string | null }
  paths: DataPaths
}

/** Every error that crosses a boundary carries a stable code; the UI maps codes to actions. */
export interface AppErrorShape {
  code: string
  message: string
}

// --- generation jobs (the engine's journal) ---------------------------------------------------------

/** 'image': from a first frame (and a last frame when `lastImage` is set). */
export type GenerationMode = 'text' | 'image'

export interface SourceImage {
  /** A copy kept in the data folder, so a job can be resubmitted and its settings reused. */
  path: string
  sha256: string
  /** The file name the user chose. */
  name: string
}

export interface GenerationRequest {
  /** The door it goes through and the model (shared/providers.ts); journals before issue 10 read as seedance/standard. */
  provider: ProviderId
  model: string
  mode: GenerationMode
  prompt: string
  duration: number
  resolution: Resolution
  aspectRatio: AspectRatio | null
  style: string | null
  motionIntensity: number | null
  image: SourceImage | null
  /** Or an image on the web, sent as image_url for the service to fetch (absent in older journals). */
  imageUrl?: string | null
  /** The last frame (first + last frame mode; needs `image`), where the model has that mode. */
  lastImage?: SourceImage | null
  /** A fixed seed for a repeatable result, where the model takes one; null or absent: random. */
  seed?: number | null
  /** Keep the camera still, where the model takes it. */
  cameraFixed?: boolean | null
  /** Generate sound with the video, where the model can. */
  audio?: boolean | null
  /** Sequence (issue 11): the library entry this clip continues, from its last frame; recorded on the new entry. */
  continues?: string | null
}

/**
 * pending → submitting → queued → processing → downloading → done | failed | cancelled;
 * outcome-unknown while a submission whose answer was lost is reconciled through the list endpoint;
 * download-retry while a paid video waits to be downloaded again after a passing fault (its link may
 * still be valid), then downloading again.
 */
export type JobState =
  | 'pending'
  | 'submitting'
  | 'queued'
  | 'processing'
  | 'downloading'
  | 'done'
  | 'failed'
  | 'cancelled'
  | 'outcome-unknown'
  | 'download-retry'

/** Which service a job belongs to: the kind and the origin of its base URL. */
export interface JobService {
  kind: 'sandbox' | 'cloud'
  origin: string
}

export interface JobError {
  code: string
  message: string
}

export interface JobRecord {
  id: string
  request: GenerationRequest
  fingerprint: string
  state: JobState
  createdAt: number
  updatedAt: number
  /** When the current submission's POST was sent (for reconciliation and timings). */
  submittedAt: number | null
  remoteId: string | null
  /**
   * The service the job was sent to, journaled before the POST: it is polled, refreshed and downloaded only
   * there. The Sandbox's origin changes each start, so only its kind counts. Absent in older journals (unknown).
   */
  service?: JobService
  estimatedCompletion: number | null
  completedAt: number | null
  /** Submissions made (a JOB_FAILED retry makes a second). */
  attempts: number
  credits: number | null
  /** What the service said the job cost, in its own unit, when it says (budget: counted over the estimate). */
  cost?: { amount: number; unit: 'credits' | 'tokens' | 'seconds' } | null
  error: JobError | null
  /** Why the job is waiting or what just happened, in words for people ("waiting for the rate limit"). */
  note: string | null
  /** Earliest time of the next action (poll, retry, reconcile); null when nothing is scheduled. */
  nextAt: number | null
  /** Where the finished video is, and under which name it is being saved. */
  output: {
    videoUrl: string
    thumbnailUrl: string | null
    file: string
    width: number | null
    height: number | null
    /** The size the service declared (file_size_mb), in bytes; the download is capped by it. */
    declaredBytes?: number | null
    /** When the service said the link expires (expires_at), as ms since the epoch. */
    expiresAt?: number | null
    /** The service said the video is gone (job unknown, or its link past expires_at). */
    gone?: boolean
    /** The seed the service says it used (Ark, fal echo it), recorded on the library entry. */
    seed?: number | null
    /** Sequence (issue 11): the service's image of the clip's last frame (Ark gives one), kept at save time. */
    lastFrameUrl?: string | null
  } | null
  /** Downloads retried after a passing fault since the video was finished (absent in older journals). */
  downloadTries?: number
  /** Library entry of the finished video. */
  videoId: string | null
  /** The CSV row this job came from, for batches. */
  batch: { file: string; row: string } | null
  /** Issue 11 (sweep): the sweep this job is a cell of, and the values that vary across it (axis → value). */
  sweep?: SweepTag
  // --- studio (issue 11, point 7): what a waiting job waits for, as data the UI can show without parsing notes.
  /**
   * Why a pending job is not sent before nextAt: the service's rate limit (429), its full queue, or a passing fault
   * retried. Cleared when it is sent again; absent in older journals.
   */
  waitFor?: 'rate-limit' | 'queue-full' | 'retry' | null
  /** Jobs ahead of it in the service's own queue (0: next), while the service says; null once it runs. */
  queuePosition?: number | null
}

/** Issue 11 (sweep): which sweep a job or video belongs to, and what it varied ({ seed: '2', model: '…' }). */
export interface SweepTag {
  id: string
  vary: Record<string, string>
}

// --- the library ----------------------------------------------------------------------------------

export interface LibraryEntry {
  id: string
  /** The door and model that made it (issue 10); absent in entries written before: the guide's API, 'standard'. */
  provider?: ProviderId
  model?: string
  /** The seed it was made with, when the service said or the user fixed one. */
  seed?: number | null
  /** File name of the video inside the library folder. */
  file: string
  title: string
  prompt: string
  mode: GenerationMode
  duration: number
  resolution: Resolution
  aspectRatio: AspectRatio
  style: string | null
  motionIntensity: number | null
  width: number
  height: number
  sizeBytes: number
  sha256: string
  createdAt: number
  /** Submission to completion, when known. */
  generationMs: number | null
  credits: number | null
  favorite: boolean
  fingerprint: string | null
  jobId: string | null
  remoteId: string | null
  image: { sha256: string; name: string } | null
  /** Thumbnail file name inside the library's .seedance/thumbs folder. */
  thumbnail: string | null
  /** The service's link expired before the video could be saved: only its metadata is kept. */
  expired: boolean
  /**
   * For an entry not saved (expired): the last moment its link may be valid, as its job knew it (the service's
   * expires_at or 24 h after completion); 0 once the service said the video is gone. Absent in older entries.
   */
  linkUntil?: number | null
  /** Found in the folder without metadata (added outside the app). */
  external: boolean
  /**
   * The video file is not in the library folder (a drive not mounted yet, a synced folder still downloading, a
   * file moved away): its metadata is kept and it shows greyed, with Locate… and Remove. Worked out each time the
   * library opens or rescans, never stored; absent means false.
   */
  missing?: boolean
  /** Issue 11 (sweep): the sweep that made it and what varied. */
  sweep?: SweepTag | null
  // --- issue 11 (meta): settings kept with the video and embedded in its MP4; absent in older entries ---
  /** The last-frame source image of a first + last frame job. */
  lastImage?: { sha256: string; name: string } | null
  /** Made with the camera kept still / with sound, where the model takes it. */
  cameraFixed?: boolean | null
  audio?: boolean | null
  // --- issue 11 (sequence) ---
  /** File name of the clip's last-frame image under <library>/.seedance/. */
  lastFrame?: string | null
  /** Id of the library entry this clip continues. */
  continues?: string | null
}

/** Usage figures derived from the journal (electron/core/library/usage.ts). */
export interface UsageReport {
  jobs: number
  finished: number
  succeeded: number
  failed: number
  /** succeeded / finished, 0–1; null before anything finished. */
  successRate: number | null
  generationMs: { p50: number | null; p95: number | null }
  creditsByDay: Array<{ day: string; credits: number }>
  errorsByCode: Array<{ code: string; count: number }>
}

// --- the library folder -------------------------------------------------------------------------------

export interface FolderInfo {
  /** The folder, made absolute. */
  dir: string
  exists: boolean
  /** The app can create files there (checked on the nearest existing folder when it does not exist yet). */
  writable: boolean
  /** Free and total bytes of the disk holding it, when the OS tells. */
  freeBytes: number | null
  totalBytes: number | null
  /** Videos (.mp4 files) already at its top level. */
  videos: number
  /** It already holds a Seedance library (.seedance). */
  isLibrary: boolean
  /** Why it cannot become the library folder, or null. */
  problem: string | null
}

export interface MoveResult {
  /** Videos now in the new folder. */
  moved: number
  /** Videos given another name because the new folder already had one by theirs. */
  renamed: number
  bytes: number
}

export interface LibraryLocation {
  dir: string
  videos: number
  bytes: number
  freeBytes: number | null
  totalBytes: number | null
}

export interface LibraryChange {
  dir: string
  videos: number
  /** The move's figures ('move' only). */
  moved: MoveResult | null
}
