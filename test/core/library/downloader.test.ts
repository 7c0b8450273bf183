import { createHash } from 'node:crypto'
import { mkdtemp, open, readdir, readFile, rm } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { DownloadError, downloadFile, MAX_DOWNLOAD_BYTES } from '../../../electron/core/library/downloader'
import { probeMp4 } from '../../../electron/core/media/mp4-probe'
import { renderClip } from '../../fixtures/clip'

let video: Buffer
beforeAll(async () => {
  video = await renderClip(1280, 720, 48, 'rain')
}, 60_000)

/** How the file server misbehaves, per request number (1-based). */
type Fault = 'reset-midway' | 'truncate' | 'stall' | 'gone' | 'garbage' | 'endless' | null
let faults: Fault[] = []
let requests: Array<{ path: string; range?: string }> = []
let server: http.Server
let base = ''
beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push({ path: req.url ?? '', range: req.headers.range })
    const fault = faults[requests.length - 1] ?? null
    if (fault === 'gone' || req.url?.startsWith('/expired')) return void res.writeHead(410).end()
    if (fault === 'endless') {
      // No Content-Length, and garbage for as long as the client reads (64 MB at most).
      res.writeHead(200, { 'content-type': 'video/mp4' })
      const chunk = Buffer.alloc(64 * 1024, 0x41)
      let sent = 0
      const pump = () => {
        while (sent < 1024 && res.write(chunk)) sent += 1
        if (sent >= 1024) res.end()
        else res.once('drain', pump)
      }
      res.on('close', () => res.off('drain', pump))
      return pump()
    }
    const body = fault === 'garbage' ? Buffer.from('<html>an error page</html>') : video
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '')
    const start = m ? Number(m[1]) : 0
    const headers = {
      'content-type': 'video/mp4',
      'content-length': String(body.length - start),
      'accept-ranges': 'bytes',
    }
    if (m) res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` })
    else res.writeHead(200, headers)
    const rest = body.subarray(start)
    if (fault === 'reset-midway' || fault === 'truncate') {
      res.write(rest.subarray(0, Math.floor(rest.length / 3)))
      setTimeout(() => res.socket?.destroy(), 20)
    } else if (fault === 'stall') {
      res.write(rest.subarray(0, 1000)) // then nothing
    } else res.end(rest)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => {
  server.closeAllConnections()
  server.close()
})

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'download-'))
  faults = []
  requests = []
})
afterEach(() => rm(dir, { recursive: true, force: true }))

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')
const validate = async (f: string) => {
  probeMp4(new Uint8Array(await readFile(f)))
}
const fast = { sleep: async () => {}, stallMs: 300 }

describe('downloadFile', () => {
  it('saves the file under its final name only when complete and valid', async () => {
    const dest = path.join(dir, 'v.mp4')
    const r = await downloadFile({ url: `${base}/v.mp4`, dest, validate, ...fast })
    expect(r).toMatchObject({ bytes: video.length, sha256: sha(video), resumed: 0 })
    expect(sha(await readFile(dest))).toBe(sha(video))
    expect(await readdir(dir)).toEqual(['v.mp4'])
  })

  it('resumes with Range after the connection resets mid-download', async () => {
    faults = ['reset-midway', 'reset-midway']
    const dest = path.join(dir, 'v.mp4')
    const r = await downloadFile({ url: `${base}/v.mp4`, dest, validate, ...fast })
    expect(sha(await readFile(dest))).toBe(sha(video))
    expect(r.resumed).toBe(2)
    expect(requests.map((q) => q.range ?? 'none')[0]).toBe('none')
    expect(requests[1]?.range).toMatch(/^bytes=\d+-$/)
  })

  it('notices a truncated body by its Content-Length and fetches the rest', async () => {
    faults = ['truncate']
    const dest = path.join(dir, 'v.mp4')
    await downloadFile({ url: `${base}/v.mp4`, dest, validate, ...fast })
    expect(sha(await readFile(dest))).toBe(sha(video))
  })

  it('aborts a stalled body and resumes', async () => {
    faults = ['stall']
    const dest = path.join(dir, 'v.mp4')
    const r = await downloadFile({ url: `${base}/v.mp4`, dest, validate, ...fast })
    expect(r.resumed).toBe(1)
    expect(sha(await readFile(dest))).toBe(sha(video))
  })

  it('fetches a fresh URL once when the link has expired', async () => {
    const dest = path.join(dir, 'v.mp4')
    let asked = 0
    await downloadFile({
      url: `${base}/expired/v.mp4`,
      dest,
      validate,
      refreshUrl: async () => {
        asked++
        return `${base}/fresh/v.mp4`
      },
      ...fast,
    })
    expect(asked).toBe(1)
    expect(sha(await readFile(dest))).toBe(sha(video))
  })

  it('ends VIDEO_EXPIRED only when the service says so, leaving nothing behind', async () => {
    const error = await downloadFile({
      url: `${base}/expired/a`,
      dest: path.join(dir, 'v.mp4'),
      refreshUrl: async () => {
        throw new DownloadError('VIDEO_EXPIRED', 'The service no longer has job job_1.')
      },
      ...fast,
    }).catch((e: unknown) => e)
    expect((error as DownloadError).code).toBe('VIDEO_EXPIRED')
    expect(await readdir(dir)).toEqual([])
  })

  it('retries a refresh that fails for a passing reason, and a fresh link refused at once', async () => {
    const answers: Array<() => Promise<string>> = [
      async () => {
        throw new Error('SERVICE_UNAVAILABLE')
      },
      async () => `${base}/expired/b`, // refused: counted as a passing failure
      async () => `${base}/fresh/v.mp4`,
    ]
    const dest = path.join(dir, 'v.mp4')
    await downloadFile({
      url: `${base}/expired/a`,
      dest,
      validate,
      refreshUrl: () => (answers.shift() as () => Promise<string>)(),
      ...fast,
    })
    expect(answers).toEqual([])
    expect(sha(await readFile(dest))).toBe(sha(video))
  })

  it('without a way to refresh, an expired link is VIDEO_EXPIRED', async () => {
    const error = await downloadFile({ url: `${base}/expired/a`, dest: path.join(dir, 'v.mp4'), ...fast }).catch(
      (e: unknown) => e,
    )
    expect((error as DownloadError).code).toBe('VIDEO_EXPIRED')
  })

  it('rejects a file that is not a video, leaving nothing behind', async () => {
    faults = ['garbage']
    const error = await downloadFile({ url: `${base}/v.mp4`, dest: path.join(dir, 'v.mp4'), validate, ...fast }).catch(
      (e: unknown) => e,
    )
    expect((error as DownloadError).code).toBe('INVALID_VIDEO')
    expect(await readdir(dir)).toEqual([])
  })

  it('fails with DISK_FULL on ENOSPC and removes the part file', async () => {
    let written = 0
    const openFile = async (file: string, flags: string) => {
      const handle = await open(file, flags)
      return {
        write: async (data: Uint8Array) => {
          written += data.length
          if (written > 100_000)
            throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
          return handle.write(data)
        },
        sync: () => handle.sync(),
        close: () => handle.close(),
        truncate: (n?: number) => handle.truncate(n),
      } as unknown as Awaited<ReturnType<typeof open>>
    }
    const error = await downloadFile({ url: `${base}/v.mp4`, dest: path.join(dir, 'v.mp4'), openFile, ...fast }).catch(
      (e: unknown) => e,
    )
    expect((error as DownloadError).code).toBe('DISK_FULL')
    expect((error as Error).message).toContain(dir)
    expect(await readdir(dir)).toEqual([])
  })

  it('stops after repeated failures with a clear reason', async () => {
    faults = Array(10).fill('stall')
    const error = await downloadFile({
      url: `${base}/v.mp4`,
      dest: path.join(dir, 'v.mp4'),
      maxAttempts: 2,
      ...fast,
    }).catch((e: unknown) => e)
    expect((error as DownloadError).code).toBe('DOWNLOAD_FAILED')
    expect((error as Error).message).toContain('no data for 0.3 s')
    expect(await readdir(dir)).toEqual([]) // the stalled part file is removed
  })

  it('stops writing at the declared size: a server streaming garbage is cut off, nothing kept', async () => {
    faults = ['endless']
    let written = 0
    const error = await downloadFile({
      url: `${base}/v.mp4`,
      dest: path.join(dir, 'v.mp4'),
      maxBytes: 1_000_000,
      onProgress: (n) => {
        written = n
      },
      ...fast,
    }).catch((e: unknown) => e)
    expect((error as DownloadError).code).toBe('FILE_TOO_LARGE')
    expect(written).toBeLessThanOrEqual(1_000_000)
    expect(await readdir(dir)).toEqual([])
  })

  it('refuses a body announced larger than the cap before writing any of it', async () => {
    let written = 0
    const error = await downloadFile({
      url: `${base}/v.mp4`,
      dest: path.join(dir, 'v.mp4'),
      maxBytes: video.length - 1,
      onProgress: (n) => {
        written = n
      },
      ...fast,
    }).catch((e: unknown) => e)
    expect((error as DownloadError).code).toBe('FILE_TOO_LARGE')
    expect(written).toBe(0)
    expect(requests).toHaveLength(1)
    expect(await readdir(dir)).toEqual([])
  })

  it('caps a download with no declared size at 2 GB', () => {
    expect(MAX_DOWNLOAD_BYTES).toBe(2 * 1024 ** 3)
  })
})
