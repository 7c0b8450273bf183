import { useEffect, useRef, useState } from 'react'
import { AppError, call } from '../../bridge'

/**
 * "Keep one": the chosen take becomes a favourite and the others go to the OS trash, in one step, after this
 * confirmation (library:delete moves files to the trash, so they can be restored from there).
 */
export function KeepOne({
  keep,
  others,
  onCancel,
  onDone,
}: {
  keep: { id: string; label: string; letter: string }
  others: string[]
  onCancel(): void
  onDone(): void
}) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const cancel = useRef<HTMLButtonElement>(null)
  useEffect(() => cancel.current?.focus(), [])
  const n = others.length
  return (
    <div className="compare-backdrop">
      <div
        className="compare-confirm"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="keep-title"
        aria-describedby="keep-body"
        onKeyDown={(e) => {
          // The dialog's keys are its own: Space and arrows must not drive the transport behind it.
          e.stopPropagation()
          if (e.key === 'Escape') onCancel()
        }}
      >
        <h3 id="keep-title">
          Keep {keep.letter}, trash the other {n === 1 ? 'take' : n}?
        </h3>
        <p id="keep-body">
          “{keep.label}” is marked as a favourite, and the other {n === 1 ? 'take' : `${n} takes`}{' '}
          {n === 1 ? 'is' : 'are'} moved to the trash. You can restore {n === 1 ? 'it' : 'them'} from the system trash.
        </p>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="compare-confirm-actions">
          <button type="button" ref={cancel} disabled={busy} onClick={onCancel}>
            Cancel
          </button>
          <button
            type="button"
            className="danger-outline"
            disabled={busy}
            onClick={() => {
              setBusy(true)
              setError(null)
              // Favourite first: if it fails, nothing has been trashed.
              call('library:favorite', { id: keep.id, value: true })
                .then(() => call('library:delete', { ids: others }))
                .then(onDone, (e: unknown) => {
                  setBusy(false)
                  setError(e instanceof AppError ? `${e.message} (${e.code})` : String(e))
                })
            }}
          >
            Keep it, move {n} to trash
          </button>
        </div>
      </div>
    </div>
  )
}
