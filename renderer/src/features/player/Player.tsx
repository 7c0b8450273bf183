import { useEffect, useRef, useState } from 'react'
import { mediaUrl } from '../../../../electron/shared/media'
import type { LibraryEntry } from '../../../../electron/shared/model'
import { useEngine } from '../../stores/engine'

/** Plays a library video from disk through the media: protocol. Space, ←/→ (5 s), L (loop), F (fullscreen). */
export function Player({ entry, onClose }: { entry: LibraryEntry; onClose(): void }) {
  const base = useEngine((s) => s.status?.mediaBase)
  const video = useRef<HTMLVideoElement>(null)
  const [loop, setLoop] = useState(true)
  useEffect(() => {
    video.current?.focus()
  }, [])
  return (
    <div
      className="player"
      role="dialog"
      aria-label={`Playing ${entry.title}`}
      onKeyDown={(e) => {
        const v = video.current
        if (!v) return
        if (e.key === 'Escape') onClose()
        else if (e.key === ' ') {
          e.preventDefault()
          if (v.paused) void v.play()
          else v.pause()
        } else if (e.key === 'ArrowRight') v.currentTime = Math.min(v.duration || 0, v.currentTime + 5)
        else if (e.key === 'ArrowLeft') v.currentTime = Math.max(0, v.currentTime - 5)
        else if (e.key.toLowerCase() === 'l') setLoop((l) => !l)
        else if (e.key.toLowerCase() === 'f')
          void (document.fullscreenElement ? document.exitFullscreen() : v.requestFullscreen())
      }}
    >
      {/* biome-ignore lint/a11y/useMediaCaption: generated videos have no speech or captions. */}
      <video
        ref={video}
        src={mediaUrl('library', entry.file, base)}
        controls
        autoPlay
        loop={loop}
        tabIndex={-1}
        data-testid="player-video"
      />
      <div className="player-bar">
        <span>{entry.title}</span>
        <label className="muted small">
          <input type="checkbox" checked={loop} onChange={(e) => setLoop(e.target.checked)} /> Loop
        </label>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  )
}
