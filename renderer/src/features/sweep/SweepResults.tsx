// The sweep last queued: its jobs as they finish, and "Open in compare" with the videos labelled by what varied.
import { useState } from 'react'
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
  // The compare view shows two to four takes: a bigger sweep picks which (the ready cells' checkboxes).
  const [picked, setPicked] = useState<string[]>([])
  const chosen = picked.length > 0 ? videos.filter((v) => picked.includes(v.id)) : videos
  const canCompare = chosen.length >= 2 && chosen.length <= 4
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
          const videoId = c.videoId ?? (state === 'done' ? (job?.videoId ?? null) : null)
          return (
            <li key={c.index} className={c.status}>
              {onCompare && videoId && videos.length > 4 && (
                <input
                  type="checkbox"
                  aria-label={`Compare ${c.label}`}
                  checked={picked.includes(videoId)}
                  onChange={(e) =>
                    setPicked((p) => (e.target.checked ? [...p, videoId] : p.filter((x) => x !== videoId)))
                  }
                />
              )}{' '}
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
          disabled={!canCompare}
          title={
            videos.length < 2
              ? 'Two videos of the sweep are needed to compare.'
              : canCompare
                ? undefined
                : 'Tick two to four videos to compare side by side.'
          }
          onClick={() =>
            onCompare(
              chosen.map((v) => v.id),
              Object.fromEntries(chosen.map((v) => [v.id, v.label])),
            )
          }
        >
          Open in compare{picked.length > 0 ? ` (${chosen.length})` : ''}
        </button>
      )}
    </div>
  )
}
