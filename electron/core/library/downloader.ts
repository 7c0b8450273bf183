// Downloads a finished video (or thumbnail) to the library the safe way: stream into <name>.part, resume
// with Range after a drop, abort a body that stalls for 30 s, never take more than the declared size (or
// 2 GB), check the length (and that a video parses as an MP4 with a video track), fsync, and only then
// rename to the final name. A link that answers 403/404/410 gets a fresh URL from the job: only the service
// can say the video is gone (refreshUrl throws VIDEO_EXPIRED); a refresh that fails for a passing reason is
// retried with the rest (issue 9). However it ends in failure, the part file is removed: nothing
// half-written stays in the library.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { type FileHandle, open, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { fsyncDir } from '../util/atomic-write'

export type DownloadErrorCode =
  | 'DISK_FULL'
  | 'VIDEO_EXPIRED'
  | 'INVALID_VIDEO'
  | 'INVALID_THUMBNAIL'
  | 'FILE_TOO_LARGE'
  | 'DOWNLOAD_FAILED'
  | 'ABORTED'

/** The most any download may write when the service declares no size (issue 9: downloads are capped). */
export const MAX_DOWNLOAD_BYTES = 2 * 1024 ** 3

export class DownloadError extends Error {
  constructor(
    readonly code: DownloadErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'DownloadError'
  }
}

export interface DownloadOptions {
  url: string
  dest: string
  /**
   * Ask the service for a fresh URL (fetch the job again) when the link answers 403/404/410. Throw a
   * DownloadError('VIDEO_EXPIRED') when the service says the video is gone; any other failure is passing
   * and retried like a dropped connection. Without it, an expired link ends the download as VIDEO_EXPIRED.
   */
  refreshUrl?: () => Promise<string>
  /** Check the finished file before it gets its name (e.g. probe the MP4); throw to reject it. */
  validate?: (file: string) => Promise<void>
  /** The code a file rejected by `validate` fails with. */
  invalidCode?: 'INVALID_VIDEO' | 'INVALID_THUMBNAIL'
  /** The most bytes to accept: the size the service declared (with its rounding), at most 2 GB. */
  maxBytes?: number
  fetch?: typeof fetch
  stallMs?: number
  maxAttempts?: number
  sleep?: (ms: number) => Promise<void>
  /** Opens the .part file; tests inject one that fails with ENOSPC. */
  openFile?: (file: string, flags: string) => Promise<Pick<FileHandle, 'write' | 'sync' | 'close' | 'truncate'>>
  onProgress?: (received: number, total: number | null) => void
  signal?: AbortSignal
}

export interface DownloadResult {
  bytes: number
  sha256: string
  /** Times the transfer resumed after a drop. */
  resumed: number
}

const EXPIRED = new Set([403, 404, 410])

async function sizeOf(file: string): Promise<number> {
  try {
    return (await stat(file)).size
  } catch {
    return 0
  }
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

function tooLarge(bytes: number, max: number): DownloadError {
  return new DownloadError(
    'FILE_TOO_LARGE',
    `The download would be ${bytes} bytes, over its limit of ${max} bytes (the size the service declared, or 2 GB); it was not saved.`,
  )
}

function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException)?.code
  return code === 'ENOSPC' || code === 'EDQUOT'
}

export async function downloadFile(options: DownloadOptions): Promise<DownloadResult> {
  try {
    return await transfer(options)
  } catch (error) {
    // A download that ends in failure (cancelled, stalled, expired, rejected) leaves no part file behind.
    await rm(`${options.dest}.part`, { force: true }).catch(() => undefined)
    throw error
  }
}

