// The settings a model takes, each shown only where the chosen model has it (capabilities.ts).
import type { AspectRatio } from '../../../../electron/shared/model'
import { useComposer } from '../../stores/composer'
import { controlsFor, parseSeed } from './capabilities'

const STYLES = ['cinematic', 'anime', 'vintage', 'noir', 'dreamy', 'vibrant']
const ASPECTS: Record<AspectRatio, { label: string; w: number; h: number }> = {
  '16:9': { label: 'Landscape 16:9', w: 32, h: 18 },
  '4:3': { label: 'Classic 4:3', w: 28, h: 21 },
  '1:1': { label: 'Square 1:1', w: 24, h: 24 },
  '3:4': { label: 'Portrait 3:4', w: 21, h: 28 },
  '9:16': { label: 'Portrait 9:16', w: 18, h: 32 },
  '21:9': { label: 'Cinema 21:9', w: 35, h: 15 },
  adaptive: { label: 'Adaptive: follows the image', w: 26, h: 22 },
}

export function ModelControls() {
  const c = useComposer()
  const can = controlsFor(c.provider, c.model, c.mode)
  const seed = parseSeed(c.seed)
  return (
    <>
      <div className="row">
        <div className="field">
          <label htmlFor="duration">Duration: {c.duration} s</label>
          <input
            id="duration"
            type="range"
            min={can.durations.min}
            max={can.durations.max}
            value={c.duration}
            aria-describedby="duration-range"
            onChange={(e) => c.patch({ duration: Number(e.target.value) })}
          />
          <span id="duration-range" className="muted small">
            {can.durations.min}–{can.durations.max} s
          </span>
        </div>
        <fieldset className="field">
          <legend>Resolution</legend>
          <div className="segmented">
            {can.resolutions.map((r) => (
              <button
                key={r}
                type="button"
                aria-pressed={c.resolution === r}
                className={c.resolution === r ? 'on' : ''}
                onClick={() => c.patch({ resolution: r })}
              >
                {r}
              </button>
            ))}
          </div>
        </fieldset>
      </div>

      <fieldset className="field">
        <legend>Aspect ratio</legend>
        <div className="aspects">
          {can.ratios.map((r) => {
            const a = ASPECTS[r]
            return (
              <button
                key={r}
                type="button"
                aria-pressed={c.aspectRatio === r}
                aria-label={a.label}
                className={`aspect ${c.aspectRatio === r ? 'on' : ''}`}
                onClick={() => c.patch({ aspectRatio: r })}
              >
                <span
                  className={`shape ${r === 'adaptive' ? 'adaptive' : ''}`}
                  style={{ width: a.w, height: a.h }}
                  aria-hidden="true"
                />
                {r}
              </button>
            )
          })}
        </div>
      </fieldset>

      {(can.seed || can.cameraFixed || can.audio) && (
        <div className="row options">
          {can.seed && (
            <div className="field">
              <label htmlFor="seed">Seed</label>
              <div className="seed">
                <input
                  id="seed"
                  inputMode="numeric"
                  placeholder="random"
                  value={c.seed}
                  aria-invalid={seed.problem !== null}
                  aria-describedby="seed-help"
                  onChange={(e) => c.patch({ seed: e.target.value })}
                />
                <label className="check">
                  <input
                    type="checkbox"
                    checked={c.seedLocked}
                    onChange={(e) => c.patch({ seedLocked: e.target.checked })}
                  />{' '}
                  Lock seed
                </label>
              </div>
              <span id="seed-help" className={seed.problem ? 'field-error' : 'muted small'}>
                {seed.problem ??
                  (c.seedLocked
                    ? 'The same seed is used for every generation.'
                    : 'Used once; lock it to keep it for the next ones.')}
              </span>
            </div>
          )}
          {can.cameraFixed && (
            <label className="check">
              <input
                type="checkbox"
                checked={c.cameraFixed}
                onChange={(e) => c.patch({ cameraFixed: e.target.checked })}
              />{' '}
              Fixed camera
            </label>
          )}
          {can.audio && (
            <label className="check">
              <input type="checkbox" checked={c.audio} onChange={(e) => c.patch({ audio: e.target.checked })} />{' '}
              Generate sound
            </label>
          )}
        </div>
      )}

      {can.style && (
        <label className="field">
          <span>Style</span>
          <input
            list="style-presets"
            value={c.style}
            maxLength={100}
            placeholder="cinematic, anime, vintage…"
            onChange={(e) => c.patch({ style: e.target.value })}
          />
          <datalist id="style-presets">
            {STYLES.map((s) => (
              <option key={s} value={s} />
            ))}
          </datalist>
        </label>
      )}

      {can.motion && (
        <label className="field">
          <span>Motion intensity: {Math.round(c.motion * 100)}%</span>
          <input
            type="range"
            min={0}
            max={1}
            step={0.05}
            value={c.motion}
            onChange={(e) => c.patch({ motion: Number(e.target.value) })}
          />
        </label>
      )}
    </>
  )
}
