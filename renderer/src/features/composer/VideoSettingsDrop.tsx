// Issue 11, point 1: drop a video the app saved (from the library, the desktop or another machine) to fill the
// composer with the settings inside it; a file with none, or not a video, says so here.
import { useRef, useState } from 'react'
import { type RestoreOutcome, restoreFromVideo } from './video-settings'

export function VideoSettingsDrop() {
  const input = useRef<HTMLInputElement>(null)
  const [over, setOver] = useState(false)
  const [busy, setBusy] = useState(false)
  const [outcome, setOutcome] = useState<RestoreOutcome | null>(null)

  async function take(file: File | undefined) {
    if (!file) return
    setBusy(true)
    try {
      setOutcome(await restoreFromVideo(file))
    } catch (error) {
      setOutcome({ ok: false, lines: [`The file could not be read: ${String(error)}`] })
    } finally {
      setBusy(false)
    }
  }

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a drop target only receives drags; keyboard users choose a file with the button inside.
    <div
      className={`video-settings-drop ${over ? 'over' : ''}`}
      data-testid="video-settings-drop"
      onDragOver={(e) => {
        if (![...e.dataTransfer.types].includes('Files')) return
        e.preventDefault()
        setOver(true)
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault()
        e.stopPropagation()
        setOver(false)
        void take(e.dataTransfer.files[0])
      }}
    >
      <p className="muted small">
        {busy ? 'Reading the video…' : 'Drop a video made with the app here to reuse its settings, or'}{' '}
        <button type="button" className="link" disabled={busy} onClick={() => input.current?.click()}>
          choose one…
        </button>
      </p>
      {outcome && (
        <div
          className={outcome.ok ? 'notice' : 'field-error'}
          role={outcome.ok ? 'status' : 'alert'}
          data-testid="video-settings-outcome"
        >
          {outcome.lines.map((line) => (
            <p key={line}>{line}</p>
          ))}
        </div>
      )}
      <input
        ref={input}
        type="file"
        accept="video/mp4,.mp4,video/quicktime,.mov"
        hidden
        aria-label="Choose a video to reuse its settings"
        onChange={(e) => {
          void take(e.target.files?.[0])
          e.target.value = ''
        }}
      />
    </div>
  )
}
