// The one rule that answers, for a new request, "already made", "in flight, joined" or "new job", for the
// app (jobs:submit, batch:submit) and the CLI (generate, batch) alike. A request is known by its fingerprint
// (prompt + parameters + image hash, electron/core/library/fingerprint.ts). The service charges per job and
// has no cancel, so the same request is never sent twice while a job for it can still deliver the video
// (issue 9, points 1 and 2).
import { FINAL_STATES } from '../../shared/job-states'
import type { JobRecord, LibraryEntry } from '../../shared/model'
import { jobLinkMayBeValid } from './job-policy'

export type SubmitDecision =
  | { kind: 'exists'; entry: LibraryEntry }
  /** `refetch`: the job was paid for but its video not saved; it is downloaded again, not generated again. */
  | { kind: 'joined'; job: JobRecord; refetch: boolean }
  | { kind: 'new' }

export type SubmitOutcome =
  | { kind: 'exists'; entry: LibraryEntry }
  | { kind: 'joined'; job: JobRecord; refetch: boolean }
  | { kind: 'new'; job: JobRecord }

/** A failed or cancelled job whose video exists at the service and may still be downloaded. */
export function paidButNotSaved(job: JobRecord, now: number): boolean {
  // A stopped download (cancelled) counts too: its video is paid for all the same.
  return (
    (job.state === 'failed' || job.state === 'cancelled') &&
    job.error?.code !== 'JOB_FAILED' &&
    jobLinkMayBeValid(job, now)
  )
}

/**
 * In order: a job for the same request still in flight (even when forced: forcing asks for a new video,
 * not for paying twice for one being made); a paid video not yet saved; a video already in the library
 * (unless forced); else a new job.
 */
export function decideSubmission(
  fp: string,
  jobs: Iterable<JobRecord>,
  library: { findByFingerprint(fp: string): LibraryEntry | undefined },
  { force, now }: { force: boolean; now: number },
): SubmitDecision {
  let unsaved: JobRecord | null = null
  for (const job of jobs) {
    if (job.fingerprint !== fp) continue
    if (!FINAL_STATES.has(job.state)) return { kind: 'joined', job, refetch: false }
    if (!unsaved && paidButNotSaved(job, now)) unsaved = job
  }
  if (unsaved) return { kind: 'joined', job: unsaved, refetch: true }
  const entry = force ? undefined : library.findByFingerprint(fp)
  return entry ? { kind: 'exists', entry } : { kind: 'new' }
}
