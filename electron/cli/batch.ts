// CSV batches: read rows (id, prompt and optional filename, image, duration, resolution, aspect_ratio,
// style, motion_intensity) and write results (id, status, video, job_id, error).
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import { stringify } from 'csv-stringify/sync'
import type { RequestInput } from '../core/engine'
import type { AspectRatio, Resolution } from '../shared/model'

export interface BatchRow {
  /** The row's id column. */
  id: string
  /** 1-based line in the file, for messages. */
  line: number
  input: RequestInput
  /** The filename column: used as the video's title in the library. */
  title: string | null
}

export interface BatchResult {
  id: string
  status: 'done' | 'exists' | 'failed' | 'invalid' | 'cancelled' | 'pending'
  video: string
  job_id: string
  error: string
}

export class BatchFileError extends Error {
  readonly code = 'INVALID_BATCH'
}

function num(value: string | undefined, column: string, line: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined
  const n = Number(value)
  if (!Number.isFinite(n)) throw new BatchFileError(`Line ${line}: ${column} "${value}" is not a number.`)
  return n
}

export async function readBatch(file: string): Promise<BatchRow[]> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new BatchFileError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}.`)
  }
  let records: Record<string, string>[]
  try {
    records = parse(text, {
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      bom: true,
    })
  } catch (error) {
    throw new BatchFileError(`${path.basename(file)} is not valid CSV: ${(error as Error).message}`)
  }
  if (records.length === 0) throw new BatchFileError(`${path.basename(file)} has no rows.`)
  const first = records[0] as Record<string, string>
  for (const column of ['id', 'prompt']) {
    if (!(column in first)) throw new BatchFileError(`${path.basename(file)} needs an "${column}" column.`)
  }
  const seen = new Set<string>()
  const base = path.dirname(path.resolve(file))
  return records.map((r, i) => {
    const line = i + 2
    const id = r.id ?? ''
    if (!id) throw new BatchFileError(`Line ${line}: the id is empty.`)
    if (seen.has(id)) throw new BatchFileError(`Line ${line}: the id "${id}" appears twice.`)
    seen.add(id)
    return {
      id,
      line,
      title: r.filename?.replace(/\.mp4$/i, '') || null,
      input: {
        prompt: r.prompt ?? '',
        imagePath: r.image ? path.resolve(base, r.image) : null,
        duration: num(r.duration, 'duration', line),
        resolution: (r.resolution || undefined) as Resolution | undefined,
        aspectRatio: (r.aspect_ratio || null) as AspectRatio | null,
        style: r.style || null,
        motionIntensity: num(r.motion_intensity, 'motion_intensity', line) ?? null,
      },
    }
  })
}

export function formatResults(results: BatchResult[]): string {
  return stringify(results, { header: true, columns: ['id', 'status', 'video', 'job_id', 'error'] })
}
