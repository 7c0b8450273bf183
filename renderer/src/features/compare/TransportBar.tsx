import type { Transport, TransportState } from './transport'

function clock(frame: number, fps: number): string {
  const s = frame / fps
  return `${Math.floor(s / 60)}:${(s % 60).toFixed(2).padStart(5, '0')}`
}

/** Play/pause, frame step, scrub, loop range: one set of controls for every take. */
export function TransportBar({ transport, state }: { transport: Transport | null; state: TransportState | null }) {
  const ready = transport !== null && state !== null
  const frame = state?.frame ?? 0
  const frames = state?.frames ?? 1
  const fps = state?.fps ?? 24
  const range = state?.range ?? null
  return (
    <fieldset className="compare-transport" aria-label="Transport">
      <button
        type="button"
        className="primary"
        disabled={!ready}
        aria-label={state?.playing ? 'Pause' : 'Play'}
        onClick={() => void transport?.toggle()}
      >
        {state?.playing ? '❚❚' : '▶'}
      </button>
      <button
        type="button"
        disabled={!ready}
        aria-label="Previous frame"
        title="Previous frame (←)"
        onClick={() => void transport?.step(-1)}
      >
        ◀|
      </button>
      <button
        type="button"
        disabled={!ready}
        aria-label="Next frame"
        title="Next frame (→)"
        onClick={() => void transport?.step(1)}
      >
        |▶
      </button>
      <div className="compare-scrub">
        {range && (
          <span
            className="compare-range"
            aria-hidden="true"
            style={{
              left: `${(range.in / Math.max(1, frames - 1)) * 100}%`,
              width: `${((range.out - range.in) / Math.max(1, frames - 1)) * 100}%`,
            }}
          />
        )}
        <input
          type="range"
          aria-label="Position (frame)"
          min={0}
          max={Math.max(0, frames - 1)}
          step={1}
          value={frame}
          disabled={!ready}
          aria-valuetext={`Frame ${frame + 1} of ${frames}`}
          onChange={(e) => void transport?.seekFrame(Number(e.target.value))}
        />
      </div>
      <output className="compare-time" data-testid="compare-frame" aria-live="off">
        {clock(frame, fps)} · frame {frame + 1}/{frames}
      </output>
      <button type="button" disabled={!ready} title="Loop in point (I)" onClick={() => transport?.markIn()}>
        In
      </button>
      <button type="button" disabled={!ready} title="Loop out point (O)" onClick={() => transport?.markOut()}>
        Out
      </button>
      {range && (
        <button type="button" className="quiet" onClick={() => transport?.clearRange()}>
          Clear {range.in + 1}–{range.out + 1}
        </button>
      )}
      <label className="check">
        <input
          type="checkbox"
          checked={state?.loop ?? true}
          disabled={!ready}
          onChange={(e) => transport?.setLoop(e.target.checked)}
        />{' '}
        Loop
      </label>
    </fieldset>
  )
}
