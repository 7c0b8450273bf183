// Saving a finished video into the library: the video (capped at the size the service declared, probed as
// an MP4 without loading it), then its thumbnail (best effort, and only if it really is an image), then the
// library entry that describes it. The job manager decides what a failure means for the job.
import { open, stat } from 'node:fs/promises'
import path from 'node:path'
import sharp, { type Metadata } from 'sharp'
import type { JobRecord, LibraryEntry } from '../../shared/model'
import { downloadFile, MAX_DOWNLOAD_BYTES } from '../library/downloader'
import type { Library } from '../library/library'
import { embedEntrySettings } from '../media/embed-entry-settings'
import { type Mp4Probe, probeMp4File } from '../media/mp4-probe'
import { saveLastFrame } from '../sequence/last-frame'
import type { Logger } from '../util/logger'

/** A thumbnail is a still frame: anything past this is not one (issue 9: no download without a cap). */
export const MAX_THUMBNAIL_BYTES = 20 * 1024 * 1024
const THUMBNAIL_FORMATS = ['jpeg', 'png', 'webp']
const MAX_THUMBNAIL_SIDE = 8192

/** The download cap for a video: the declared size with room for the service's rounding (MB to 2 places). */
export function videoByteCap(declaredBytes: number | null | undefined): number {
  if (!declaredBytes || declaredBytes <= 0) return MAX_DOWNLOAD_BYTES
  return Math.min(MAX_DOWNLOAD_BYTES, Math.ceil(declaredBytes * 1.1) + 64 * 1024)
}

/** Accept a thumbnail only if sharp reads it as a JPEG, PNG or WebP image of sane size (it reads the header). */
export async function checkThumbnail(file: string): Promise<void> {
  let meta: Metadata
  try {
    meta = await sharp(file).metadata()
  } catch {
    throw new Error(`it is not an image (${THUMBNAIL_FORMATS.join(', ')} expected)`)
  }
  if (!meta.format || !THUMBNAIL_FORMATS.includes(meta.format))
    throw new Error(`it is ${meta.format ?? 'an unknown format'}, not ${THUMBNAIL_FORMATS.join(', ')}`)
  if (!meta.width || !meta.height || meta.width > MAX_THUMBNAIL_SIDE || meta.height > MAX_THUMBNAIL_SIDE)
    throw new Error(`its size ${meta.width}×${meta.height} is not that of a thumbnail`)
}

/** Thumbnails are stored no larger than this on their longer side: the library shows them small. */
export const MAX_THUMBNAIL_OUTPUT_SIDE = 1280

/**
 * Check a downloaded thumbnail (see checkThumbnail) and rewrite it in place as a JPEG of bounded size, fsynced:
 * it is kept as `<id>.jpg`, so a PNG or WebP from the service must become what its name says.
 */
export async function storeThumbnailAsJpeg(file: string): Promise<void> {
  await checkThumbnail(file)
  const jpeg = await sharp(file)
    .rotate()
    .resize(MAX_THUMBNAIL_OUTPUT_SIDE, MAX_THUMBNAIL_OUTPUT_SIDE, { fit: 'inside', withoutEnlargement: true })
    .flatten({ background: '#000000' })
    .jpeg({ quality: 85, mozjpeg: true })
    .toBuffer()
  const handle = await open(file, 'w')
  try {
    await handle.writeFile(jpeg)
    await handle.sync()
  } finally {
    await handle.close()
  }
}

export interface SaveVideoOptions {
  job: JobRecord & { output: NonNullable<JobRecord['output']> }
  library: Library
  /** A fresh link from the service (see downloadFile's refreshUrl). */
  refresh: (kind: 'video' | 'thumbnail') => Promise<string>
  /** The job's output as journaled now (a refresh stores the fresh links there). */
  latest: () => JobRecord['output']
  now: () => number
  logger: Logger
  signal: AbortSignal
  sleep: (ms: number) => Promise<void>
  fetch?: typeof fetch
  stallMs?: number
}

