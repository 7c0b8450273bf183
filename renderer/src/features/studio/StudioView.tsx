// The Create view as a studio (issue 11, point 7): the composer beside the takes of the current session as they
// arrive, each with its progress, then its video, and one click to reuse, continue, compare or keep it. The Queue
// and the Library stay for the whole history.
import { useMemo } from 'react'
import { useJobs } from '../../stores/jobs'
import { BatchImport } from '../composer/BatchImport'
import { Composer } from '../composer/Composer'
import { Sweep } from '../sweep/Sweep'
import { useStudio } from './session'
import { TakeCard } from './TakeCard'
import { sessionTakeIds, takeLabel } from './takes'
import './studio.css'

export interface StudioViewProps {
  /** Continue a saved take from its last frame (by library entry id); the button is hidden without it. */
  onContinue?: (id: string) => unknown
  /** Open the compare view on saved takes (library entry ids), labelled; the Compare buttons are hidden without it. */
  onCompare?: (ids: string[], labels?: Record<string, string>) => void
  /** The time, for tests. */
  clock?: () => number
}

/** A list of ids read from the jobs mirror as one string, so the view renders again only when the list changes. */
function useIdList(select: (s: ReturnType<typeof useJobs.getState>) => string[]): string[] {
  const key = useJobs((s) => select(s).join(' '))
  return useMemo(() => (key === '' ? [] : key.split(' ')), [key])
}

export function StudioView({ onContinue, onCompare, clock }: StudioViewProps) {
  const since = useStudio((s) => s.since)
  const picked = useStudio((s) => s.picked)
  const clear = useStudio((s) => s.clear)
  const clearPicks = useStudio((s) => s.clearPicks)
  // The session's takes, newest first (a narrow read of the jobs mirror).
  const takeIds = useIdList((s) => sessionTakeIds(s.ids, s.byId, since))
  // Picked takes still in the session with a saved video, in the order picked.
  const comparable = useIdList((s) =>
    picked.filter((id) => {
      const j = s.byId[id]
      return j !== undefined && j.videoId !== null && j.createdAt >= since
    }),
  )
  const canCompare = comparable.length >= 2 && comparable.length <= 4
  return (
    <section className="studio" aria-labelledby="create-title">
      <div className="studio-compose">
        <h2 id="create-title" className="view-title">
          Create
        </h2>
        <Composer />
        <BatchImport />
      </div>
      <section className="studio-takes" aria-labelledby="takes-title" data-testid="takes">
        <div className="takes-head">
          <h2 id="takes-title" className="view-title">
            Takes <span className="muted small">{takeIds.length > 0 ? `${takeIds.length} this session` : ''}</span>
          </h2>
          {onCompare && comparable.length > 0 && (
            <>
              <button
                type="button"
                className="primary"
                disabled={!canCompare}
                title={canCompare ? undefined : 'Pick two to four saved takes'}
                onClick={() => {
                  const { byId } = useJobs.getState()
                  const labels: Record<string, string> = {}
                  const ids = comparable.map((jobId) => {
                    const j = byId[jobId]
                    const id = j?.videoId ?? jobId
                    if (j) labels[id] = takeLabel(j, takeIds.length - takeIds.indexOf(jobId))
                    return id
                  })
                  onCompare(ids, labels)
                  clearPicks()
                }}
              >
                Compare {comparable.length}
              </button>
              <button type="button" className="quiet" onClick={clearPicks}>
                Unpick
              </button>
            </>
          )}
          {takeIds.length > 0 && (
            <button
              type="button"
              className="quiet"
              title="Hide these takes here; they stay in the Queue and the Library"
              onClick={() => clear((clock ?? Date.now)())}
            >
              Clear
            </button>
          )}
        </div>
        {takeIds.length === 0 ? (
          <p className="takes-empty muted">
            Each video you generate appears here as a take: its progress while it is made, then the video itself.
            Everything you made before stays in the Queue and the Library.
          </p>
        ) : (
          <ul className="takes">
            {takeIds.map((id, i) => (
              <TakeCard
                key={id}
                id={id}
                index={takeIds.length - i}
                clock={clock}
                onContinue={onContinue}
                comparable={onCompare !== undefined}
              />
            ))}
          </ul>
        )}
      </section>
      {/* A sweep's axes and its preview table need the whole width, not the composer's column. */}
      <div className="studio-sweep">
        <Sweep onCompare={onCompare} />
      </div>
    </section>
  )
}
