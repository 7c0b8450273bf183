// A file-serving handler of the web platform's shape, `(request: Request) => Promise<Response>`, so the
// same code backs Electron's protocol.handle (app:, media:) and a plain HTTP server in tests.
// It confines every request to one folder (no `..`, no absolute paths, no symlink escapes) and
// answers byte ranges, which <video> needs to seek.
import { createReadStream } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import { Readable } from 'node:stream'
import { isSameOrInside } from './inside-folder'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.mp4': 'video/mp4',
  '.txt': 'text/plain; charset=utf-8',
}

export function contentTypeFor(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream'
}

export interface FileHandlerOptions {
  /** The only folder whose files may be served. */
  root: string
  /** Headers added to every successful response (e.g. the CSP for the renderer). */
  headers?: Record<string, string>
  /** Served for a path that names no file (a single-page app's index.html), if set. */
  fallback?: string
}

export type FileHandler = (request: Request) => Promise<Response>

/** Resolve a URL path inside root, or null if it would leave root. Pure: touches no disk. */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  if (decoded.includes('\0')) return null
  const target = path.resolve(root, `.${path.posix.sep}${decoded.replace(/\\/g, '/')}`)
  return isSameOrInside(root, target) ? target : null
}

export type ByteRange = { start: number; end: number }

/**
 * Parse a single-range `Range` header against a file size (RFC 9110 §14.1.2).
 * Returns null for no usable header (serve the whole file), 'unsatisfiable' for a range past the end.
 */
export function parseRange(header: string | null, size: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!m || (m[1] === '' && m[2] === '')) return null // multi-range or malformed: send the whole file
  if (m[1] === '') {
    const suffix = Number(m[2])
    if (suffix === 0) return 'unsatisfiable'
    return { start: Math.max(0, size - suffix), end: size - 1 }
  }
  const start = Number(m[1])
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1)
  if (start >= size || end < start) return 'unsatisfiable'
  return { start, end }
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } })
}

export function createFileHandler(options: FileHandlerOptions): FileHandler {
  const rootReal = realpath(options.root).catch(() => path.resolve(options.root))

  async function locate(urlPath: string): Promise<{ file: string; size: number } | null> {
    const root = await rootReal
    const candidate = resolveInside(root, urlPath)
    if (!candidate) return null
    try {
      const real = await realpath(candidate)
      if (!isSameOrInside(root, real)) return null // a symlink pointing outside
      const info = await stat(real)
      if (info.isDirectory()) return locate(path.posix.join(urlPath, 'index.html'))
      return info.isFile() ? { file: real, size: info.size } : null
    } catch {
      return null
    }
  }

  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response(null, { status: 405, headers: { allow: 'GET, HEAD' } })
    }
    const urlPath = new URL(request.url).pathname
    if (resolveInside(await rootReal, urlPath) === null) return plain(403, 'Forbidden')
    const found = (await locate(urlPath)) ?? (options.fallback ? await locate(options.fallback) : null)
    if (!found) return plain(404, 'Not found')

    const headers = new Headers(options.headers)
    headers.set('content-type', contentTypeFor(found.file))
    headers.set('accept-ranges', 'bytes')
    headers.set('x-content-type-options', 'nosniff')
    headers.set('cache-control', 'no-cache')

    const range = parseRange(request.headers.get('range'), found.size)
    if (range === 'unsatisfiable') {
      headers.set('content-range', `bytes */${found.size}`)
      return new Response(null, { status: 416, headers })
    }
    const { start, end } = range ?? { start: 0, end: found.size - 1 }
    const length = found.size === 0 ? 0 : end - start + 1
    headers.set('content-length', String(length))
    if (range) headers.set('content-range', `bytes ${start}-${end}/${found.size}`)
    const status = range ? 206 : 200
    if (request.method === 'HEAD' || length === 0) return new Response(null, { status, headers })
    const stream = Readable.toWeb(createReadStream(found.file, { start, end })) as ReadableStream<Uint8Array>
    return new Response(stream, { status, headers })
  }
}
