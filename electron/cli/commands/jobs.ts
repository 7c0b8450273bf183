// `seedance jobs` lists the journal and changes nothing; `seedance resume` finishes every unfinished job.
import { FINAL_STATES } from '../../shared/job-states'
import type { JobRecord } from '../../shared/model'
import type { Values } from '../args'
import { EXIT, INPUT_ERROR_CODES } from '../exit-codes'
import { type Io, stoppedShort, withEngine } from '../session'
import { clean } from '../terminal'
import { madeWith } from './request-flags'

const isUnfinished = (j: JobRecord) => !FINAL_STATES.has(j.state)

export async function listJobs(values: Values, io: Io): Promise<number> {
  return withEngine(
    values,
    io,
    async ({ engine }) => {
      const jobs = engine.jobs.list()
      if (values.json) io.out.write(`${JSON.stringify(jobs, null, 2)}\n`)
      else if (jobs.length === 0) io.out.write('No jobs yet.\n')
      else
        for (const j of jobs)
          io.out.write(
            `${new Date(j.createdAt).toISOString().slice(0, 16)}  ${j.state.padEnd(15)} ${clean(j.request.prompt).slice(0, 50).padEnd(50)} ${madeWith(j.request.provider, j.request.model)}${j.error ? `  ${clean(j.error.code)}` : ''}\n`,
          )
      const open = jobs.filter(isUnfinished).length
      if (open > 0 && !values.json)
        io.err.write(`${open} unfinished job${open === 1 ? '' : 's'}; finish with: seedance resume\n`)
      return EXIT.ok
    },
    { resume: false },
  )
}

export async function resume(values: Values, io: Io): Promise<number> {
  return withEngine(values, io, async ({ engine, wait }) => {
    const open = new Set(
      engine.jobs
        .list()
        .filter(isUnfinished)
        .map((j) => j.id),
    )
    if (open.size === 0) {
      io.err.write('Nothing to resume: every job has finished.\n')
      return EXIT.ok
    }
    io.err.write(`Resuming ${open.size} unfinished job${open.size === 1 ? '' : 's'}.\n`)
    const outcome = await wait(
      (j) => open.has(j.id),
      (j) => (j.batch ? `row ${j.batch.row}` : j.request.prompt.slice(0, 28)),
    )
    const short = stoppedShort(outcome, io)
    if (short !== null) return short
    const jobs = [...open].map((id) => engine.jobs.get(id)).filter((j): j is JobRecord => j !== undefined)
    for (const j of jobs) {
      const entry = j.videoId ? engine.library.get(j.videoId) : undefined
      if (j.state === 'done' && entry) io.out.write(`${engine.library.videoPath(entry)}\n`)
    }
    const failed = jobs.filter((j) => j.state === 'failed')
    if (failed.length === 0) return EXIT.ok
    return failed.every((j) => j.error && INPUT_ERROR_CODES.has(j.error.code)) ? EXIT.usage : EXIT.failed
  })
}
