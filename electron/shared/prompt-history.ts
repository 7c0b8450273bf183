// Prompt history (issue 11, point 6): every prompt used, from the job journal and the library, one row per prompt
// (whitespace normalised), with how often and when it was last used and the videos it made. Pure, so the engine
// (the CLI's `seedance prompts`) and the renderer (the composer's history, built from its mirrors) share it.
import type { JobRecord, LibraryEntry } from './model'

/** The longest prompt any door takes (the submit schema's bound): a longer one cannot be starred. */
export const PROMPT_MAX = 4000

export interface PromptHistoryItem {
  /** The prompt, whitespace normalised (normalizePrompt): the row's key and what is inserted. */
  prompt: string
  /** Generations made with it: jobs, and library videos whose job is no longer in the journal. */
  count: number
  /** When it was last used (ms); null for a starred prompt with no job or video left. */
  lastUsed: number | null
  /** Its library videos, newest first. */
  videoIds: string[]
  starred: boolean
}

export interface PromptHistoryQuery {
  /** Every word must appear in the prompt (case-insensitive). */
  search?: string
  /** Only starred prompts. */
  starred?: boolean
}

type JobLike = Pick<JobRecord, 'id' | 'createdAt'> & { request: Pick<JobRecord['request'], 'prompt'> }
type EntryLike = Pick<LibraryEntry, 'id' | 'prompt' | 'createdAt' | 'jobId'>

/** One space between words, none at the ends: prompts that differ only in spacing are one prompt. */
export function normalizePrompt(prompt: string): string {
  return prompt.trim().replace(/\s+/g, ' ')
}

/**
 * The history: starred prompts first (in the order given, most recently starred first), then the rest by last
 * use, newest first. A job and the video it made are one use (matched by job id).
 */
export function buildPromptHistory(
  jobs: Iterable<JobLike>,
  entries: Iterable<EntryLike>,
  starred: readonly string[] = [],
): PromptHistoryItem[] {
  const rows = new Map<string, PromptHistoryItem & { uses: Set<string>; videos: Array<[number, string]> }>()
  const row = (raw: string) => {
    const prompt = normalizePrompt(raw)
    if (!prompt) return null
    let r = rows.get(prompt)
    if (!r) {
      r = { prompt, count: 0, lastUsed: null, videoIds: [], starred: false, uses: new Set(), videos: [] }
      rows.set(prompt, r)
    }
    return r
  }
  const use = (r: NonNullable<ReturnType<typeof row>>, key: string, at: number) => {
    if (!r.uses.has(key)) {
      r.uses.add(key)
      r.count++
    }
    if (r.lastUsed === null || at > r.lastUsed) r.lastUsed = at
  }
  for (const job of jobs) {
    const r = row(job.request.prompt)
    if (r) use(r, `job:${job.id}`, job.createdAt)
  }
  for (const e of entries) {
    const r = row(e.prompt)
    if (!r) continue
    use(r, e.jobId ? `job:${e.jobId}` : `video:${e.id}`, e.createdAt)
    r.videos.push([e.createdAt, e.id])
  }
  const stars = starred.map(normalizePrompt).filter(Boolean)
  for (const prompt of stars) {
    const r = row(prompt)
    if (r) r.starred = true
  }
  const items: PromptHistoryItem[] = []
  for (const r of rows.values()) {
    r.videos.sort((a, b) => b[0] - a[0])
    items.push({
      prompt: r.prompt,
      count: r.count,
      lastUsed: r.lastUsed,
      videoIds: r.videos.map(([, id]) => id),
      starred: r.starred,
    })
  }
  const starOrder = new Map(stars.map((p, i) => [p, i]))
  return items.sort((a, b) => {
    if (a.starred !== b.starred) return a.starred ? -1 : 1
    if (a.starred) return (starOrder.get(a.prompt) ?? 0) - (starOrder.get(b.prompt) ?? 0)
    return (b.lastUsed ?? 0) - (a.lastUsed ?? 0) || a.prompt.localeCompare(b.prompt)
  })
}

/** The rows a search keeps, in the history's order. */
export function searchPromptHistory(
  items: readonly PromptHistoryItem[],
  q: PromptHistoryQuery = {},
): PromptHistoryItem[] {
  const words = (q.search ?? '').toLowerCase().split(/\s+/).filter(Boolean)
  return items.filter((item) => {
    if (q.starred && !item.starred) return false
    if (!words.length) return true
    const hay = item.prompt.toLowerCase()
    return words.every((w) => hay.includes(w))
  })
}
