// Sequences (issue 11, point 2): clips made by "Continue from last frame" name the clip they continue
// (LibraryEntry.continues). The sequence a clip belongs to is worked out here, once, for the library's detail
// panel, playback, the export and the CLI. Pure TypeScript: no Node, no DOM.
import type { LibraryEntry } from './model'

type Linked = Pick<LibraryEntry, 'id' | 'createdAt'> & { continues?: string | null }

/**
 * The clips of the sequence `id` belongs to, in play order: up its `continues` links to the clip that started it,
 * then down from `id`, each step to the newest clip that continues the one before (a clip continued twice is a
 * fork; the newer take wins, the other stays in the library). A single clip is a sequence of one; an unknown id,
 * of none. Loops (a hand-edited metadata file) are cut where they close.
 */
export function sequenceOf<E extends Linked>(entries: Iterable<E>, id: string): E[] {
  const byId = new Map<string, E>()
  const next = new Map<string, E>()
  for (const e of entries) byId.set(e.id, e)
  for (const e of byId.values()) {
    if (!e.continues || !byId.has(e.continues)) continue
    const taken = next.get(e.continues)
    if (!taken || e.createdAt > taken.createdAt || (e.createdAt === taken.createdAt && e.id > taken.id))
      next.set(e.continues, e)
  }
  const start = byId.get(id)
  if (!start) return []
  const seen = new Set<string>([start.id])
  const before: E[] = []
  for (let e = start.continues ? byId.get(start.continues) : undefined; e && !seen.has(e.id); ) {
    seen.add(e.id)
    before.unshift(e)
    e = e.continues ? byId.get(e.continues) : undefined
  }
  const after: E[] = []
  for (let e = next.get(start.id); e && !seen.has(e.id); e = next.get(e.id)) {
    seen.add(e.id)
    after.push(e)
  }
  return [...before, start, ...after]
}

// Characters no portable file name holds: separators, a Windows drive or stream colon, controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is taken out
const UNSAFE = /[\\/:*?"<>|\u0000-\u001f]+/g

/** The name a continuation's first frame goes by (shown as its source image): the last frame of which video. */
export function frameName(title: string): string {
  return `last frame of ${title.replace(UNSAFE, ' ').trim().slice(0, 60) || 'video'}.png`
}
