// CSV batches: read rows (id, prompt and optional filename, image, duration, resolution, aspect_ratio,
// style, motion_intensity) and write results (id, status, video, job_id, error).
import { readFile } from 'node:fs/promises'
import { stringify } from 'csv-stringify/sync'
import { BatchFileError, type BatchResult, type BatchRow, parseBatch } from '../core/jobs/batch'

export { BatchFileError, type BatchResult, type BatchRow } from '../core/jobs/batch'

export async function readBatch(file: string): Promise<BatchRow[]> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    throw new BatchFileError(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? error}.`)
  }
  return parseBatch(text, file)
}

export function formatResults(results: BatchResult[]): string {
  return stringify(results, { header: true, columns: ['id', 'status', 'video', 'job_id', 'error'] })
}
