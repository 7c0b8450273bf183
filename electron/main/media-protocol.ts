// media:// serves the library's videos and thumbnails to the renderer, which makes no network calls:
//   media://library/<video file name>   (Range requests, so <video> can seek)
//   media://thumbs/<thumbnail file name>
// Paths are confined: only .mp4 files at the top of the library folder, only .jpg files in its thumbnails, and
// the thumbnails folder only when it really is <library>/.seedance/thumbs: a library folder may come from anyone,
// and a .seedance or thumbs that is a link to elsewhere would serve that place (issue 9, point 4).
import { realpath } from 'node:fs/promises'
import path from 'node:path'
import { createFileHandler } from '../node/serve-file'
import { APP_ORIGIN } from './app-protocol'

export const MEDIA_SCHEME = 'media'

export const MEDIA_SCHEME_PRIVILEGES = {
  scheme: MEDIA_SCHEME,
  // corsEnabled: the renderer (app://renderer) reads a video's pixels to take its last frame (issue 11, continue a
  // shot), which a canvas allows only for a video fetched with CORS from an origin that allows it (below).
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, corsEnabled: true },
} as const

export interface MediaFolders {
  library: string
  thumbs: string
}

export { MEDIA_BASE } from '../shared/media'

export function createMediaHandler(folders: () => MediaFolders): (request: Request) => Promise<Response> {
  const notFound = () => new Response('Not found', { status: 404 })
  return async (request) => {
    const url = new URL(request.url)
    // media://library/<name>, or <anything>/library/<name> when the harness serves it over http.
    const [host, ...rest] =
      url.protocol === `${MEDIA_SCHEME}:`
        ? [url.host, url.pathname.slice(1)]
        : url.pathname.split('/').filter(Boolean).slice(-2)
    let name: string
    try {
      name = decodeURIComponent(rest.join('/'))
    } catch {
      return notFound()
    }
    // One plain file name: no separators, no dot segments, nothing hidden.
    if (!name || name !== path.basename(name) || name.includes('/') || name.includes('\\') || name.startsWith('.'))
      return notFound()
    const { library, thumbs } = folders()
    if (host === 'library' && name.toLowerCase().endsWith('.mp4')) {
      // Only the app's own page may read the pixels (a <video crossorigin> drawn on a canvas).
      return createFileHandler({ root: library, headers: { 'access-control-allow-origin': APP_ORIGIN } })(
        new Request(`http://media/${encodeURIComponent(name)}`, { method: request.method, headers: request.headers }),
      )
    }
    if (host === 'thumbs' && name.toLowerCase().endsWith('.jpg')) {
      if (!(await isOwnThumbsFolder(library, thumbs))) return notFound()
      return createFileHandler({ root: thumbs })(
        new Request(`http://media/${encodeURIComponent(name)}`, { method: request.method, headers: request.headers }),
      )
    }
    return notFound()
  }
}

/** The thumbnails folder is where it claims to be, with no link on the way from the library folder. */
async function isOwnThumbsFolder(library: string, thumbs: string): Promise<boolean> {
  try {
    const [libraryReal, thumbsReal] = await Promise.all([realpath(library), realpath(thumbs)])
    return thumbsReal === path.join(libraryReal, '.seedance', 'thumbs')
  } catch {
    return false
  }
}
