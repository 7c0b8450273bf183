// What each job state means, written once (HOUSE-STYLE: shared/job-states.ts) for the engine, the CLI, main
// and the renderer. Pure TypeScript.
import type { JobState } from './model'

/** How each state reads in the app (the CLI lower-cases it). */
export const JOB_STATE_LABEL: Record<JobState, string> = {
  pending: 'Waiting',
  submitting: 'Submitting',
  queued: 'Queued',
  processing: 'Generating',
  downloading: 'Downloading',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
  'outcome-unknown': 'Checking',
  'download-retry': 'Download waiting',
}

/** Nothing more happens to the job by itself. */
export const FINAL_STATES: ReadonlySet<JobState> = new Set<JobState>(['done', 'failed', 'cancelled'])

/** States that hold one of the service's concurrent-job slots (the service is working on it, or may be). */
export const SLOT_STATES: ReadonlySet<JobState> = new Set<JobState>([
  'submitting',
  'queued',
  'processing',
  'outcome-unknown',
])

/**
 * Every state in which a job may still be sent or deliver a paid video (anything not final): while one exists,
 * the service must not change under it, and the app counts it as active.
 */
export const BUSY_STATES: ReadonlySet<JobState> = new Set<JobState>(
  (Object.keys(JOB_STATE_LABEL) as JobState[]).filter((s) => !FINAL_STATES.has(s)),
)

/** Busy states whose next step waits for a time (nextAt): the job loop wakes for them. */
export const TIMED_STATES: ReadonlySet<JobState> = new Set<JobState>(
  [...BUSY_STATES].filter((s) => s !== 'submitting' && s !== 'downloading'),
)

/** The states in which the video is paid for and being saved: stopping now may lose a paid video. */
export const SAVING_STATES: ReadonlySet<JobState> = new Set<JobState>(['downloading', 'download-retry'])

export const isFinal = (state: JobState): boolean => FINAL_STATES.has(state)
export const isBusy = (state: JobState): boolean => BUSY_STATES.has(state)
