// What the user (or the CLI) asks of a job beyond sending it: cancel it (asking its service where it can), try it
// again without paying twice, download a paid video again, and import an account's jobs. Each works through the job's
// own provider (the route), never a service's wire.
import { FINAL_STATES } from '../../shared/job-states'
import type { GenerationRequest, JobRecord } from '../../shared/model'
import { isProviderId, providerInfo } from '../../shared/providers'
import type { Library } from '../library/library'
import { doorProbe, finishedRemoteJobs, importedJob, recordFromEntry } from './account-import'
import type { JobStore } from './job-store'
import type { Clock, RouteJob } from './route'
import { asFailure, type ServiceSync } from './service-sync'
import { cancelNote } from './transitions'
import type { VideoDownloads } from './video-downloads'

/** A door's name for notes; a door this version does not know, by its id. */
export function doorLabel(id: string): string {
  return isProviderId(id) ? providerInfo(id).label : id
}

/** A finished video the service made (and was paid for): it is downloaded again, never generated again. */
function hasPaidVideo(job: JobRecord): job is JobRecord & { output: NonNullable<JobRecord['output']> } {
  return job.output !== null && job.remoteId !== null && job.error?.code !== 'JOB_FAILED'
}

function codedError(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code })
}

export interface ActionHost {
  store: JobStore
  route: RouteJob
  saving: VideoDownloads
  sync: ServiceSync
  clock: Clock
  library(): Library
  /** The door can list its jobs, so a lost submission is looked for there (not sent again by the user's Retry). */
  canList(job: JobRecord): boolean
  wake(): void
}

export class JobActions {
  constructor(private readonly h: ActionHost) {}

  /**
   * Cancel: the job stops here at once (no more polls or downloads), then its service is asked to cancel it where it
   * can (ProviderInfo.cancel); the note says what the service did, and whether it may still bill.
   */
  async cancel(id: string): Promise<JobRecord> {
    const job = this.h.store.require(id)
    if (FINAL_STATES.has(job.state)) return job
    this.h.saving.abort(id)
    const label = doorLabel(job.request.provider)
    if (hasPaidVideo(job))
      return this.h.store.transition(job, { state: 'cancelled', nextAt: null, note: cancelNote(job, 'paid', label) })
    if (job.state === 'pending')
      return this.h.store.transition(job, {
        state: 'cancelled',
        nextAt: null,
        note: cancelNote(job, 'not-sent', label),
      })
    const stopped = await this.h.store.transition(job, {
      state: 'cancelled',
      nextAt: null,
      note: `Stopped tracking; asking ${label} to cancel.`,
    })
    if (job.remoteId === null)
      return this.h.store.transition(stopped, {
        note:
          job.state === 'submitting'
            ? 'Stopped while it was being sent: if the service takes it, it may still finish there and be billed.'
            : 'Stopped tracking. The submission’s answer was lost: if it created a job, that job may still finish and be billed.',
      })
    const route = this.h.route(job)
    if ('held' in route) return this.h.store.transition(stopped, { note: `Stopped tracking. ${route.held}` })
    try {
      const outcome = await route.provider.cancel({ remoteId: job.remoteId, model: job.request.model })
      return this.h.store.transition(this.h.store.require(id), { note: cancelNote(job, outcome, label) })
    } catch (error) {
      const e = asFailure(error)
      return this.h.store.transition(this.h.store.require(id), {
        note:
          e.code === 'NOT_CANCELLABLE'
            ? `Stopped tracking. ${e.message}`
            : `Stopped tracking; the cancel did not reach ${label} (${e.message}), so the job may still finish there and be billed.`,
      })
    }
  }

