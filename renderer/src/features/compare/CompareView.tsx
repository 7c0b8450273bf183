import { useEffect, useMemo, useRef, useState } from 'react'
import { mediaUrl } from '../../../../electron/shared/media'
import type { LibraryEntry } from '../../../../electron/shared/model'
import { useEngine } from '../../stores/engine'
import { useLibrary } from '../../stores/library'
import { useUi } from '../../stores/ui'
import { FrameGate } from './frame-gate'
import { KeepOne } from './KeepOne'
import { paintFrame, videoMedia, watchFrames } from './media'
import { closeCompare, useCompare } from './store'
import { frameOf } from './sync'
import { TransportBar } from './TransportBar'
import { Transport, type TransportState } from './transport'
import { WipeDivider } from './WipeDivider'
import './compare.css'

const LETTERS = ['A', 'B', 'C', 'D']
/** How long every picture may hold before the frame gate gives up on a take that stopped presenting frames. */
const STALL_MS = 3000

/** The compare view: open while the store holds two to four takes that are still in the library. */
export function CompareView() {
  const ids = useCompare((s) => s.ids)
  const labels = useCompare((s) => s.labels)
  const entries = useLibrary((s) => s.entries)
  const takes = useMemo(() => {
    const byId = new Map(entries.map((e) => [e.id, e]))
    return ids.map((id) => byId.get(id)).filter((e): e is LibraryEntry => !!e && !e.missing && !e.expired)
  }, [ids, entries])
  if (ids.length === 0) return null
  // Rebuilt when the takes change (a new set opened), so the transport always matches its videos.
  return <CompareStage key={takes.map((t) => t.id).join('|')} takes={takes} labels={labels} />
}

