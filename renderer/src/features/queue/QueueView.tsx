import { useEffect, useState } from 'react'
import { FINAL_STATES, JOB_STATE_LABEL as LABEL, SAVING_STATES } from '../../../../electron/shared/job-states'
import { call } from '../../bridge'
import { useJobs } from '../../stores/jobs'
import { useUi } from '../../stores/ui'
import { modelLabel } from '../composer/capabilities'

function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs)
    return () => clearInterval(t)
  }, [intervalMs])
  return now
}

function seconds(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`
}

export function JobRow({ id }: { id: string }) {
  const job = useJobs((s) => s.byId[id])
  const go = useUi((s) => s.go)
  const openDetail = useUi((s) => s.openDetail)
  const now = useNow()
  if (!job) return null
  const started = job.submittedAt ?? job.createdAt
  const running = ['queued', 'processing'].includes(job.state)
  const eta = job.estimatedCompletion
  const progress =
    running && eta
      ? Math.min(0.97, (now - started) / Math.max(1, eta - started))
      : job.state === 'downloading'
        ? 0.98
        : null
  const waiting = (job.state === 'pending' || job.state === 'download-retry') && job.nextAt && job.nextAt > now
  return (
    <li className={`job state-${job.state}`} data-testid="job" data-state={job.state}>
      <div className="job-main">
        <span className="job-prompt" title={job.request.prompt}>
          {job.request.prompt}
        </span>
        <span className="job-meta muted">
          <span data-testid="job-model">{modelLabel(job.request.provider, job.request.model)}</span> ·{' '}
          {job.request.mode === 'image' ? 'Image' : 'Text'} · {job.request.duration} s · {job.request.resolution}
          {job.request.aspectRatio ? ` · ${job.request.aspectRatio}` : ''}
        </span>
        {progress !== null && (
          <div
            className="progress"
            role="progressbar"
            aria-label="Progress"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(progress * 100)}
          >
            <span style={{ width: `${progress * 100}%` }} />
          </div>
        )}
        {job.error && (
          <span className="field-error" data-testid="job-error">
            {job.error.message} <span className="code">({job.error.code})</span>
          </span>
        )}
        {job.note && !job.error && <span className="muted small">{job.note}</span>}
      </div>
      <div className="job-side">
        <span className={`pill ${job.state}`}>{LABEL[job.state]}</span>
        <span className="muted small" data-testid="job-time">
          {waiting && job.nextAt
            ? `retry in ${seconds(job.nextAt - now)}`
            : running && eta
              ? eta > now
                ? `~${seconds(eta - now)} left`
                : 'any moment'
              : job.state === 'done' && job.completedAt
                ? `took ${seconds(job.completedAt - started)}`
                : `${seconds(now - job.createdAt)} ago`}
        </span>
        <div className="job-actions">
          {job.state === 'done' && job.videoId && (
            <button
              type="button"
              onClick={() => {
                openDetail(job.videoId)
                go('library')
              }}
            >
              Open
            </button>
          )}
          {job.state === 'download-retry' && (
            <button type="button" onClick={() => void call('jobs:retry', { id: job.id })}>
              Download now
            </button>
          )}
          {(job.state === 'failed' || job.state === 'cancelled') && (
            <button type="button" onClick={() => void call('jobs:retry', { id: job.id })}>
              {/* A paid video still at the service is downloaded again, never generated (paid) again. */}
              {job.output && job.remoteId && job.error?.code !== 'JOB_FAILED' ? 'Download again' : 'Retry'}
            </button>
          )}
          {FINAL_STATES.has(job.state) && (
            <button
              type="button"
              className="quiet"
              aria-label={`Remove “${job.request.prompt}” from the queue`}
              onClick={() => void call('jobs:remove', { id: job.id })}
            >
              Remove
            </button>
          )}
          {!FINAL_STATES.has(job.state) && (
            <button
              type="button"
              className="quiet"
              // The video is paid for once it is being saved: this only stops the download, and "Download
              // again" fetches it later without paying again (while the service keeps it).
              title={
                SAVING_STATES.has(job.state) ? 'The video is paid for; you can download it again later.' : undefined
              }
              onClick={() => void call('jobs:cancel', { id: job.id })}
            >
              {SAVING_STATES.has(job.state) ? 'Stop download' : 'Cancel'}
            </button>
          )}
        </div>
      </div>
    </li>
  )
}

export function QueueView() {
  const ids = useJobs((s) => s.ids)
  const byId = useJobs((s) => s.byId)
  const finished = ids.filter((id) => FINAL_STATES.has(byId[id]?.state ?? 'pending'))
  const go = useUi((s) => s.go)
  if (ids.length === 0) {
    return (
      <section className="empty" aria-labelledby="queue-title">
        <h2 id="queue-title">No videos in the queue</h2>
        <p className="muted">Jobs you start appear here, keep running in the background, and land in your library.</p>
        <button type="button" className="primary" onClick={() => go('create')}>
          Create a video
        </button>
      </section>
    )
  }
  return (
    <section aria-labelledby="queue-title">
      <div className="toolbar">
        <h2 id="queue-title" className="view-title">
          Queue
        </h2>
        {finished.length > 0 && (
          <button
            type="button"
            className="quiet"
            onClick={() => void Promise.all(finished.map((id) => call('jobs:remove', { id })))}
          >
            Clear finished ({finished.length})
          </button>
        )}
      </div>
      <ul className="jobs">
        {ids.map((id) => (
          <JobRow key={id} id={id} />
        ))}
      </ul>
    </section>
  )
}