/** Download the job's video and thumbnail into the library; resolves to the entry to record. */
export async function saveVideo(o: SaveVideoOptions): Promise<LibraryEntry> {
  const { job, library } = o
  const { output } = job
  const common = { fetch: o.fetch, stallMs: o.stallMs, signal: o.signal, sleep: o.sleep }
  let probe: Mp4Probe | null = null
  const video = await downloadFile({
    ...common,
    // A video fetched again from its library entry has no link yet: ask the service for one.
    url: output.videoUrl || (await o.refresh('video')),
    dest: path.join(library.dir, output.file),
    refreshUrl: () => o.refresh('video'),
    maxBytes: videoByteCap(output.declaredBytes),
    validate: async (file) => {
      probe = await probeMp4File(file)
      // Issue 11: the settings go inside the video before it takes its name; never at the cost of the video.
      const draft = entryFor(job, o.now(), library.get(job.id), {
        file: output.file,
        width: probe.width,
        height: probe.height,
        sizeBytes: 0,
        sha256: '',
        thumbnail: null,
        expired: false,
      })
      await embedEntrySettings(file, draft, o.logger)
    },
  })
  const checked = probe as Mp4Probe | null
  if (!checked) throw new Error('The video was saved without being checked.')
  let thumbnail: string | null = null
  const thumbnailUrl = o.latest()?.thumbnailUrl ?? output.thumbnailUrl // a refresh may have brought a new one
  if (thumbnailUrl) {
    try {
      await downloadFile({
        ...common,
        url: thumbnailUrl,
        dest: path.join(library.thumbsDir, `${job.id}.jpg`),
        refreshUrl: () => o.refresh('thumbnail'),
        maxAttempts: 3,
        maxBytes: MAX_THUMBNAIL_BYTES,
        validate: storeThumbnailAsJpeg,
        invalidCode: 'INVALID_THUMBNAIL',
      })
      thumbnail = `${job.id}.jpg`
    } catch (error) {
      if (o.signal.aborted) throw error
      o.logger.warn('thumbnail not saved', { job: job.id, error: String(error) })
    }
  }
  // Sequence (issue 11): the service's image of the last frame, the start of a continuation.
  const lastFrameUrl = o.latest()?.lastFrameUrl ?? output.lastFrameUrl
  const lastFrame = lastFrameUrl
    ? await saveLastFrame({ ...common, url: lastFrameUrl, libraryDir: library.dir, id: job.id, logger: o.logger })
    : null
  return entryFor(job, o.now(), library.get(job.id), {
    lastFrame,
    file: output.file,
    width: checked.width,
    height: checked.height,
    // The file as saved, its settings inside (the bytes received plus the metadata written).
    sizeBytes: (await stat(path.join(library.dir, output.file))).size,
    sha256: video.sha256,
    thumbnail,
    expired: false,
  })
}

/**
 * The library entry for a job's video. An entry already kept for it (a video whose link was thought
 * expired, now fetched again) keeps the user's title, favourite and date.
 */
export function entryFor(
  job: JobRecord,
  now: number,
  earlier: LibraryEntry | undefined,
  f: Pick<LibraryEntry, 'file' | 'width' | 'height' | 'sizeBytes' | 'sha256' | 'thumbnail' | 'expired' | 'linkUntil'> &
    Partial<Pick<LibraryEntry, 'lastFrame'>>,
): LibraryEntry {
  const r = job.request
  return {
    id: job.id,
    // The door and model that made it, and its seed (the service's echo, else the one the user fixed): issue 10.
    provider: r.provider,
    model: r.model,
    seed: job.output?.seed ?? r.seed ?? null,
    ...f,
    title: earlier?.title ?? r.prompt.trim().replace(/\s+/g, ' ').slice(0, 120),
    prompt: r.prompt,
    mode: r.mode,
    duration: r.duration,
    resolution: r.resolution,
    aspectRatio: r.aspectRatio ?? (f.width === f.height ? '1:1' : f.width > f.height ? '16:9' : '9:16'),
    style: r.style,
    motionIntensity: r.motionIntensity,
    createdAt: earlier?.createdAt ?? job.completedAt ?? now,
    generationMs: job.completedAt && job.submittedAt ? job.completedAt - job.submittedAt : null,
    credits: job.credits,
    favorite: earlier?.favorite ?? false,
    fingerprint: job.fingerprint,
    jobId: job.id,
    remoteId: job.remoteId,
    image: r.image
      ? { sha256: r.image.sha256, name: r.image.name }
      : r.imageUrl
        ? { sha256: '', name: r.imageUrl }
        : (earlier?.image ?? null),
    // Issue 11: the rest of the settings, kept on the entry and embedded in the video.
    lastImage: r.lastImage ? { sha256: r.lastImage.sha256, name: r.lastImage.name } : (earlier?.lastImage ?? null),
    cameraFixed: r.cameraFixed ?? null,
    audio: r.audio ?? null,
    external: false,
    // Issue 11 (sweep): which sweep made it and what varied.
    ...(job.sweep ? { sweep: job.sweep } : {}),
    // Sequence (issue 11): the clip this one continues.
    continues: r.continues ?? earlier?.continues ?? null,
    lastFrame: f.lastFrame ?? earlier?.lastFrame ?? null,
  }
}
