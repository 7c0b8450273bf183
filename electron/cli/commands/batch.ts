// `seedance batch <file.csv>`: a video per row. Invalid rows are reported (stderr and results) and never stop
// the others; the results file is written whatever happened to each row.
import path from 'node:path'
import { fingerprint } from '../../core/library/fingerprint'
import { writeFileAtomic } from '../../core/util/atomic-write'
import type { GenerationRequest, JobRecord } from '../../shared/model'
import { UsageError, type Values } from '../args'
import { type BatchResult, type BatchRow, formatResults, readBatch } from '../batch'
import { EXIT, INPUT_ERROR_CODES } from '../exit-codes'
import { type Io, type Session, stoppedShort, withEngine } from '../session'
import { clean } from '../terminal'

const unfinished = (j: JobRecord) => j.state !== 'failed' && j.state !== 'cancelled'

function statusOf(job: JobRecord): BatchResult['status'] {
  if (job.state === 'done') return 'done'
  if (job.state === 'failed') return job.error && INPUT_ERROR_CODES.has(job.error.code) ? 'invalid' : 'failed'
  if (job.state === 'cancelled') return 'cancelled'
  return 'pending'
}

export async function batch(positionals: string[], values: Values, io: Io): Promise<number> {
  const file = positionals[0]
  if (!file) throw new UsageError('batch needs a CSV file: seedance batch prompts.csv')
  if (positionals.length > 1) throw new UsageError(`batch takes one CSV file (got ${positionals.length}).`)
  const rows = await readBatch(file)
  const source = path.resolve(file)
  const name = path.basename(file)
  const results = new Map<string, BatchResult>()
  const invalid = (row: BatchRow, message: string) => {
    io.err.write(`${clean(name)}: row ${clean(row.id)} (line ${row.line}): ${clean(message)}\n`)
    results.set(row.id, { id: row.id, status: 'invalid', video: '', job_id: '', error: `line ${row.line}: ${message}` })
  }
  return withEngine(values, io, async (session) => {
    const { engine } = session
    let outcome: Awaited<ReturnType<Session['wait']>> = { kind: 'idle' }
    const mine = new Map<string, BatchRow>() // job id → row
    try {
      for (const row of rows) {
        if (row.problem) {
          invalid(row, row.problem)
          continue
        }
        let request: GenerationRequest
        try {
          request = await engine.prepare(row.input)
        } catch (error) {
          invalid(row, (error as Error).message)
          continue
        }
        try {
          await queueRow(session, source, row, request, mine, results)
        } catch (error) {
          results.set(row.id, { id: row.id, status: 'failed', video: '', job_id: '', error: (error as Error).message })
        }
      }
      if (mine.size > 0)
        outcome = await session.wait(
          (j) => mine.has(j.id),
          (j) => `row ${mine.get(j.id)?.id ?? '?'}`,
        )
      for (const [id, row] of mine) results.set(row.id, await settle(session, id, row))
    } finally {
      // Whatever happened above, every row gets a line in the results (issue 9: no results file after an error).
      const ordered = rows.map(
        (r) => results.get(r.id) ?? { id: r.id, status: 'pending' as const, video: '', job_id: '', error: '' },
      )
      const csv = formatResults(ordered)
      if (typeof values.results === 'string') await writeFileAtomic(path.resolve(values.results), csv)
      else io.out.write(csv)
      const counts: Record<string, number> = {}
      for (const r of ordered) counts[r.status] = (counts[r.status] ?? 0) + 1
      io.err.write(
        `${Object.entries(counts)
          .map(([s, n]) => `${n} ${s}`)
          .join(', ')}\n`,
      )
    }
    const short = stoppedShort(outcome, io)
    if (short !== null) return short
    const statuses = new Set([...results.values()].map((r) => r.status))
    return statuses.has('failed') ? EXIT.failed : statuses.has('invalid') ? EXIT.usage : EXIT.ok
  })
}

/** Submit a row, or pick up its job from an earlier (interrupted) run, or find its video already made. */
async function queueRow(
  { engine }: Session,
  source: string,
  row: BatchRow,
  request: GenerationRequest,
  mine: Map<string, BatchRow>,
  results: Map<string, BatchResult>,
): Promise<void> {
  const fp = fingerprint(request)
  const earlier = engine.jobs
    .list()
    .find((j) => j.batch?.file === source && j.batch.row === row.id && j.fingerprint === fp && unfinished(j))
  const existing = engine.library.findByFingerprint(fp)
  if (existing && !(earlier && earlier.state !== 'done')) {
    results.set(row.id, {
      id: row.id,
      status: 'exists',
      video: engine.library.videoPath(existing),
      job_id: existing.remoteId ?? '',
      error: '',
    })
    return
  }
  const job = earlier ?? (await engine.jobs.submit(request, { file: source, row: row.id }))
  mine.set(job.id, row)
}

/** A row's result once its job has finished (or stopped waiting); the title is set on a finished video. */
async function settle({ engine }: Session, id: string, row: BatchRow): Promise<BatchResult> {
  const job = engine.jobs.get(id) as JobRecord
  const entry = job.videoId ? engine.library.get(job.videoId) : undefined
  let error = job.error ? `${job.error.code}: ${job.error.message}` : (job.note ?? '')
  if (entry && row.title && entry.title !== row.title && job.state === 'done') {
    try {
      await engine.library.rename(entry.id, row.title)
    } catch (e) {
      error = `The video is saved, but its title could not be set: ${(e as Error).message}`
    }
  }
  return {
    id: row.id,
    status: statusOf(job),
    video: entry && !entry.expired ? engine.library.videoPath(entry) : '',
    job_id: job.remoteId ?? '',
    error,
  }
}
