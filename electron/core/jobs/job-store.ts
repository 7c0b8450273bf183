// The job records: held in memory, every change journaled (and fsynced) before anyone acts on it, logged with the
// job id, and told to the listeners (main's jobs:changed, the CLI's progress). One writer at a time, in order.
import type { JobRecord } from '../../shared/model'
import type { Logger } from '../util/logger'
import type { Journal } from './journal'
import type { Clock } from './route'
import type { Patch } from './transitions'

type Listener = (job: JobRecord) => void

export class JobStore {
  private readonly jobs = new Map<string, JobRecord>()
  private readonly listeners = new Set<Listener>()
  private readonly removalListeners = new Set<(id: string) => void>()
  private writes: Promise<void> = Promise.resolve()
  /** After stop nothing more is journaled: an interrupted download stays "downloading" and resumes next time. */
  stopped = false
  /** Called after a change that set a time (nextAt) outside the loop, so the loop's timer can follow. */
  onTimed: () => void = () => {}

  constructor(private readonly o: { journal: Journal; logger: Logger; clock: Clock; jobs: JobRecord[] }) {
    for (const job of o.jobs) this.jobs.set(job.id, job)
  }

  values(): IterableIterator<JobRecord> {
    return this.jobs.values()
  }

  get(id: string): JobRecord | undefined {
    return this.jobs.get(id)
  }

  require(id: string): JobRecord {
    const job = this.jobs.get(id)
    if (!job) throw Object.assign(new Error(`No job ${id}.`), { code: 'JOB_NOT_FOUND' })
    return job
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  onRemove(listener: (id: string) => void): () => void {
    this.removalListeners.add(listener)
    return () => this.removalListeners.delete(listener)
  }

  /** A new record (created, imported, rebuilt from the library), journaled. */
  async add(job: JobRecord, what: string): Promise<JobRecord> {
    this.jobs.set(job.id, job)
    await this.persist(job, what)
    return job
  }

  /** Apply a patch to the record as it is now (not as the caller last saw it), journaled. */
  async transition(job: JobRecord, patch: Patch): Promise<JobRecord> {
    const current = this.require(job.id)
    const next: JobRecord = { ...current, ...patch, updatedAt: this.o.clock.now() }
    this.jobs.set(job.id, next)
    await this.persist(
      next,
      patch.state && patch.state !== current.state ? `${current.state} → ${patch.state}` : 'updated',
    )
    if (patch.nextAt !== undefined && patch.nextAt !== null) this.onTimed()
    return next
  }

  /** Forget a job (the user removed it from the queue), journaled. */
  async remove(id: string): Promise<void> {
    this.jobs.delete(id)
    const write = this.writes.then(() => this.o.journal.writeRemoval(id))
    this.writes = write.catch(() => undefined)
    await write
    this.o.logger.info(`job ${id} removed from the queue`)
    for (const l of this.removalListeners) l(id)
  }

  /** Wait for the journal writes under way. */
  flush(): Promise<void> {
    return this.writes
  }

  private async persist(job: JobRecord, what: string): Promise<void> {
    if (this.stopped) return
    // Each change appends a line; once the file holds mostly history, it is rewritten as one line per job.
    const write = this.writes.then(async () => {
      await this.o.journal.write(job)
      await this.o.journal.compact([...this.jobs.values()])
    })
    this.writes = write.catch(() => undefined)
    await write
    this.o.logger.info(`job ${job.id} ${what}`, {
      state: job.state,
      remote: job.remoteId,
      ...(job.error ? { error: job.error.code } : {}),
      ...(job.note ? { note: job.note } : {}),
    })
    for (const l of this.listeners) l(job)
  }
}
