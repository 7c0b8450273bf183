// The Sweep panel's fields read into a sweep (issue 11, point 4): prompts one per line, seeds and durations as
// lists ("1, 2, 3"; "4, auto"), each list's mistake said in words under its field. Pure: tested on its own.
import type { JobRecord } from '../../../../electron/shared/model'
import type { SweepSubmitted } from '../../../../electron/shared/sweep'
import { SEED_MAX } from '../composer/capabilities'

export interface ListParse<T> {
  values: T[]
  problem: string | null
}

const items = (text: string) =>
  text
    .split(/[\s,;]+/)
    .map((t) => t.trim())
    .filter(Boolean)

/** The prompts, one per line (blank lines skipped). */
export function parsePrompts(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
}

/** Seeds, whole numbers 0–4,294,967,295, separated by commas or spaces; empty: random (no seed axis). */
export function parseSeeds(text: string): ListParse<number> {
  const values: number[] = []
  for (const t of items(text)) {
    if (!/^\d+$/.test(t) || Number(t) > SEED_MAX)
      return { values: [], problem: `“${t}” is not a seed: seeds are whole numbers from 0 to 4,294,967,295.` }
    values.push(Number(t))
  }
  return { values, problem: null }
}

/** Durations in whole seconds or `auto` (sent as 0); empty: each model's default. */
export function parseDurations(text: string): ListParse<number> {
  const values: number[] = []
  for (const t of items(text)) {
    if (t.toLowerCase() === 'auto') values.push(0)
    else if (/^\d+$/.test(t) && Number(t) >= 1 && Number(t) <= 60) values.push(Number(t))
    else return { values: [], problem: `“${t}” is not a duration: whole seconds (as 5), or auto.` }
  }
  return { values, problem: null }
}

export interface SweepVideo {
  id: string
  label: string
}

/** The sweep's videos made so far (new, joined or already in the library), in grid order, with their labels. */
export function sweepVideos(result: SweepSubmitted, jobs: Record<string, JobRecord | undefined>): SweepVideo[] {
  const out: SweepVideo[] = []
  for (const cell of result.cells) {
    const job = cell.jobId ? jobs[cell.jobId] : undefined
    const id = cell.videoId ?? (job?.state === 'done' ? job.videoId : null)
    if (id) out.push({ id, label: cell.label })
  }
  return out
}

/** Cells queued or joined that have not finished yet. */
export function sweepPending(result: SweepSubmitted, jobs: Record<string, JobRecord | undefined>): number {
  return result.cells.filter((c) => {
    if (!c.jobId) return false
    const state = jobs[c.jobId]?.state
    return state !== 'done' && state !== 'failed' && state !== 'cancelled'
  }).length
}
