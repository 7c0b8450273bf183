// The crash-safe job journal: an append-only JSON-lines file in the data folder. Every change appends the
// job's full record and fsyncs before the engine acts on it (a job is journaled before its POST is sent
// and again after the answer). On open, the last record of each job wins; a torn last line (a crash
// mid-write) is ignored, and a file with damaged lines is moved aside after its good records are kept.

import { randomBytes } from 'node:crypto'
import type { FileHandle } from 'node:fs/promises'
import { open, readFile, rename, rm } from 'node:fs/promises'
import path from 'node:path'
import type { JobRecord } from '../../shared/model'
import { fsyncDir, writeFileAtomic } from '../util/atomic-write'

export interface JournalOpenResult {
  journal: Journal
  jobs: JobRecord[]
  /** Damaged lines skipped (not counting a torn last line). */
  damaged: number
  movedAside: string | null
}

/**
 * A record as written by any version: journals from before issue 10 have no door or model on their requests, and
 * everything they hold was made through the guide's API and its one model. Filled on read, so the rest of the engine
 * always sees both; the record's fingerprint is kept as written (shared by a guide request's old and new forms).
 */
export function upgradeRecord(record: JobRecord): JobRecord {
  const r = record.request as Partial<JobRecord['request']>
  if (r.provider !== undefined && r.model !== undefined) return record
  return {
    ...record,
    request: { ...record.request, provider: r.provider ?? 'seedance', model: r.model ?? 'standard' },
  }
}

function isRecord(value: unknown): value is JobRecord {
  const v = value as JobRecord
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.id === 'string' &&
    typeof v.state === 'string' &&
    typeof v.request === 'object' &&
    v.request !== null
  )
}

export class Journal {
  private constructor(
    private readonly file: string,
    private handle: FileHandle,
    private lines: number,
    private readonly compactAfter: number,
  ) {}

  /**
   * `compactAfter`: the number of lines below which `compact` leaves the file alone (history is cheap to append
   * and a rewrite costs a full write and two fsyncs).
   */
  static async open(
    file: string,
    { now = Date.now, compactAfter = 1000 }: { now?: () => number; compactAfter?: number } = {},
  ): Promise<JournalOpenResult> {
    let text = ''
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    }
    const jobs = new Map<string, JobRecord>()
    const rows = text.split('\n')
    const last = rows.length - 1
    let damaged = 0
    rows.forEach((row, i) => {
      if (!row.trim()) return
      try {
        const parsed = JSON.parse(row) as unknown
        const removal = parsed as { id?: unknown; removed?: unknown }
        if (removal?.removed === true && typeof removal.id === 'string') {
          jobs.delete(removal.id) // the user removed it from the queue
          return
        }
        if (!isRecord(parsed)) throw new Error('not a job record')
        jobs.set(parsed.id, upgradeRecord(parsed))
      } catch {
        if (i !== last) damaged += 1 // the very last line may simply have been cut off by a crash
      }
    })
    let movedAside: string | null = null
    if (damaged > 0) {
      movedAside = `${file}.corrupt-${new Date(now()).toISOString().replace(/[:.]/g, '-')}`
      await rename(file, movedAside)
    }
    // Start from a compact snapshot: one line per job.
    const records = [...jobs.values()]
    await writeFileAtomic(file, records.map((r) => `${JSON.stringify(r)}\n`).join(''))
    const handle = await open(file, 'a')
    return { journal: new Journal(file, handle, records.length, compactAfter), jobs: records, damaged, movedAside }
  }

  /** Append a job's current record and make it durable. */
  async write(job: JobRecord): Promise<void> {
    await this.handle.write(`${JSON.stringify(job)}\n`)
    await this.handle.datasync()
    this.lines += 1
  }

  /** Record that a job was removed from the queue (its video, if any, stays in the library). */
  async writeRemoval(id: string): Promise<void> {
    await this.handle.write(`${JSON.stringify({ id, removed: true })}\n`)
    await this.handle.datasync()
    this.lines += 1
  }

  /**
   * Rewrite the file as one line per job (called when it has grown with history). The new file is written and
   * opened before it takes the journal's name, and the old handle is closed only then: a failed write leaves the
   * journal appending to the old file, whole and open.
   */
  async compact(jobs: JobRecord[]): Promise<void> {
    if (this.lines < Math.max(this.compactAfter, jobs.length * 4)) return
    const tmp = `${this.file}.${randomBytes(4).toString('hex')}.tmp`
    const next = await open(tmp, 'ax')
    try {
      await next.writeFile(jobs.map((r) => `${JSON.stringify(r)}\n`).join(''))
      await next.sync()
      await rename(tmp, this.file)
    } catch (error) {
      await next.close().catch(() => undefined)
      await rm(tmp, { force: true })
      throw error
    }
    const old = this.handle
    this.handle = next
    this.lines = jobs.length
    await fsyncDir(path.dirname(this.file)).catch(() => undefined) // the rename durable: best effort, as the data is
    await old.close()
  }

  async close(): Promise<void> {
    await this.handle.close()
  }
}
