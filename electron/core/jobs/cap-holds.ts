// Budget (issue 11 point 5), the job manager's side: before a waiting job is sent, the spending caps are asked
// (SendGate, kept by core/budget); a door whose next job would pass one waits whole (a smaller job behind it does
// not jump ahead), its waiting jobs say so in their note, and the pause (BUDGET_CAP) is what the engine's status
// and a CLI run report. Worked out again on every pass, so a raised cap, a released hold or a new day lets it go.
import type { JobRecord } from '../../shared/model'
import type { ProviderId } from '../../shared/providers'
import type { JobStore } from './job-store'

export interface PauseReason {
  code: string
  message: string
}

/** Whether a waiting job may be sent now, and which doors wait for a cap after each pass. */
export interface SendGate {
  /** Why the job may not be sent now; `note` is the short line its queue row shows. */
  check(job: JobRecord): (PauseReason & { note?: string }) | null
  held(doors: readonly ProviderId[]): void
}

/** Every note this file writes starts so, so one left in the journal by an earlier run is cleared too. */
export const CAP_NOTE_PREFIX = 'Held by a spending cap'

export class CapHolds {
  private readonly capped = new Map<ProviderId, PauseReason & { note?: string }>()
  private readonly listeners = new Set<() => void>()

  constructor(
    private readonly gate: SendGate | undefined,
    private readonly store: JobStore,
  ) {}

  /** The first door waiting for a cap, and why. */
  get first(): PauseReason | null {
    const reason = this.capped.values().next().value
    return reason ? { code: reason.code, message: reason.message } : null
  }

  has(door: ProviderId): boolean {
    return this.capped.has(door)
  }

  /** Called when the set of held doors changes (a CLI waiting for its jobs learns it is held). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** The scheduler's question for one waiting job: held by a cap (its door already is, or it would pass one)? */
  blocks(job: JobRecord): boolean {
    const door = job.request.provider
    if (this.capped.has(door)) return true
    const reason = this.gate?.check(job) ?? null
    if (reason) this.capped.set(door, reason)
    return reason !== null
  }

  /** One submission pass: the held doors are worked out afresh while `submit` runs, then told and shown. */
  async pass(submit: () => Promise<void>): Promise<void> {
    if (!this.gate) return submit()
    const before = [...this.capped.keys()].join()
    this.capped.clear()
    await submit()
    this.gate.held([...this.capped.keys()])
    if ([...this.capped.keys()].join() !== before) for (const l of this.listeners) l()
    await this.showNotes()
  }

  private async showNotes(): Promise<void> {
    for (const job of [...this.store.values()]) {
      if (job.state !== 'pending') continue
      const reason = this.capped.get(job.request.provider)
      const note = reason ? `${CAP_NOTE_PREFIX}: ${reason.note ?? reason.message}` : null
      const ours = job.note?.startsWith(CAP_NOTE_PREFIX) ?? false
      if (note !== null && job.note !== note) await this.store.transition(job, { note })
      else if (note === null && ours) await this.store.transition(job, { note: null })
    }
  }
}
