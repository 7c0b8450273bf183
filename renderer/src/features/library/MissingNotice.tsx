import { useState } from 'react'
import type { LibraryEntry } from '../../../../electron/shared/model'
import { AppError, call } from '../../bridge'
import { useUi } from '../../stores/ui'

/**
 * For a video whose file is not in the library folder (a drive not connected, a sync not finished): its details
 * are kept. Locate… asks main to show the OS file dialog (the renderer never names a path); Remove forgets it.
 */
export function MissingNotice({ entry }: { entry: LibraryEntry }) {
  const openDetail = useUi((s) => s.openDetail)
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<string | null>(null)
  const [confirming, setConfirming] = useState(false)
  const locate = async () => {
    setBusy(true)
    setMessage(null)
    try {
      const result = await call('library:locate', { id: entry.id })
      if (result?.how === 'copied') setMessage('Copied into the library folder; the original stays where it was.')
    } catch (error) {
      setMessage(error instanceof AppError ? error.message : String(error))
    } finally {
      setBusy(false)
    }
  }
  return (
    <div className="notice missing-notice" role="status" data-testid="missing-notice">
      <p>
        <strong>The video file is missing.</strong> {entry.file} is not in the library folder: the drive may not be
        connected, or a synced folder may still be downloading it. Its details are kept.
      </p>
      <div className="detail-actions">
        <button type="button" className="primary" disabled={busy} onClick={() => void locate()}>
          {busy ? 'Locating…' : 'Locate…'}
        </button>
        {confirming ? (
          <span className="confirm" role="alert">
            Remove its details from the library?{' '}
            <button
              type="button"
              className="danger"
              onClick={() => void call('library:delete', { ids: [entry.id] }).then(() => openDetail(null))}
            >
              Remove
            </button>
            <button type="button" className="quiet" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </span>
        ) : (
          <button type="button" className="danger-outline" onClick={() => setConfirming(true)}>
            Remove
          </button>
        )}
      </div>
      {message && (
        <p className="small" role="alert">
          {message}
        </p>
      )}
    </div>
  )
}
