// A clip's last frame, kept beside the library (issue 11, point 2: continue a shot). Where the service gives an
// image of it (Ark does, when the adapter asks; the snapshot's lastFrameUrl), it is downloaded when the video is saved:
// its link lasts 24 h like the video's (providers.md A4), and a continuation may come much later. It is kept as
// a PNG, full size (the thumbnail is a resized JPEG), under <library>/.seedance/frames/<id>.png.
import { mkdir, open } from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'
import { checkThumbnail, MAX_THUMBNAIL_BYTES } from '../jobs/save-video'
import { downloadFile } from '../library/downloader'
import type { Logger } from '../util/logger'

export function framesDir(libraryDir: string): string {
  return path.join(libraryDir, '.seedance', 'frames')
}

/** The kept last frame of an entry, or null when it has none. */
export function lastFramePath(libraryDir: string, entry: { lastFrame?: string | null }): string | null {
  return entry.lastFrame ? path.join(framesDir(libraryDir), path.basename(entry.lastFrame)) : null
}

/** Check a downloaded frame as an image (as a thumbnail is) and rewrite it in place as a PNG, fsynced. */
async function storeAsPng(file: string): Promise<void> {
  await checkThumbnail(file)
  const png = await sharp(file).png().toBuffer()
  const handle = await open(file, 'w')
  try {
    await handle.writeFile(png)
    await handle.sync()
  } finally {
    await handle.close()
  }
}

export interface SaveLastFrameOptions {
  url: string
  libraryDir: string
  id: string
  logger: Logger
  signal: AbortSignal
  sleep: (ms: number) => Promise<void>
  fetch?: typeof fetch
  stallMs?: number
}

/**
 * Download the service's last-frame image; the name kept on the entry, or null when it could not be had (best
 * effort: the app can still take the frame from the video file itself).
 */
export async function saveLastFrame(o: SaveLastFrameOptions): Promise<string | null> {
  const name = `${o.id}.png`
  try {
    await mkdir(framesDir(o.libraryDir), { recursive: true })
    await downloadFile({
      url: o.url,
      dest: path.join(framesDir(o.libraryDir), name),
      maxAttempts: 3,
      maxBytes: MAX_THUMBNAIL_BYTES,
      validate: storeAsPng,
      invalidCode: 'INVALID_THUMBNAIL',
      fetch: o.fetch,
      stallMs: o.stallMs,
      signal: o.signal,
      sleep: o.sleep,
    })
    return name
  } catch (error) {
    if (o.signal.aborted) throw error
    o.logger.warn('last frame not saved', { job: o.id, error: String(error) })
    return null
  }
}
