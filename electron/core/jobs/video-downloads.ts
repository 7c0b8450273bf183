// Saving finished videos, for the job manager: one download per job (video, then thumbnail, see
// save-video.ts), fresh links from the service when a link stops working, and what a failure means. Only the
// service can say a video is gone (VIDEO_EXPIRED); a passing fault puts the job in download-retry, with its
// time journaled, while its link can still be valid (issue 9, point 1).
import { statfs } from 'node:fs/promises'
import { formatBytes } from '../../shared/format'
import { linkDeadline } from '../../shared/links'
import type { JobError, JobRecord } from '../../shared/model'
import { DownloadError } from '../library/downloader'
import type { Library } from '../library/library'
import type { RemoteSnapshot } from '../providers/port'
import type { Logger } from '../util/logger'
import { downloadRetryDelay, jobLink, jobLinkMayBeValid } from './job-policy'
import type { Clock, RouteJob } from './route'
import { entryFor, saveVideo } from './save-video'

/** What the downloads need from the job manager: its clock, routes and library, and its journaled records. */
export interface DownloadHost {
  clock: Clock
  /** The job's own provider (a fresh link is asked only there). */
  route: RouteJob
  library(): Library
  logger: Logger
  fetch?: typeof fetch
  stallMs?: number
  require(id: string): JobRecord
  /** The record as it is now, or undefined once removed. */
  get(id: string): JobRecord | undefined
  /** Why this job must not be asked at the service connected now (another service's job), or null. */
  holdNote(job: JobRecord): string | null
  /** A job of unknown service (older journal) the current service does not know: held, its note returned. */
  missed(job: JobRecord): string | null
  transition(job: JobRecord, patch: Partial<JobRecord>): Promise<JobRecord>
  fail(job: JobRecord, error: JobError, videoId?: string | null): Promise<JobRecord>
  stopped(): boolean
}

/** The last download try of a paid video starts this long before its link's end, so it can finish in time. */
const LAST_TRY_MARGIN_MS = 60_000

export class VideoDownloads {
  private readonly downloads = new Map<string, AbortController>()
  private readonly running = new Set<Promise<void>>()
  /** Downloads stopped because the job's service is not the one connected: why, per job. */
  private readonly away = new Map<string, string>()

  constructor(private readonly h: DownloadHost) {}

  /** A download is under way (the library folder cannot change now). */
  get busy(): boolean {
    return this.downloads.size > 0
  }

  /** Download a job's video now (once: a job already downloading is left alone). */
  start(job: JobRecord): void {
    const work = this.download(job)
    this.running.add(work)
    void work.finally(() => this.running.delete(work))
  }

  /** Stop one job's download (cancelled). */
  abort(id: string): void {
    this.downloads.get(id)?.abort()
  }

  /** Stop every download and wait for them to let go of their files (part files are removed). */
  async stop(): Promise<void> {
    for (const c of this.downloads.values()) c.abort()
    await Promise.allSettled([...this.running])
  }

  /** Start the downloads whose wait after a passing fault is over (held jobs of another service wait on). */
  async startDue(jobs: Iterable<JobRecord>): Promise<void> {
    const now = this.h.clock.now()
    for (const { id } of [...jobs]) {
      if (this.h.stopped()) return
      // Each transition awaits the journal: re-read the record, which a cancel or retry may have moved meanwhile.
      const job = this.h.get(id)
      if (job?.state !== 'download-retry' || (job.nextAt ?? 0) > now || this.h.holdNote(job)) continue
      this.start(await this.h.transition(job, { state: 'downloading', nextAt: null }))
    }
  }

  /** Stop a download that would ask a service the job does not belong to; it waits (held), nothing is lost. */
  private held(id: string, note: string): DownloadError {
    this.away.set(id, note)
    return new DownloadError('ABORTED', note)
  }

  /** A fresh link from the service; VIDEO_EXPIRED only when the service says the video is gone. */
  private async freshLink(id: string, remoteId: string, kind: 'video' | 'thumbnail'): Promise<string> {
    // Only the job's own service may be asked: another one's "not found" would call a paid video gone.
    const hold = this.h.holdNote(this.h.require(id))
    if (hold) throw this.held(id, hold)
    const route = this.h.route(this.h.require(id))
    if ('held' in route) throw this.held(id, route.held)
    // A passing fault (5xx, a dropped connection, a cut-off answer) is thrown on: the download is retried.
    const remote: RemoteSnapshot | null =
      (await route.provider.get([{ remoteId, model: this.h.require(id).request.model }])).get(remoteId) ?? null
    if (remote === null) {
      const missed = this.h.missed(this.h.require(id))
      if (missed) throw this.held(id, missed)
      throw new DownloadError('VIDEO_EXPIRED', `The service no longer has job ${remoteId}.`)
    }
    if (remote.phase !== 'succeeded' || !remote.videoUrl)
      throw new DownloadError('VIDEO_EXPIRED', `The service no longer offers the video of job ${remoteId}.`)
    const expiresAt = remote.linkExpiresAt
    if (expiresAt !== null && expiresAt <= this.h.clock.now())
      throw new DownloadError(
        'VIDEO_EXPIRED',
        `The service says the link expired at ${new Date(expiresAt).toISOString()}.`,
      )
    const thumbnailUrl = remote.thumbnailUrl ?? remote.lastFrameUrl
    const url = kind === 'video' ? remote.videoUrl : thumbnailUrl
    if (!url) throw new DownloadError('VIDEO_EXPIRED', 'The service no longer offers a thumbnail.')
    const job = this.h.require(id)
    if (kind === 'video' && job.output) {
      // Journal the fresh link, so a restart starts from it and knows how long it lasts.
      await this.h.transition(job, {
        output: { ...job.output, videoUrl: url, thumbnailUrl, expiresAt },
      })
    }
    return url
  }

