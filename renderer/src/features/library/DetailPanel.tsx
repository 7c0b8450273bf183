import { useState } from 'react'
import { formatBytes } from '../../../../electron/shared/format'
import { mayDownloadAgain } from '../../../../electron/shared/links'
import type { LibraryEntry } from '../../../../electron/shared/model'
import { AppError, call } from '../../bridge'
import { useComposer } from '../../stores/composer'
import { useUi } from '../../stores/ui'
import { modelLabel } from '../composer/capabilities'
import { SequencePanel } from '../sequence/SequencePanel'
import { MissingNotice } from './MissingNotice'

/** Put the video's source image back into the composer, if the app still keeps it. */
export async function reuseSourceImage(id: string): Promise<void> {
  const image = await call('library:source-image', { id })
  const { setImage } = useComposer.getState()
  if (!image) {
    setImage(null, 'The source image of this video is no longer kept; choose it again.')
    return
  }
  const data = new Uint8Array(image.data)
  const blob = new Blob([data])
  const bitmap = await createImageBitmap(blob)
  setImage({ name: image.name, data, preview: URL.createObjectURL(blob), width: bitmap.width, height: bitmap.height })
  bitmap.close()
}

export function DetailPanel({ entry }: { entry: LibraryEntry }) {
  const openDetail = useUi((s) => s.openDetail)
  const play = useUi((s) => s.play)
  const go = useUi((s) => s.go)
  const reuse = useComposer((s) => s.reuse)
  const [title, setTitle] = useState<string | null>(null)
  const [confirming, setConfirming] = useState(false)
  const [copied, setCopied] = useState(false)
  /** What "Download again" answered: started, or why not (the service's word, e.g. VIDEO_EXPIRED). */
  const [fetching, setFetching] = useState<{ ok: boolean; message: string } | null>(null)
  const canFetch = mayDownloadAgain(entry, Date.now())
  return (
    <aside className="detail" aria-label="Video details" data-testid="detail">
      <header>
        {title === null ? (
          <h3>{entry.title}</h3>
        ) : (
          <form
            onSubmit={(e) => {
              e.preventDefault()
              void call('library:rename', { id: entry.id, title }).then(() => setTitle(null))
            }}
          >
            <input aria-label="Title" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
          </form>
        )}
        <button type="button" className="quiet" aria-label="Close details" onClick={() => openDetail(null)}>
          ✕
        </button>
      </header>
      {entry.missing && <MissingNotice entry={entry} />}
      <div className="detail-actions">
        {canFetch ? (
          <button
            type="button"
            className="primary"
            onClick={() => {
              setFetching(null)
              void call('library:fetch', { id: entry.id }).then(
                () => setFetching({ ok: true, message: 'Downloading again; it appears here when saved.' }),
                (e: unknown) => setFetching({ ok: false, message: e instanceof AppError ? e.message : String(e) }),
              )
            }}
          >
            Download again
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            disabled={entry.expired || entry.missing}
            onClick={() => play(entry.id)}
          >
            Play
          </button>
        )}
        <button
          type="button"
          aria-pressed={entry.favorite}
          onClick={() => void call('library:favorite', { id: entry.id, value: !entry.favorite })}
        >
          {entry.favorite ? '★ Favourite' : '☆ Favourite'}
        </button>
        <button
          type="button"
          onClick={() => {
            reuse(entry)
            go('create')
            if (entry.mode === 'image') void reuseSourceImage(entry.id)
          }}
        >
          Reuse settings
        </button>
        <button
          type="button"
          disabled={entry.expired || entry.missing}
          onClick={() => void call('library:reveal', { id: entry.id })}
        >
          Show in folder
        </button>
        <button
          type="button"
          onClick={() =>
            void navigator.clipboard.writeText(entry.prompt).then(() => {
              setCopied(true)
              setTimeout(() => setCopied(false), 1500)
            })
          }
        >
          {copied ? 'Copied' : 'Copy prompt'}
        </button>
        <button type="button" onClick={() => setTitle(entry.title)}>
          Rename
        </button>
        {/* A missing video is removed from its notice above (there is no file to move to the trash). */}
        {entry.missing ? null : confirming ? (
          <span className="confirm" role="alert">
            Move to the trash?{' '}
            <button
              type="button"
              className="danger"
              onClick={() => void call('library:delete', { ids: [entry.id] }).then(() => openDetail(null))}
            >
              Delete
            </button>
            <button type="button" className="quiet" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </span>
        ) : (
          <button type="button" className="danger-outline" onClick={() => setConfirming(true)}>
            Delete
          </button>
        )}
      </div>
      {fetching && (
        <p className={fetching.ok ? 'muted small' : 'field-error'} role="status" data-testid="fetch-status">
          {fetching.message}
        </p>
      )}
      <SequencePanel entry={entry} />
      <dl className="facts">
        <dt>Prompt</dt>
        <dd>{entry.prompt || '—'}</dd>
        <dt>Mode</dt>
        <dd>
          {entry.mode === 'image' ? `Image to video${entry.image ? ` (${entry.image.name})` : ''}` : 'Text to video'}
        </dd>
        <dt>Made with</dt>
        <dd data-testid="detail-model">{modelLabel(entry.provider, entry.model)}</dd>
        <dt>Settings</dt>
        <dd>
          {entry.duration} s · {entry.resolution} ({entry.width}×{entry.height}) · {entry.aspectRatio}
          {entry.style ? ` · ${entry.style}` : ''}
          {entry.motionIntensity !== null ? ` · motion ${Math.round(entry.motionIntensity * 100)}%` : ''}
          {entry.seed !== null && entry.seed !== undefined ? ` · seed ${entry.seed}` : ''}
        </dd>
        <dt>Created</dt>
        <dd>{new Date(entry.createdAt).toLocaleString()}</dd>
        <dt>Size</dt>
        <dd>
          {entry.expired
            ? canFetch
              ? 'Not saved yet: the link may still be valid'
              : 'Not saved: the link expired'
            : `${formatBytes(entry.sizeBytes)}${entry.missing ? ' (file missing)' : ''}`}
        </dd>
        <dt>Credits</dt>
        <dd>{entry.credits ?? '—'}</dd>
        <dt>Job</dt>
        <dd className="path">{entry.remoteId ?? '—'}</dd>
        <dt>File</dt>
        <dd className="path">{entry.file}</dd>
      </dl>
    </aside>
  )
}
