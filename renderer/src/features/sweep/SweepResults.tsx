// The sweep last queued: its jobs as they finish, and "Open in compare" with the videos labelled by what varied.
import type { SweepSubmitted } from '../../../../electron/shared/sweep'
import { useJobs } from '../../stores/jobs'
import { sweepPending, sweepVideos } from './sweep-form'

const STATUS = { queued: 'Queued', joined: 'Already in the queue', exists: 'In library', refused: 'Refused' } as const

export function SweepResults({
  result,
  onCompare,
}: {
  result: SweepSubmitted
  onCompare?: (ids: string[], labels?: Record<string, string>) => void
}) {
  const jobs = useJobs((s) => s.byId)
  const videos = sweepVideos(result, jobs)
  const pending = sweepPending(result, jobs)
  const made = result.cells.filter((c) => c.status !== 'refused').length
  return (
    <div className="sweep-results" data-testid="sweep-results" aria-live="polite">
      <p>
        <strong>
          {videos.length} of {made} videos ready
        </strong>
        {pending > 0 ? ` · ${pending} still being made` : ''}
      </p>
      <ul className="sweep-cells">
        {result.cells.map((c) => {
          const job = c.jobId ? jobs[c.jobId] : undefined
          const state = job ? job.state : null
          return (
            <li key={c.index} className={c.status}>
              <span>{c.label}</span>{' '}
              <span className="muted small">
                {state === 'done' || c.status === 'exists'
                  ? 'Ready'
                  : state === 'failed'
                    ? `Failed: ${job?.error?.message ?? ''}`
                    : state
                      ? `${STATUS[c.status]} · ${state}`
                      : `${STATUS[c.status]}${c.message && c.status === 'refused' ? `: ${c.message}` : ''}`}
              </span>
            </li>
          )
        })}
      </ul>
      {onCompare && (
        <button
          type="button"
          className="primary"
          disabled={videos.length < 2}
          title={videos.length < 2 ? 'Two videos of the sweep are needed to compare.' : undefined}
          onClick={() =>
            onCompare(
              videos.map((v) => v.id),
              Object.fromEntries(videos.map((v) => [v.id, v.label])),
            )
          }
        >
          Open in compare
        </button>
      )}
    </div>
  )
}
