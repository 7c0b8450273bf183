import { useMemo, useState } from 'react'
import { mediaUrl } from '../../../../electron/shared/media'
import type { LibraryEntry } from '../../../../electron/shared/model'
import { findModel, isProviderId } from '../../../../electron/shared/providers'
import { sequenceOf } from '../../../../electron/shared/sequence'
import { AppError, call } from '../../bridge'
import { useEngine } from '../../stores/engine'
import { useLibrary } from '../../stores/library'
import { useUi } from '../../stores/ui'
import { continueFrom } from './continue'
import { SequencePlayer } from './SequencePlayer'

const message = (e: unknown) => (e instanceof AppError ? e.message : String(e))

/**
 * The detail panel's sequence block (issue 11): "Continue from last frame", and when the video belongs to a
 * sequence, its clips in order (the one shown marked), played back to back or exported as one MP4.
 */
export function SequencePanel({ entry }: { entry: LibraryEntry }) {
  const entries = useLibrary((s) => s.entries)
  const base = useEngine((s) => s.status?.mediaBase)
  const openDetail = useUi((s) => s.openDetail)
  const clips = useMemo(() => sequenceOf(entries, entry.id), [entries, entry.id])
  const [busy, setBusy] = useState<'continue' | 'export' | null>(null)
  // What the last action said, about the video it was taken on (the panel stays when another clip is opened).
  const [said, setStatus] = useState<{ ok: boolean; text: string; id: string } | null>(null)
  const status = said?.id === entry.id ? said : null
  const [playing, setPlaying] = useState(false)
  const total = clips.reduce((n, c) => n + c.duration, 0)
  const playable = clips.every((c) => !c.expired && !c.missing)
  // A model that cannot start from an image cannot continue a video: said here, before anything is sent.
  const model =
    entry.provider && isProviderId(entry.provider) ? findModel(entry.provider, entry.model ?? '') : undefined
  const refused = model && !model.modes.includes('first-frame') ? `${model.label} cannot start from an image.` : null

  const run = async (what: 'continue' | 'export', work: () => Promise<string | null>) => {
    setBusy(what)
    setStatus(null)
    try {
      const text = await work()
      if (text) setStatus({ ok: true, text, id: entry.id })
    } catch (e) {
      setStatus({ ok: false, text: message(e), id: entry.id })
    } finally {
      setBusy(null)
    }
  }

  return (
    <section className="sequence" aria-label="Sequence" data-testid="sequence">
      <div className="sequence-actions">
        <button
          type="button"
          disabled={busy !== null || entry.expired || entry.missing || refused !== null}
          title={refused ?? undefined}
          onClick={() =>
            void run('continue', async () => {
              const { joined } = await continueFrom(entry.id)
              return joined
                ? 'This continuation is already being made.'
                : 'Continuing from the last frame: the new clip joins this sequence when it is done.'
            })
          }
        >
          {busy === 'continue' ? 'Taking the last frame…' : 'Continue from last frame'}
        </button>
        {clips.length > 1 && (
          <>
            <button type="button" disabled={!playable} onClick={() => setPlaying(true)}>
              Play sequence
            </button>
            <button
              type="button"
              disabled={busy !== null || !playable}
              onClick={() =>
                void run('export', async () => {
                  const { exported } = await call('library:export-sequence', { id: entry.id })
                  if (!exported) return null
                  const how = exported.method === 'copy' ? 'without re-encoding' : `re-encoded (${exported.reason})`
                  return `Exported ${exported.clips} clips, ${exported.durationSeconds.toFixed(1)} s, ${how}: ${exported.file}`
                })
              }
            >
              {busy === 'export' ? 'Exporting…' : 'Export sequence…'}
            </button>
          </>
        )}
      </div>
      {refused && <p className="muted small">{refused} Reuse its settings with a model that makes image-to-video.</p>}
      {status && (
        <p className={status.ok ? 'muted small' : 'field-error'} role="status" data-testid="sequence-status">
          {status.text}
        </p>
      )}
      {clips.length > 1 && (
        <>
          <p className="muted small" data-testid="sequence-summary">
            Sequence: {clips.length} clips, {total} s
          </p>
          <ol className="sequence-strip" aria-label="Clips of the sequence">
            {clips.map((c, i) => (
              <li key={c.id}>
                <button
                  type="button"
                  aria-current={c.id === entry.id ? 'true' : undefined}
                  aria-label={`Clip ${i + 1}: ${c.title}`}
                  title={c.prompt}
                  onClick={() => openDetail(c.id)}
                  data-testid="sequence-clip"
                >
                  {c.thumbnail ? (
                    <img src={mediaUrl('thumbs', c.thumbnail, base)} alt="" />
                  ) : (
                    <span className="blank" />
                  )}
                  <span className="sequence-number">{i + 1}</span>
                </button>
              </li>
            ))}
          </ol>
        </>
      )}
      {playing && <SequencePlayer clips={clips} onClose={() => setPlaying(false)} />}
    </section>
  )
}
