import { useState } from 'react'
import type { AspectRatio, JobRecord, LibraryEntry, Resolution } from '../../../../electron/shared/model'
import { creditsFor } from '../../../../electron/shared/pricing'
import { AppError, call } from '../../bridge'
import { PROMPT_LIMIT, useComposer } from '../../stores/composer'
import { useUi } from '../../stores/ui'
import { ImageDrop, takeImage } from './ImageDrop'

const STYLES = ['cinematic', 'anime', 'vintage', 'noir', 'dreamy', 'vibrant']
const ASPECTS: Array<{ value: AspectRatio; label: string; w: number; h: number }> = [
  { value: '16:9', label: 'Landscape 16:9', w: 32, h: 18 },
  { value: '9:16', label: 'Portrait 9:16', w: 18, h: 32 },
  { value: '1:1', label: 'Square 1:1', w: 24, h: 24 },
]

export function Composer() {
  const c = useComposer()
  const go = useUi((s) => s.go)
  const openDetail = useUi((s) => s.openDetail)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<AppError | null>(null)
  const [existing, setExisting] = useState<LibraryEntry | null>(null)
  /** The job already making this exact request, joined instead of paying for it twice. */
  const [joined, setJoined] = useState<JobRecord | null>(null)

  const promptLength = c.prompt.trim().length
  const tooLong = promptLength > PROMPT_LIMIT
  const urlOk = /^https:\/\/\S+$/i.test(c.imageUrl.trim())
  const needsImage = c.mode === 'image' && !c.image && !urlOk
  const canGenerate = promptLength > 0 && !tooLong && !needsImage && !busy

  async function generate(force = false) {
    if (!canGenerate && !force) return
    setBusy(true)
    setError(null)
    try {
      const result = await call('jobs:submit', {
        prompt: c.prompt,
        duration: c.duration,
        resolution: c.resolution,
        aspectRatio: c.mode === 'text' ? c.aspectRatio : c.aspectRatio,
        style: c.style.trim() || null,
        motionIntensity: c.mode === 'image' ? c.motion : null,
        image: c.mode === 'image' && c.image ? { name: c.image.name, data: c.image.data } : null,
        imageUrl: c.mode === 'image' && !c.image && urlOk ? c.imageUrl.trim() : null,
        force,
      })
      setJoined(result.joined ? result.job : null)
      if (result.existing) {
        setExisting(result.existing)
      } else {
        setExisting(null)
        if (!result.joined) go('queue')
      }
    } catch (e) {
      setError(e instanceof AppError ? e : new AppError('INTERNAL_ERROR', String(e)))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      className="composer"
      aria-label="New video"
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        void generate()
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) {
          e.preventDefault()
          void generate()
        }
      }}
      onPaste={(e) => {
        const file = [...e.clipboardData.files].find((f) => f.type.startsWith('image/'))
        if (file) {
          e.preventDefault()
          c.patch({ mode: 'image' })
          void takeImage(file)
        }
      }}
    >
      <fieldset className="segmented" aria-label="Mode">
        {(['text', 'image'] as const).map((m) => (
          <button
            key={m}
            type="button"
            aria-pressed={c.mode === m}
            className={c.mode === m ? 'on' : ''}
            onClick={() => c.patch({ mode: m })}
          >
            {m === 'text' ? 'Text to video' : 'Image to video'}
          </button>
        ))}
      </fieldset>

      {c.mode === 'image' && (
        <>
          <ImageDrop />
          {!c.image && (
            <label className="field">
              <span>…or an image on the web</span>
              <input
                type="url"
                placeholder="https://example.com/picture.jpg"
                value={c.imageUrl}
                aria-invalid={c.imageUrl.trim() !== '' && !urlOk}
                onChange={(e) => c.patch({ imageUrl: e.target.value })}
              />
              {c.imageUrl.trim() !== '' && !urlOk && (
                <span className="field-error">The URL must start with https://.</span>
              )}
            </label>
          )}
        </>
      )}

      <div className="field">
        <label htmlFor="prompt">Prompt</label>
        <textarea
          id="prompt"
          value={c.prompt}
          rows={5}
          placeholder={
            c.mode === 'text'
              ? 'Aerial view of a mountain range at golden hour, slow drone shot'
              : 'Camera slowly pushes in'
          }
          aria-invalid={tooLong || error?.code === 'INVALID_PROMPT'}
          aria-describedby="prompt-count"
          onChange={(e) => c.patch({ prompt: e.target.value })}
        />
        <span id="prompt-count" className={`count ${tooLong ? 'over' : ''}`}>
          {promptLength.toLocaleString()} / {PROMPT_LIMIT.toLocaleString()}
        </span>
        {error?.code === 'INVALID_PROMPT' && (
          <span className="field-error" role="alert">
            {error.message}
          </span>
        )}
      </div>

      <div className="row">
        <label className="field">
          <span>Duration: {c.duration} s</span>
          <input
            type="range"
            min={1}
            max={8}
            value={c.duration}
            onChange={(e) => c.patch({ duration: Number(e.target.value) })}
          />
        </label>
        <fieldset className="field">
          <legend>Resolution</legend>
          <div className="segmented">
            {(['720p', '1080p'] as Resolution[]).map((r) => (
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
          {ASPECTS.map((a) => (
            <button
              key={a.value}
              type="button"
              aria-pressed={c.aspectRatio === a.value}
              aria-label={a.label}
              className={`aspect ${c.aspectRatio === a.value ? 'on' : ''}`}
              onClick={() => c.patch({ aspectRatio: a.value })}
            >
              <span className="shape" style={{ width: a.w, height: a.h }} aria-hidden="true" />
              {a.value}
            </button>
          ))}
        </div>
      </fieldset>

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

      {c.mode === 'image' && (
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

      {joined && (
        <div className="notice" role="status" data-testid="joined">
          {joined.output
            ? 'This video is already made and paid for: it is being saved to the library, not generated again.'
            : 'This exact request is already in the queue: it was joined, not sent (or paid for) again.'}{' '}
          <button type="button" className="link" onClick={() => go('queue')}>
            Show it in the queue
          </button>
        </div>
      )}
      {existing && (
        <div className="notice" role="status" data-testid="already-made">
          You already made this on {new Date(existing.createdAt).toLocaleDateString()}.{' '}
          <button
            type="button"
            className="link"
            onClick={() => {
              openDetail(existing.id)
              go('library')
            }}
          >
            Open it
          </button>{' '}
          or{' '}
          <button type="button" className="link" onClick={() => void generate(true)}>
            generate again
          </button>
        </div>
      )}
      {error?.code === 'INVALID_IMAGE' && c.mode === 'image' && (
        <p className="field-error" role="alert" data-testid="image-error">
          {error.message}
        </p>
      )}
      {error && error.code !== 'INVALID_PROMPT' && error.code !== 'INVALID_IMAGE' && (
        <p className="field-error" role="alert" data-testid="submit-error">
          {error.message}
        </p>
      )}

      <div className="actions">
        <span className="muted" data-testid="credit-estimate">
          ≈ {creditsFor(c.duration, c.resolution)} credits
        </span>
        <button type="submit" className="primary" disabled={!canGenerate} title="Generate (Ctrl/⌘+Enter)">
          {busy ? 'Submitting…' : 'Generate'}
        </button>
      </div>
    </form>
  )
}
