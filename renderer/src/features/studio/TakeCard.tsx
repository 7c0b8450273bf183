import { useEffect, useState } from 'react'
import { mediaUrl } from '../../../../electron/shared/media'
import type { LibraryEntry } from '../../../../electron/shared/model'
import { call } from '../../bridge'
import { useComposer } from '../../stores/composer'
import { useEngine } from '../../stores/engine'
import { useJobs } from '../../stores/jobs'
import { useLibrary } from '../../stores/library'
import { useUi } from '../../stores/ui'
import { modelLabel } from '../composer/capabilities'
import { reuseSourceImage } from '../library/DetailPanel'
import { useStudio } from './session'
import { isSettled, placeInLine, takeCost, takeStatus } from './takes'

/** The time, ticking each second while `live` (a take still moving), still otherwise. */
function useNow(live: boolean, clock: () => number): number {
  const [now, setNow] = useState(clock)
  useEffect(() => {
    if (!live) return
    setNow(clock())
    const t = setInterval(() => setNow(clock()), 1000)
    return () => clearInterval(t)
  }, [live, clock])
  return now
}

/** The saved video of a job, from the library mirror (null until it is saved). */
function useTakeEntry(videoId: string | null): LibraryEntry | null {
  return useLibrary((s) => (videoId ? (s.entries.find((e) => e.id === videoId) ?? null) : null))
}

export interface TakeCardProps {
  id: string
  /** Its number in the session (Take 1 is the first made). */
  index: number
  clock?: () => number
  /** Continue from its last frame; a rejection is shown on the card (e.g. the frame could not be taken). */
  onContinue?: (id: string) => unknown
  /** Compare is offered (the view opens it for the picked takes). */
  comparable?: boolean
}

/** One take of the session: its video once saved (before that, its progress), cost and one-click actions. */
export function TakeCard({ id, index, clock = Date.now, onContinue, comparable = false }: TakeCardProps) {
  const job = useJobs((s) => s.byId[id])
  const live = job !== undefined && !isSettled(job)
  const now = useNow(live, clock)
  const ahead = useJobs((s) => {
    const j = s.byId[id]
    return j ? placeInLine(j, s.byId, now) : null
  })
  const entry = useTakeEntry(job?.videoId ?? null)
  const base = useEngine((s) => s.status?.mediaBase)
  const picked = useStudio((s) => s.picked.includes(id))
  const togglePick = useStudio((s) => s.togglePick)
  const go = useUi((s) => s.go)
  const openDetail = useUi((s) => s.openDetail)
  const reuse = useComposer((s) => s.reuse)
  const [continuing, setContinuing] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null })
  if (!job) return null
  const r = job.request
  const status = takeStatus(job, now, ahead)
  const cost = takeCost(job, entry)
  const playable = entry !== null && !entry.expired && !entry.missing
  const name = `Take ${index}`
  return (
    <li className={`take state-${job.state}`} data-testid="take" data-state={job.state} aria-label={name}>
      <div className="take-media">
        {playable ? (
          // biome-ignore lint/a11y/useMediaCaption: generated videos have no speech or captions.
          <video
            src={mediaUrl('library', entry.file, base)}
            poster={entry.thumbnail ? mediaUrl('thumbs', entry.thumbnail, base) : undefined}
            controls
            loop
            playsInline
            preload="metadata"
            aria-label={`${name}: ${r.prompt}`}
            data-testid="take-video"
          />
        ) : (
          <div className="take-stage">
            <span className={`pill ${job.state}`}>{status.phase}</span>
            {job.error ? (
              <span className="take-error" data-testid="take-error">
                {job.error.message} <span className="code">({job.error.code})</span>
              </span>
            ) : (
              <span className="take-stage-line" data-testid="take-progress-text">
                {[status.eta, status.wait, status.position].filter(Boolean).join(' · ') ||
                  (entry?.expired ? 'The link expired before the video was saved.' : (job.note ?? ''))}
              </span>
            )}
            {status.progress !== null && (
              <div
                className="progress"
                role="progressbar"
                aria-label={`${name} progress`}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={Math.round(status.progress * 100)}
              >
                <span style={{ width: `${status.progress * 100}%` }} />
              </div>
            )}
          </div>
        )}
      </div>
      <div className="take-body">
        <p className="take-prompt" title={r.prompt}>
          <span className="take-number">{name}</span> {r.prompt}
        </p>
        <p className="take-meta muted small">
          <span className="take-facts">
            {modelLabel(r.provider, r.model)} · {r.duration} s · {r.resolution}
            {r.aspectRatio ? ` · ${r.aspectRatio}` : ''}
          </span>
          <span
            className="take-cost"
            data-testid="take-cost"
            title={cost.actual ? 'As the service reported' : 'Estimate'}
          >
            {cost.amount}
            {cost.usd ? ` · ${cost.usd}` : ''}
          </span>
        </p>
        {playable && (
          <p className="take-meta muted small" data-testid="take-status">
            <span>{status.phase}</span>
            {job.completedAt && job.submittedAt ? (
              <span>made in {Math.round((job.completedAt - job.submittedAt) / 1000)} s</span>
            ) : null}
          </p>
        )}
        <div className="take-actions">
          <button
            type="button"
            disabled={!entry}
            title={entry ? 'Load its settings into the composer' : 'Available once the video is saved'}
            onClick={() => {
              if (!entry) return
              reuse(entry)
              if (entry.mode === 'image') void reuseSourceImage(entry.id)
            }}
          >
            Reuse
          </button>
          {onContinue && (
            <button
              type="button"
              disabled={!playable || continuing.busy}
              title="Continue from its last frame, with the same settings: a new take"
              onClick={async () => {
                if (!entry) return
                setContinuing({ busy: true, error: null })
                try {
                  await onContinue(entry.id)
                  setContinuing({ busy: false, error: null })
                } catch (error) {
                  setContinuing({ busy: false, error: error instanceof Error ? error.message : String(error) })
                }
              }}
            >
              {continuing.busy ? 'Continuing…' : 'Continue'}
            </button>
          )}
          {comparable && (
            <button type="button" aria-pressed={picked} disabled={!playable} onClick={() => togglePick(id)}>
              {picked ? 'Comparing' : 'Compare'}
            </button>
          )}
          <button
            type="button"
            aria-pressed={entry?.favorite ?? false}
            disabled={!entry}
            title="Keep it: marks it a favourite in the library"
            onClick={() => entry && void call('library:favorite', { id: entry.id, value: !entry.favorite })}
          >
            {entry?.favorite ? '★ Kept' : '☆ Keep'}
          </button>
          <button
            type="button"
            className="quiet"
            disabled={!entry}
            onClick={() => {
              if (!entry) return
              openDetail(entry.id)
              go('library')
            }}
          >
            Open in library
          </button>
        </div>
        {continuing.error && (
          <p className="take-error small" role="alert">
            {continuing.error}
          </p>
        )}
      </div>
    </li>
  )
}