  private async download(job: JobRecord): Promise<void> {
    if (this.downloads.has(job.id) || !job.output || !job.remoteId) return
    const controller = new AbortController()
    this.downloads.set(job.id, controller)
    const lib = this.h.library()
    const remoteId = job.remoteId
    // Waits between attempts follow the engine's clock and end early when the download is stopped.
    const sleep = (ms: number) =>
      new Promise<void>((resolve) => {
        const handle = this.h.clock.setTimeout(done, ms)
        function done() {
          controller.signal.removeEventListener('abort', abort)
          resolve()
        }
        const abort = () => {
          this.h.clock.clearTimeout(handle)
          resolve()
        }
        controller.signal.addEventListener('abort', abort, { once: true })
      })
    try {
      const entry = await saveVideo({
        job: { ...job, output: job.output },
        library: lib,
        refresh: (kind) => this.freshLink(job.id, remoteId, kind),
        latest: () => this.h.require(job.id).output,
        now: () => this.h.clock.now(),
        logger: this.h.logger,
        signal: controller.signal,
        sleep,
        fetch: this.h.fetch,
        stallMs: this.h.stallMs,
      })
      await lib.add(entry)
      await this.h.transition(this.h.require(job.id), {
        state: 'done',
        videoId: entry.id,
        note: null,
        error: null,
        downloadTries: 0,
      })
    } catch (error) {
      await this.downloadFailed(job.id, error)
    } finally {
      this.downloads.delete(job.id)
    }
  }

  private async downloadFailed(id: string, error: unknown): Promise<void> {
    const current = this.h.require(id)
    const code = error instanceof DownloadError ? error.code : 'DOWNLOAD_FAILED'
    const message = (error as Error).message
    const away = this.away.get(id)
    this.away.delete(id)
    if (current.state === 'cancelled' || this.h.stopped()) return
    const lib = this.h.library()
    const now = this.h.clock.now()
    if (away !== undefined) {
      // Held until the engine is connected to the job's service again: no state given up, nothing retried.
      await this.h.transition(current, { state: 'download-retry', nextAt: now, error: null, note: away })
      return
    }
    if (code === 'ABORTED') return
    // The last try goes a minute before the link's end (Replicate's outputs live 1 h): none is made after it.
    const lastTry = linkDeadline(jobLink(current)) - LAST_TRY_MARGIN_MS
    if (code === 'DOWNLOAD_FAILED' && jobLinkMayBeValid(current, now) && lastTry > now) {
      // Paid for and perhaps still there: wait, then try again (journaled, so a restart resumes it).
      const tries = current.downloadTries ?? 0
      const at = Math.min(now + downloadRetryDelay(tries), lastTry)
      await this.h.transition(current, {
        state: 'download-retry',
        downloadTries: tries + 1,
        nextAt: at,
        error: null,
        note: `The video is paid for; its download failed (${message}). Trying again at ${new Date(at).toLocaleTimeString()}.`,
      })
      return
    }
    if (code === 'VIDEO_EXPIRED' || code === 'DOWNLOAD_FAILED') {
      const output = current.output as NonNullable<JobRecord['output']>
      const entry = entryFor(current, now, lib.get(current.id), {
        file: output.file,
        width: output.width ?? 0,
        height: output.height ?? 0,
        sizeBytes: 0,
        sha256: '',
        thumbnail: null,
        expired: true,
        // The entry's "Download again" follows the job's link (shared/links.ts): gone is gone.
        linkUntil: code === 'VIDEO_EXPIRED' ? 0 : linkDeadline(jobLink(current)),
      })
      await lib.add(entry)
      await this.h.transition(current, { output: { ...output, gone: code === 'VIDEO_EXPIRED' } })
      await this.h.fail(
        this.h.require(id),
        {
          code: 'VIDEO_EXPIRED',
          message: `The link expired before the video could be saved (${message}); its details are kept in the library.`,
        },
        entry.id,
      )
    } else if (code === 'DISK_FULL') {
      const free = await statfs(lib.dir)
        .then((s) => s.bavail * s.bsize)
        .catch(() => null)
      await this.h.fail(current, {
        code: 'DISK_FULL',
        message: `The disk holding ${lib.dir} is full${free !== null ? ` (${formatBytes(free)} free)` : ''}. Free some space, then retry.`,
      })
    } else {
      await this.h.fail(current, { code, message })
    }
  }
}
