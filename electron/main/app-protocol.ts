// The renderer is served from app://renderer/ rather than file://, so it has a real origin (which the
// IPC sender check and the CSP rely on) and every response carries the Content-Security-Policy header.
import { createFileHandler, type FileHandler } from '../node/serve-file'
import { contentSecurityPolicy } from '../shared/csp'

export const APP_SCHEME = 'app'
export const APP_ORIGIN = `${APP_SCHEME}://renderer`

export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
} as const

/**
 * Serve the built renderer with its CSP header. `host` is the only host answered (the browser test
 * harness serves the same handler over http on 127.0.0.1 and passes null).
 */
export function createRendererHandler(rendererDir: string, host: string | null = 'renderer'): FileHandler {
  const files = createFileHandler({
    root: rendererDir,
    headers: { 'content-security-policy': contentSecurityPolicy() },
    fallback: '/index.html',
  })
  return async (request) => {
    if (host !== null && new URL(request.url).host !== host) return new Response('Not found', { status: 404 })
    return files(request)
  }
}
