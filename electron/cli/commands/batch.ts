// `seedance batch <file.csv>`: a video per row. Invalid rows are reported (stderr and results) and never stop
// the others; the results file is written whatever happened to each row, and after Ctrl-C (rows not finished
// are pending: a rerun joins them).
import path from 'node:path'
import { EngineError } from '../../core/engine'
import { writeFileAtomic } from '../../core/util/atomic-write'
import type { JobRecord } from '../../shared/model'
import { UsageError, type Values } from '../args'
import { type BatchResult, type BatchRow, formatResults, readBatch } from '../batch'
import { EXIT, INPUT_ERROR_CODES } from '../exit-codes'
import { type Io, type Session, stoppedShort, withEngine } from '../session'
import { clean } from '../terminal'
import { resolveTarget, type Target, targetFromFlags } from './request-flags'

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
  const run = targetFromFlags(values, io.env)
  const rows = await readBatch(file)
  const source = path.resolve(file)
  const name = path.basename(file)
  const results = new Map<string, BatchResult>()
  const invalid = (row: BatchRow, message: string) => {
    io.err.write(`${clean(name)}: row ${clean(row.id)} (line ${row.line}): ${clean(message)}\n`)
    results.set(row.id, { id: row.id, status: 'invalid', video: '', job_id: '', error: `line ${row.line}: ${message}` })
  }
  return withEngine(values, io, async (session) => {
    let outcome: Awaited<ReturnType<Session['wait']>> = { kind: 'idle' }
    const mine = new Map<string, BatchRow[]>() // job id → its rows
    try {
      for (const row of rows) {
        if (session.interrupted()) break // Ctrl-C: the rows not queued yet are reported pending
        if (row.problem) {
          invalid(row, row.problem)
          continue
        }
        let target: Target
        try {
          target = rowTarget(row, run)
        } catch (error) {
          invalid(row, (error as Error).message)
          continue
        }
        try {
          await queueRow(session, source, { ...row, input: { ...row.input, ...target } }, mine, results)
        } catch (error) {
          // The engine checks the request (prompt, image, settings) before anything is sent.
          if (error instanceof EngineError) invalid(row, error.message)
          else
            results.set(row.id, {
              id: row.id,
              status: 'failed',
              video: '',
              job_id: '',
              error: (error as Error).message,
            })
        }
      }
      if (mine.size > 0)
        outcome = await session.wait(
          (j) => mine.has(j.id),
          (j) => `row ${mine.get(j.id)?.[0]?.id ?? '?'}`,
        )
      for (const [id, mineRows] of mine) for (const row of mineRows) results.set(row.id, await settle(session, id, row))
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
    // A row still pending is a paid video not saved yet: the next run (or `library fetch`) saves it.
    return statuses.has('failed') || statuses.has('pending')
      ? EXIT.failed
      : statuses.has('invalid')
        ? EXIT.usage
        : EXIT.ok
  })
}

/**
 * A row's door and model: its own provider and model columns, else the run's (--provider, --model, or
 * SEEDANCE_PROVIDER, SEEDANCE_MODEL). A row naming only a model takes it at the run's provider, when one is given;
 * a row naming another provider than the run's takes that provider's default model.
 */
function rowTarget(row: BatchRow, run: Target): Target {
  const { provider, model } = row.input
  if (!provider && !model) return run
  return resolveTarget(
    {
      provider: provider ?? run.provider,
      model: model ?? (provider && provider !== run.provider ? undefined : run.model),
    },
    {
      provider: provider ? 'The provider column' : 'the provider column (or --provider)',
      model: model ? 'The model column' : '--model',
    },
  )
}

/**
 * Ask for a row's video by the engine's one rule: a row already in the queue (an interrupted run) or paid for
 * and not saved is joined, not sent again; a row already in the library is reported as such.
 */
async function queueRow(
  { engine }: Session,
  source: string,
  row: BatchRow,
  mine: Map<string, BatchRow[]>,
  results: Map<string, BatchResult>,
): Promise<void> {
  const outcome = await engine.submit(row.input, { batch: { file: source, row: row.id } })
  if (outcome.kind === 'exists') {
    results.set(row.id, {
      id: row.id,
      status: 'exists',
      video: engine.library.videoPath(outcome.entry),
      job_id: outcome.entry.remoteId ?? '',
      error: '',
    })
    return
  }
  // Two identical rows share one job (and one charge).
  mine.set(outcome.job.id, [...(mine.get(outcome.job.id) ?? []), row])
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
