// Native touches, as small services over injected Electron objects: a notification when a job finishes
// (click opens it), the dock/taskbar badge with the number of active jobs, and the OS theme source.
import { BUSY_STATES } from '../shared/job-states'
import type { JobRecord } from '../shared/model'

export interface NotificationLike {
  on(event: 'click', listener: () => void): unknown
  show(): void
}
export type NotificationCtor = new (options: { title: string; body: string; silent?: boolean }) => NotificationLike

/** Active: any job not final (shared/job-states.ts). */
const ACTIVE = BUSY_STATES

/** Notify once when a job reaches done or failed (if notifications are on); a click opens it. */
export function createJobNotifier(deps: {
  Notification: NotificationCtor
  supported: () => boolean
  enabled: () => boolean
  open: (job: JobRecord) => void
}): (job: JobRecord) => void {
  const last = new Map<string, JobRecord['state']>()
  return (job) => {
    const before = last.get(job.id)
    last.set(job.id, job.state)
    if (before === job.state || (job.state !== 'done' && job.state !== 'failed')) return
    if (before === undefined || !ACTIVE.has(before)) return // only transitions we saw happen, not old jobs on start
    if (!deps.enabled() || !deps.supported()) return
    const prompt = job.request.prompt.length > 80 ? `${job.request.prompt.slice(0, 79)}…` : job.request.prompt
    const n = new deps.Notification(
      job.state === 'done'
        ? { title: 'Video ready', body: prompt }
        : { title: 'Video failed', body: `${prompt}\n${job.error?.message ?? ''}`.trim() },
    )
    n.on('click', () => deps.open(job))
    n.show()
  }
}

/** Keep the dock (macOS) / launcher (Linux) badge at the number of active jobs. */
export function createBadgeUpdater(setBadgeCount: (n: number) => unknown): (jobs: readonly JobRecord[]) => void {
  let shown = -1
  return (jobs) => {
    const active = jobs.filter((j) => ACTIVE.has(j.state)).length
    if (active !== shown) {
      shown = active
      setBadgeCount(active)
    }
  }
}

/** Settings' theme drives Chromium's prefers-color-scheme through nativeTheme.themeSource. */
export function applyTheme(
  nativeTheme: { themeSource: 'system' | 'light' | 'dark' },
  theme: 'system' | 'light' | 'dark',
): void {
  nativeTheme.themeSource = theme
}
