import { useEffect, useRef, useState } from 'react'
import { mediaUrl } from '../../../../electron/shared/media'
import type { LibraryEntry } from '../../../../electron/shared/model'
import { useEngine } from '../../stores/engine'

/** One switch from a clip to the next, as measured: kept on the element (data-switches) for tests and diagnostics. */
interface Switch {
  to: number
  /** The next clip already had a decoded picture when the one before ended (nothing blank to show). */
  ready: boolean
  /** From the end of one clip to the first frame of the next presented, in ms. */
  gapMs: number | null
}

type FrameCallbackVideo = HTMLVideoElement & {
  requestVideoFrameCallback?: (cb: (now: number) => void) => number
}

/**
 * Plays a sequence back to back without a gap: two <video> elements stacked, the next clip loaded and decoded in
 * the one underneath while the current one plays; when it ends the next starts and comes on top, so the last frame
 * of one clip stays on screen until the first frame of the next is there. Space plays/pauses, Esc closes.
 */
export function SequencePlayer({ clips, onClose }: { clips: LibraryEntry[]; onClose(): void }) {
  const base = useEngine((s) => s.status?.mediaBase)
  const slots = [useRef<HTMLVideoElement>(null), useRef<HTMLVideoElement>(null)]
  const box = useRef<HTMLDivElement>(null)
  const [index, setIndex] = useState(0)
  const [switches, setSwitches] = useState<Switch[]>([])
  const url = (i: number) => (clips[i] ? mediaUrl('library', clips[i].file, base) : undefined)
  // Slot k % 2 holds clip k: the current clip in one, the next (preloading) in the other.
  const srcFor = (slot: number) => (index % 2 === slot ? url(index) : url(index + 1))

  useEffect(() => {
    box.current?.focus()
  }, [])

  const ended = (slot: number) => {
    if (slot !== index % 2) return
    const next = slots[(index + 1) % 2]?.current as FrameCallbackVideo | null
    if (!next || index + 1 >= clips.length) return
    const endedAt = performance.now()
    const ready = next.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA
    // Started at once, before React re-renders, and brought on top as soon as it is playing.
    next.style.zIndex = '2'
    void next.play()
    const record = (gapMs: number | null) => setSwitches((s) => [...s, { to: index + 1, ready, gapMs }])
    if (next.requestVideoFrameCallback) next.requestVideoFrameCallback((now) => record(Math.max(0, now - endedAt)))
    else record(null)
    setIndex(index + 1)
  }

  return (
    <div
      ref={box}
      className="player sequence-player"
      role="dialog"
      aria-label="Playing the sequence"
      tabIndex={-1}
      data-testid="sequence-player"
      data-index={index}
      data-switches={JSON.stringify(switches)}
      onKeyDown={(e) => {
        const v = slots[index % 2]?.current
        if (e.key === 'Escape') onClose()
        else if (e.key === ' ' && v) {
          e.preventDefault()
          if (v.paused) void v.play()
          else v.pause()
        }
      }}
    >
      <div className="sequence-stage">
        {[0, 1].map((slot) => (
          // biome-ignore lint/a11y/useMediaCaption: generated videos have no speech or captions.
          <video
            key={slot}
            ref={slots[slot]}
            src={srcFor(slot)}
            preload="auto"
            autoPlay={slot === 0 && index === 0}
            style={{ zIndex: index % 2 === slot ? 2 : 1 }}
            data-testid={`sequence-video-${slot}`}
            data-clip={index % 2 === slot ? index : index + 1}
            data-active={index % 2 === slot}
            onEnded={() => ended(slot)}
          />
        ))}
      </div>
      <div className="player-bar">
        <span data-testid="sequence-position">
          Clip {index + 1} of {clips.length}: {clips[index]?.title}
        </span>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  )
}
