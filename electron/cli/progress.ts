// Progress for the CLI: a live table on a terminal, one plain line per change otherwise (logs, CI, pipes).
// Notes and errors come from the service: cleaned of control characters before they reach the terminal.
import { JOB_STATE_LABEL } from '../shared/job-states'
import type { JobRecord } from '../shared/model'
import { clean, type Output } from './terminal'

const stateLabel = (state: JobRecord['state']) => JOB_STATE_LABEL[state].toLowerCase()

export function jobStatusText(job: JobRecord, now: number): string {
  let detail = ''
  if (job.state === 'processing' || job.state === 'queued') {
    const left =
      job.estimatedCompletion !== null ? Math.max(0, Math.round((job.estimatedCompletion - now) / 1000)) : null
    detail = left !== null ? ` ~${left}s left` : ''
  }
  if (job.state === 'failed' && job.error) detail = ` ${job.error.code}: ${job.error.message}`
  else if (job.note && job.state !== 'done') detail += ` (${job.note})`
  return clean(`${stateLabel(job.state)}${detail}`)
}

export interface Progress {
  update(job: JobRecord): void
  stop(): void
}

export function createProgress(stream: Output, label: (job: JobRecord) => string, now = Date.now): Progress {
  const jobs = new Map<string, JobRecord>()
  if (!stream.isTTY) {
    // Each distinct line once per job: a retry cycle (submitting, waiting, submitting, …) or a poll that only
    // moves the estimate must not print the same words again and again (issue 9: 27 identical retry lines).
    const printed = new Map<string, Set<string>>()
    return {
      update(job) {
        const line = jobStatusText(job, now())
        const key = line.replace(/ ~\d+s left/, '')
        const seen = printed.get(job.id) ?? new Set<string>()
        printed.set(job.id, seen)
        if (seen.has(key)) return
        seen.add(key)
        stream.write(`${clean(label(job))}: ${line}\n`)
      },
      stop() {},
    }
  }
  let drawn = 0
  const draw = () => {
    const rows = [...jobs.values()].map((j) => {
      const text = `${clean(label(j)).padEnd(28).slice(0, 28)} ${jobStatusText(j, now())}`
      return text.slice(0, (stream.columns ?? 100) - 1)
    })
    if (drawn) stream.write(`\x1b[${drawn}A`)
    for (const r of rows) stream.write(`\x1b[2K${r}\n`)
    drawn = rows.length
  }
  const timer = setInterval(draw, 500)
  timer.unref()
  return {
    update(job) {
      jobs.set(job.id, job)
      draw()
    },
    stop() {
      clearInterval(timer)
      draw()
    },
  }
}
