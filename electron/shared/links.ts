// How long the service keeps a finished video's link, and what follows for a video not saved in time.
// Pure TypeScript, shared by the engine and the renderer.
import type { LibraryEntry } from './model'

/** Links to finished videos stay valid 24 h (the API guide), unless the service says otherwise. */
export const LINK_TTL_MS = 24 * 3600_000

/**
 * A library entry whose video was not saved but may still be at the service (within 24 h of its completion):
 * it offers "Download again". The service has the last word when asked.
 */
export function mayDownloadAgain(entry: LibraryEntry, now: number): boolean {
  return entry.expired && entry.remoteId !== null && now < entry.createdAt + LINK_TTL_MS
}
