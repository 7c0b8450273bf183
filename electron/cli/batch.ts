// CSV batches: read rows (id, prompt and optional filename, image, duration, resolution, aspect_ratio,
// style, motion_intensity) and write results (id, status, video, job_id, error).
import { readFile } from 'node:fs/promises'
import { stringify } from 'csv-stringify/sync'
import { BatchFileError, type BatchResult, type BatchRow, parseBatch } from '../core/jobs/batch'
import { clean } from './terminal'

export { BatchFileError, type BatchResult, type BatchRow } from '../core/jobs/batch'

export async function readBatch(file: string): Promise<BatchRow[]> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new BatchFileError(
      code === 'ENOENT' ? `CSV file not found: ${file}` : `Cannot read the CSV file ${file} (${code ?? error}).`,
    )
  }
  return parseBatch(text, file)
}

/**
 * A cell a spreadsheet would run as a formula (OWASP "CSV injection": = + - @, tab, carriage return) gets a
 * leading apostrophe; control characters from the service's messages are removed.
 */
export function safeCell(value: string): string {
  const text = clean(value)
  return /^[=+\-@\t\r]/.test(value) ? `'${text}` : text
}

export function formatResults(results: BatchResult[]): string {
  const rows = results.map((r) => ({
    id: safeCell(r.id),
    status: r.status,
    video: safeCell(r.video),
    job_id: safeCell(r.job_id),
    error: safeCell(r.error),
  }))
  return stringify(rows, { header: true, columns: ['id', 'status', 'video', 'job_id', 'error'] })
}