function CompareStage({ takes, labels }: { takes: LibraryEntry[]; labels: Record<string, string> }) {
  const base = useEngine((s) => s.status?.mediaBase)
  const videos = useRef<Array<HTMLVideoElement | null>>([])
  const pictures = useRef<Array<HTMLCanvasElement | null>>([])
  // Whether the pictures show the gated frames (Chromium and Electron); else the videos are shown themselves.
  const [gated, setGated] = useState(false)
  const [transport, setTransport] = useState<Transport | null>(null)
  const [state, setState] = useState<TransportState | null>(null)
  const [wipe, setWipe] = useState(false)
  const [split, setSplit] = useState(50)
  const [keeping, setKeeping] = useState<string | null>(null)
  const root = useRef<HTMLDivElement>(null)
  const labelOf = (e: LibraryEntry) => labels[e.id] ?? e.title

  // One transport once every video knows its duration; a refresh loop drives it; each video reports its frames.
  // Keyed on the files shown, not the entries: a library change elsewhere (a favourite, a new video) hands new
  // entry objects for the same takes, and must not restart the comparison.
  const files = takes.map((t) => t.file).join('\n')
  useEffect(() => {
    const count = files.split('\n').length
    const els = videos.current.slice(0, count)
    if (count < 2 || els.some((v) => !v)) return
    let raf = 0
    let stopped = false
    const stops: Array<() => void> = []
    const ready = els.map(
      (v) =>
        new Promise<void>((resolve) => {
          if ((v as HTMLVideoElement).readyState >= 1) resolve()
          else v?.addEventListener('loadedmetadata', () => resolve(), { once: true })
        }),
    )
    void Promise.all(ready).then(() => {
      if (stopped) return
      const t = new Transport(
        els.map((v) => videoMedia(v as HTMLVideoElement)),
        {
          now: () => performance.now(),
          onChange: setState,
          // The clocks by default; `npm run bench -- compare-sync` also measures following the presented frames.
          measure: localStorage.getItem('seedance:compareMeasure') === 'frames' ? 'frames' : 'clock',
        },
      )
      // One frame number on every picture (frame-gate.ts): each video's presented frames are held and drawn
      // together, where this browser can hold a video's frame (WebCodecs' VideoFrame).
      const canvases = pictures.current.slice(0, count)
      let gate =
        typeof VideoFrame === 'function' && canvases.every(Boolean)
          ? new FrameGate<VideoFrame>(count, (f) => f.close())
          : null
      els.forEach((v, i) => {
        const video = v as HTMLVideoElement
        stops.push(
          watchFrames(video, (mt, at, n) => {
            t.observe(i, mt, at, n)
            if (!gate) return
            let frame: VideoFrame
            try {
              frame = new VideoFrame(video, { timestamp: Math.round(mt * 1e6) })
            } catch {
              return // no picture yet (a seek in flight): the next presented frame brings one
            }
            gate.offer(i, frameOf(mt, t.framesPerSecond), frame)
          }),
        )
      })
      const drawn: Array<VideoFrame | null> = els.map(() => null)
      const paint = (i: number, frame: VideoFrame, n: number) => {
        const canvas = canvases[i] as HTMLCanvasElement
        paintFrame(canvas, frame)
        canvas.dataset.frame = String(n)
        drawn[i] = frame
      }
      // A picture resized (the window, the wipe) is drawn again from the frame it shows, still held by the gate.
      const resized = gate
        ? new ResizeObserver(() => {
            drawn.forEach((f, i) => {
              if (f && canvases[i]) paintFrame(canvases[i], f)
            })
          })
        : null
      for (const c of gate ? canvases : []) resized?.observe(c as HTMLCanvasElement)
      /** The pictures stop: every held frame released, and the videos shown as they are. */
      const ungate = () => {
        resized?.disconnect()
        gate?.clear()
        gate = null
        drawn.fill(null)
      }
      stops.push(ungate)
      const loop = () => {
        t.tick()
        const now = performance.now()
        gate?.draw(now)?.forEach((held, i) => {
          if (held) paint(i, held.item, held.frame)
        })
        // A take that stops presenting frames (a damaged file, a decoder that gave up) would hold every picture for
        // good: after 3 s the gate steps aside and the videos show as they are, each as far as it plays.
        if (gate && gate.stalledFor(now) > STALL_MS) {
          ungate()
          setGated(false)
        }
        raf = requestAnimationFrame(loop)
      }
      setGated(gate !== null)
      raf = requestAnimationFrame(loop)
      setTransport(t)
      setState(t.state())
      void t.seekFrame(0)
    })
    root.current?.focus()
    return () => {
      stopped = true
      cancelAnimationFrame(raf)
      for (const s of stops) s()
      for (const v of els) v?.pause()
    }
  }, [files])

  const canWipe = takes.length === 2
  const keep = takes.find((t) => t.id === keeping)
  if (takes.length < 2) {
    return (
      <div className="compare" role="dialog" aria-label="Compare takes">
        <p className="muted">Fewer than two of these takes are in the library now.</p>
        <button type="button" onClick={closeCompare}>
          Close
        </button>
      </div>
    )
  }
  return (
    <div
      className="compare"
      role="dialog"
      aria-modal="true"
      aria-label={`Compare ${takes.length} takes`}
      tabIndex={-1}
      ref={root}
      data-testid="compare"
      onKeyDown={(e) => {
        const target = e.target as HTMLElement
        if (e.key === 'Tab' && root.current) {
          // Modal: Tab wraps round the view's own controls (the window behind is inert).
          const focusable = [
            ...root.current.querySelectorAll<HTMLElement>(
              'button:not([disabled]), input:not([disabled]), select:not([disabled]), [tabindex="0"]',
            ),
          ].filter((el) => el.offsetParent !== null)
          const first = focusable[0]
          const last = focusable.at(-1)
          if (first && last && e.shiftKey && (target === first || target === root.current)) {
            e.preventDefault()
            last.focus()
          } else if (first && last && !e.shiftKey && target === last) {
            e.preventDefault()
            first.focus()
          }
          return
        }
        // A slider's own arrows move it; a text field's keys are typing.
        if (target.matches('input[type="range"], [role="slider"], input:not([type]), textarea') && e.key !== 'Escape')
          return
        if (e.key === 'Escape') closeCompare()
        if (!transport || e.ctrlKey || e.metaKey || e.altKey) return
        const key = e.key.length === 1 ? e.key.toLowerCase() : e.key
        if (key === ' ' || key === 'k') void transport.toggle()
        else if (key === 'ArrowLeft' || key === ',') void transport.step(e.shiftKey ? -(state?.fps ?? 24) : -1)
        else if (key === 'ArrowRight' || key === '.') void transport.step(e.shiftKey ? (state?.fps ?? 24) : 1)
        else if (key === 'Home') void transport.seekFrame(state?.range?.in ?? 0)
        else if (key === 'End') void transport.seekFrame(state?.range?.out ?? (state?.frames ?? 1) - 1)
        else if (key === 'i') transport.markIn()
        else if (key === 'o') transport.markOut()
        else if (key === 'l') transport.setLoop(!state?.loop)
        else if (key === 'w' && canWipe) setWipe((w) => !w)
        else return
        e.preventDefault()
      }}
    >
      <header className="compare-head">
        <h2 className="view-title">Compare {takes.length} takes</h2>
        <span className="muted small">
          Space play · ←/→ frame · I/O loop range · L loop{canWipe ? ' · W wipe' : ''}
        </span>
        {canWipe && (
          <button type="button" aria-pressed={wipe} onClick={() => setWipe((w) => !w)}>
            A/B wipe
          </button>
        )}
        <button type="button" onClick={closeCompare}>
          Close
        </button>
      </header>
      <div
        className={`compare-stage ${wipe ? 'wipe' : `n${takes.length}`}${gated ? ' gated' : ''}`}
        data-testid="compare-stage"
      >
        {takes.map((take, i) => (
          <figure
            key={take.id}
            className={`compare-tile${keeping === null ? '' : keeping === take.id ? ' keeping' : ' trashing'}`}
            data-testid="compare-tile"
          >
            <div
              className="compare-screen"
              style={wipe && i === 1 ? { clipPath: `inset(0 0 0 ${split}%)` } : undefined}
            >
              <video
                ref={(el) => {
                  videos.current[i] = el
                }}
                src={mediaUrl('library', take.file, base)}
                muted
                playsInline
                preload="auto"
                data-testid="compare-video"
                aria-hidden={gated || undefined}
              />
              <canvas
                ref={(el) => {
                  pictures.current[i] = el
                }}
                className="compare-picture"
                data-testid="compare-picture"
                role="img"
                aria-label={`Take ${LETTERS[i]}: ${labelOf(take)}`}
                hidden={!gated}
              />
            </div>
            <figcaption className={wipe ? `wipe-label ${i === 0 ? 'left' : 'right'}` : undefined}>
              <span className="compare-letter" aria-hidden="true">
                {LETTERS[i]}
              </span>
              <span className="compare-label" title={take.prompt}>
                {labelOf(take)}
              </span>
              <button type="button" onClick={() => setKeeping(take.id)} aria-label={`Keep ${LETTERS[i]}`}>
                Keep
              </button>
            </figcaption>
          </figure>
        ))}
        {wipe && <WipeDivider value={split} onChange={setSplit} />}
      </div>
      <TransportBar transport={transport} state={state} />
      {keep && (
        <KeepOne
          keep={{ id: keep.id, label: labelOf(keep), letter: LETTERS[takes.indexOf(keep)] as string }}
          others={takes.filter((t) => t.id !== keep.id).map((t) => t.id)}
          onCancel={() => {
            setKeeping(null)
            root.current?.focus()
          }}
          onDone={() => {
            // The trashed takes leave the library's selection too (the kept one stays selected).
            const { selected, select } = useUi.getState()
            select(selected.filter((id) => id === keep.id || !takes.some((t) => t.id === id)))
            closeCompare()
          }}
        />
      )}
    </div>
  )
}
