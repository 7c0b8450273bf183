// Downloads a finished video (or thumbnail) to the library the safe way: stream into <name>.part, resume
// with Range after a drop, abort a body that stalls for 30 s, check the length (and that a video parses as
// an MP4 with a video track), fsync, and only then rename to the final name. An expired link (403/404/410)
// gets one fresh URL from the job; a full disk fails this download with DISK_FULL and removes its part file.
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { type FileHandle, open, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { fsyncDir } from '../util/atomic-write'

export type DownloadErrorCode = 'DISK_FULL' | 'VIDEO_EXPIRED' | 'INVALID_VIDEO' | 'DOWNLOAD_FAILED' | 'ABORTED'

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
  /** Ask the service for a fresh URL (fetch the job again); called at most once. */
  refreshUrl?: () => Promise<string | null>
  /** Check the finished file before it gets its name (e.g. probe the MP4); throw to reject it. */
  validate?: (file: string) => Promise<void>
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

function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException)?.code
  return code === 'ENOSPC' || code === 'EDQUOT'
}

export async function downloadFile(options: DownloadOptions): Promise<DownloadResult> {
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
  let refreshed = false
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
        const fresh = !refreshed && options.refreshUrl ? await options.refreshUrl() : null
        refreshed = true
        if (!fresh)
          throw new DownloadError(
            'VIDEO_EXPIRED',
            `The download link has expired (HTTP ${res.status}) and the service has no fresh one.`,
          )
        url = fresh
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
      handle = await openFile(part, start > 0 ? 'a' : 'w')
      if (start === 0) await handle.truncate(0)
      let received = start
      if (res.body) {
        const reader = res.body.getReader()
        for (;;) {
          const { done, value } = await reader.read()
          if (done) break
          rearm()
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
      if (total !== null && received > total) {
        await rm(part, { force: true })
        throw new Error(`received ${received} bytes, more than the ${total} announced`)
      }
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
      failures += 1
      lastProblem = stalled ? `no data for ${stallMs / 1000} s` : (error as Error).message
      await sleep(Math.min(30_000, 500 * 2 ** (failures - 1)))
    } finally {
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', onAbort)
    }
  }

  try {
    await options.validate?.(part)
  } catch (error) {
    await rm(part, { force: true })
    throw new DownloadError('INVALID_VIDEO', `The downloaded file is not a valid video: ${(error as Error).message}`)
  }
  const sha256 = await sha256File(part)
  await rename(part, dest)
  await fsyncDir(path.dirname(dest))
  return { bytes: total ?? (await sizeOf(dest)), sha256, resumed }
}