  /**
   * Try a failed or cancelled job again without paying twice: a paid video still at the service is downloaded again
   * (whatever ended the job: a failure or a stopped download); a cancelled job the service already has is tracked
   * again; only a job that has nothing at the service is submitted again. A lost submission that its provider cannot
   * look for (fal) is sent again only here, by the user's explicit choice.
   */
  async retry(id: string): Promise<JobRecord> {
    const job = this.h.store.require(id)
    if (job.state === 'download-retry') {
      const next = await this.h.store.transition(job, {
        state: 'downloading',
        nextAt: null,
        note: 'Downloading again.',
      })
      this.h.saving.start(next)
      return next
    }
    if (job.state === 'outcome-unknown' && !this.h.canList(job)) {
      const next = await this.h.store.transition(job, {
        state: 'pending',
        attempts: Math.max(0, job.attempts - 1),
        nextAt: null,
        note: 'Sent again at your request (the first submission’s outcome is unknown).',
      })
      this.h.wake()
      return next
    }
    if (!FINAL_STATES.has(job.state) || job.state === 'done') return job
    if (hasPaidVideo(job)) return this.downloadAgain(job)
    const next = await this.h.store.transition(
      job,
      job.state === 'cancelled' && job.remoteId !== null
        ? {
            // Cancelled while the service worked on it: the job is still there (and paid): follow it again.
            state: 'queued',
            error: null,
            nextAt: this.h.clock.now(),
            note: 'Following the job at the service again; nothing is paid again.',
          }
        : {
            state: 'pending',
            error: null,
            remoteId: null,
            output: null,
            estimatedCompletion: null,
            attempts: 0,
            note: null,
            nextAt: null,
          },
    )
    this.h.wake()
    return next
  }

  /** Download a paid video again from its service; nothing is generated (or paid for) again. */
  private async downloadAgain(job: JobRecord & { output: NonNullable<JobRecord['output']> }): Promise<JobRecord> {
    const next = await this.h.store.transition(job, {
      state: 'downloading',
      error: null,
      nextAt: null,
      note: 'Downloading again.',
      // The user asks again: a link the service called gone is asked for once more.
      output: { ...job.output, gone: false },
    })
    this.h.saving.start(next)
    this.h.wake()
    return next
  }

  /**
   * "Download again" (the library's detail panel, `seedance library fetch`): fetch a paid video that is not in the
   * library, by its job or library id. The service decides whether it still has it; nothing is generated (or paid
   * for) again. Resolves to the job doing the download.
   */
  async fetchAgain(id: string): Promise<JobRecord> {
    const job = this.h.store.get(id)
    const entry = this.h.library().get(id) ?? this.h.library().get(job?.videoId ?? '')
    if (entry && !entry.expired) throw codedError('ALREADY_SAVED', 'This video is already in the library.')
    if (job && !FINAL_STATES.has(job.state)) return job.state === 'download-retry' ? this.retry(id) : job
    if (job && hasPaidVideo(job)) return this.downloadAgain(job)
    if (!entry) throw codedError('NOT_FOUND', `There is no video or job ${id}.`)
    if (!entry.remoteId) throw codedError('NOT_FETCHABLE', 'This video has no job at the service to download it from.')
    // The job left the queue (removed): rebuild it from the library entry, which keeps what it needs.
    const record = recordFromEntry(entry, this.h.clock.now())
    // The library does not record the endpoint; the user asks its door as reachable now, explicitly.
    const route = this.h.route(record)
    if ('held' in route) throw codedError('PROVIDER_UNAVAILABLE', route.held)
    record.service = route.service
    await this.h.store.add(record, 'fetching its video again')
    this.h.saving.start(record)
    return record
  }

  /**
   * Account sync: finished jobs in a door's account that this journal does not know (made on the web or on another
   * machine) are imported into the library while their links are still valid. Only where the provider can list.
   */
  async importFromAccount(
    door: GenerationRequest['provider'] = 'seedance',
  ): Promise<{ found: number; imported: number }> {
    const route = this.h.route(doorProbe(door, this.h.clock.now()))
    if ('held' in route) throw codedError('PROVIDER_UNAVAILABLE', route.held)
    if (!route.provider.list)
      throw codedError(
        'NOT_SUPPORTED',
        `${route.provider.info.label} cannot list its jobs, so there is nothing to import.`,
      )
    const remote = await finishedRemoteJobs(route.provider)
    const known = new Set<string>()
    for (const j of this.h.store.values()) if (j.remoteId) known.add(j.remoteId)
    for (const e of this.h.library().all()) if (e.remoteId) known.add(e.remoteId)
    let imported = 0
    for (const r of remote) {
      if (known.has(r.remoteId) || !r.videoUrl) continue
      const job = importedJob(route.provider, route.service, r, this.h.clock.now())
      await this.h.store.add(job, 'imported from the account')
      await this.h.sync.apply(job, r, route)
      imported += 1
    }
    return { found: remote.length, imported }
  }
}
