// Jobs that must wait instead of being asked at a service: their door cannot be reached now (route.ts `held`: no key
// for it, key bound elsewhere, another service connected), or they come from an older journal that did not record
// their service and the one asked does not know them. A held job is never failed nor sent again for it (round-2
// review of issue 9: a Cloud job polled on the Sandbox was resubmitted or called expired); its note says what it
// waits for, and is cleared once it can be reached again.
import { BUSY_STATES, FINAL_STATES } from '../../shared/job-states'
import type { JobRecord } from '../../shared/model'
import { waitingNote } from './job-policy'
import type { JobStore } from './job-store'
import type { RouteJob } from './route'

export class Holds {
  /** Jobs of an older journal (service not recorded) that the service asked does not know. */
  private readonly missedUnknown = new Set<string>()
  /** The note each held job shows, so it is cleared (and only it) once the job can be reached again. */
  private readonly shown = new Map<string, string>()

  constructor(
    private readonly route: RouteJob,
    private readonly store: JobStore,
  ) {}

  /** Why a job cannot be asked at its service now, or null. */
  note(job: JobRecord): string | null {
    if (job.state === 'submitting' || FINAL_STATES.has(job.state)) return null
    const route = this.route(job)
    if ('held' in route) return route.held
    if (job.state !== 'pending' && this.missedUnknown.has(job.id)) return waitingNote(job, route.service)
    return null
  }

  /** An older journal's job (service unknown) that the service asked does not know: held from now on, its note. */
  missed(job: JobRecord): string | null {
    if (job.service) return null
    const route = this.route(job)
    if ('held' in route) return route.held
    this.missedUnknown.add(job.id)
    return waitingNote(job, route.service)
  }

  /** Show on each held job what it waits for, and clear that once it can be reached again. */
  async show(): Promise<void> {
    for (const j of [...this.store.values()]) {
      if (!BUSY_STATES.has(j.state)) continue
      const hold = this.note(j)
      const shown = this.shown.get(j.id)
      if (hold !== null && j.note !== hold) {
        this.shown.set(j.id, hold)
        await this.store.transition(j, { note: hold })
      } else if (hold === null && shown !== undefined) {
        this.shown.delete(j.id)
        if (j.note === shown) await this.store.transition(j, { note: null })
      }
    }
  }
}