async function transfer(options: DownloadOptions): Promise<DownloadResult> {
  const {
    dest,
    fetch: fetchImpl = fetch,
    stallMs = 30_000,
    maxAttempts = 6,
    sleep = (ms) => new Promise((r) => setTimeout(r, ms)),
    openFile = (f, flags) => open(f, flags),
  } = options
  const part = `${dest}.part`
  let url = options.url
  let fromRefresh = false
  const maxBytes = Math.min(options.maxBytes ?? MAX_DOWNLOAD_BYTES, MAX_DOWNLOAD_BYTES)
  let resumed = 0
  let total: number | null = null
  let failures = 0
  let lastProblem = ''

  for (;;) {
    if (options.signal?.aborted) throw new DownloadError('ABORTED', 'The download was cancelled.')
    if (failures >= maxAttempts) {
      throw new DownloadError(
        'DOWNLOAD_FAILED',
        `The download did not complete after ${failures} attempts (${lastProblem}).`,
      )
    }
    const offset = await sizeOf(part)
    if (offset > 0) resumed += 1
    const controller = new AbortController()
    const onAbort = () => controller.abort()
    options.signal?.addEventListener('abort', onAbort, { once: true })
    let stalled = false
    let timer = setTimeout(() => {
      stalled = true
      controller.abort()
    }, stallMs)
    const rearm = () => {
      clearTimeout(timer)
      timer = setTimeout(() => {
        stalled = true
        controller.abort()
      }, stallMs)
    }
    let handle: Awaited<ReturnType<typeof openFile>> | null = null
    try {
      const res = await fetchImpl(url, {
        headers: offset > 0 ? { range: `bytes=${offset}-` } : {},
        signal: controller.signal,
      })
      if (EXPIRED.has(res.status)) {
        await res.body?.cancel()
        if (!options.refreshUrl)
          throw new DownloadError('VIDEO_EXPIRED', `The download link has expired (HTTP ${res.status}).`)
        // A link fresh from the service that is refused at once is a passing fault, counted and retried.
        if (fromRefresh) throw new Error(`the fresh link answered HTTP ${res.status}`)
        url = await options.refreshUrl()
        fromRefresh = true
        continue
      }
      if (res.status === 416) {
        await res.body?.cancel()
        const whole = Number(/\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1])
        if (whole > 0 && whole === offset) {
          total = whole
          break // the part file already holds everything
        }
        await rm(part, { force: true })
        throw new Error('the server refused to resume; starting over')
      }
      if (res.status !== 200 && res.status !== 206) {
        await res.body?.cancel()
        throw new Error(`HTTP ${res.status}`)
      }
      let start = 0
      if (res.status === 206) {
        const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(res.headers.get('content-range') ?? '')
        start = Number(m?.[1] ?? 0)
        if (start !== offset) {
          await res.body?.cancel()
          await rm(part, { force: true })
          throw new Error('the server resumed at the wrong offset; starting over')
        }
        total = m?.[2] && m[2] !== '*' ? Number(m[2]) : null
      } else {
        const length = res.headers.get('content-length')
        total = length !== null ? Number(length) : null
      }
      if (total !== null && total > maxBytes) {
        await res.body?.cancel()
        throw tooLarge(total, maxBytes)
      }
      handle = await openFile(part, start > 0 ? 'a' : 'w')
      if (start === 0) await handle.truncate(0)
      let received = start
      if (res.body) {
        const reader = res.body.getReader()
        for (;;) {
          const { done, value } = await reader.read()
          if (done) break
          rearm()
          // Never write past what was announced (or the cap): a server streaming garbage is cut off here.
          if (received + value.length > maxBytes) {
            await reader.cancel()
            throw tooLarge(received + value.length, maxBytes)
          }
          if (total !== null && received + value.length > total) {
            await reader.cancel()
            throw new Error(`the server sent more than the ${total} bytes it announced`)
          }
          await handle.write(value)
          received += value.length
          options.onProgress?.(received, total)
        }
      }
      await handle.sync()
      await handle.close()
      handle = null
      if (total !== null && received < total)
        throw new Error(`the connection closed after ${received} of ${total} bytes`)
      total = received
      break
    } catch (error) {
      await handle?.close().catch(() => undefined)
      if (error instanceof DownloadError) throw error
      if (isDiskFull(error)) {
        await rm(part, { force: true })
        throw new DownloadError('DISK_FULL', `The disk holding ${path.dirname(dest)} is full.`)
      }
      if (options.signal?.aborted) throw new DownloadError('ABORTED', 'The download was cancelled.')
      fromRefresh = false
      failures += 1
      lastProblem = stalled ? `no data for ${stallMs / 1000} s` : (error as Error).message
      if (failures < maxAttempts) await sleep(Math.min(30_000, 500 * 2 ** (failures - 1)))
    } finally {
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', onAbort)
    }
  }

  try {
    await options.validate?.(part)
  } catch (error) {
    const code = options.invalidCode ?? 'INVALID_VIDEO'
    const what = code === 'INVALID_VIDEO' ? 'video' : 'image'
    throw new DownloadError(code, `The downloaded file is not a valid ${what}: ${(error as Error).message}`)
  }
  const sha256 = await sha256File(part)
  await rename(part, dest)
  await fsyncDir(path.dirname(dest))
  return { bytes: total ?? (await sizeOf(dest)), sha256, resumed }
}
