// Filtering and sorting the library: one pure implementation for the engine (electron/core/library) and the
// renderer, which keeps a mirror of the library and searches it locally as the user types.
import type { GenerationMode, LibraryEntry, ProviderId, Resolution } from './model'
import { normalizePrompt } from './prompt-history'

export interface LibraryQuery {
  search?: string
  /** The door that made the video; entries written before issue 10 count as the guide's API ('seedance'). */
  provider?: ProviderId
  /** The model's id (entries written before issue 10: 'standard'). */
  model?: string
  mode?: GenerationMode
  resolution?: Resolution
  aspectRatio?: string
  favorite?: boolean
  /** createdAt range, inclusive, ms. */
  from?: number
  to?: number
  sort?: 'newest' | 'oldest' | 'title' | 'duration' | 'size'
  offset?: number
  limit?: number
  /** Prompt history (issue 11): only the videos made from this prompt (whitespace normalised). */
  prompt?: string
}

export interface LibraryPage {
  total: number
  items: LibraryEntry[]
}

/** The lower-case text a search looks in: title, prompt and style. */
export function searchText(e: LibraryEntry): string {
  return `${e.title}\n${e.prompt}\n${e.style ?? ''}`.toLowerCase()
}

const COMPARE: Record<NonNullable<LibraryQuery['sort']>, (a: LibraryEntry, b: LibraryEntry) => number> = {
  newest: (a, b) => b.createdAt - a.createdAt,
  oldest: (a, b) => a.createdAt - b.createdAt,
  title: (a, b) => a.title.localeCompare(b.title),
  duration: (a, b) => b.duration - a.duration || b.createdAt - a.createdAt,
  size: (a, b) => b.sizeBytes - a.sizeBytes,
}

/**
 * Every word must appear (as a substring, so the last one can still be being typed). Items may carry a
 * cached search text: `entryOf` and `text` read them.
 */
export function queryLibrary<T = LibraryEntry>(
  items: Iterable<T>,
  q: LibraryQuery = {},
  entryOf: (item: T) => LibraryEntry = (item) => item as unknown as LibraryEntry,
  text: (item: T) => string = (item) => searchText(entryOf(item)),
): LibraryPage {
  const words = (q.search ?? '').toLowerCase().split(/\s+/).filter(Boolean)
  const prompt = q.prompt === undefined ? undefined : normalizePrompt(q.prompt)
  const out: LibraryEntry[] = []
  for (const item of items) {
    const e = entryOf(item)
    if (prompt !== undefined && normalizePrompt(e.prompt) !== prompt) continue
    if (q.provider && (e.provider ?? 'seedance') !== q.provider) continue
    if (q.model && (e.model ?? 'standard') !== q.model) continue
    if (q.mode && e.mode !== q.mode) continue
    if (q.resolution && e.resolution !== q.resolution) continue
    if (q.aspectRatio && e.aspectRatio !== q.aspectRatio) continue
    if (q.favorite !== undefined && e.favorite !== q.favorite) continue
    if (q.from !== undefined && e.createdAt < q.from) continue
    if (q.to !== undefined && e.createdAt > q.to) continue
    if (words.length) {
      const hay = text(item)
      if (!words.every((w) => hay.includes(w))) continue
    }
    out.push(e)
  }
  // Entries usually arrive in the requested order already (newest first): then filtering kept it, skip the sort.
  const compare = COMPARE[q.sort ?? 'newest']
  let sorted = true
  for (let i = 1; i < out.length && sorted; i++)
    if (compare(out[i - 1] as LibraryEntry, out[i] as LibraryEntry) > 0) sorted = false
  // A library is kept in the order videos were added (oldest first), so "newest" usually finds it exactly
  // reversed: with no ties, reversing gives what the (stable) sort would, in linear time, at every keystroke.
  let reversed = !sorted
  for (let i = 1; i < out.length && reversed; i++)
    if (compare(out[i - 1] as LibraryEntry, out[i] as LibraryEntry) <= 0) reversed = false
  if (reversed) out.reverse()
  else if (!sorted) out.sort(compare)
  const offset = q.offset ?? 0
  return {
    total: out.length,
    items: q.limit === undefined && offset === 0 ? out : out.slice(offset, offset + (q.limit ?? out.length)),
  }
}
