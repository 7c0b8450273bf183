import { useState } from 'react'
import type { JobRecord, LibraryEntry } from '../../../../electron/shared/model'
import { AppError, call } from '../../bridge'
import { PROMPT_LIMIT, useComposer } from '../../stores/composer'
import { useUi } from '../../stores/ui'
import { PromptHistory } from '../prompts/PromptHistory'
import { controlsFor, costLines, parseSeed, seedForSubmit, submitPayload } from './capabilities'
import { ImageDrop, takeImage } from './ImageDrop'
import { ModelControls } from './ModelControls'
import { ModelPicker } from './ModelPicker'
import { VideoSettingsDrop } from './VideoSettingsDrop'

export function Composer() {
  const c = useComposer()
  const go = useUi((s) => s.go)
  const openDetail = useUi((s) => s.openDetail)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<AppError | null>(null)
  const [existing, setExisting] = useState<LibraryEntry | null>(null)
  /** The job already making this exact request, joined instead of paying for it twice. */
  const [joined, setJoined] = useState<JobRecord | null>(null)

  const can = controlsFor(c.provider, c.model, c.mode)
  const promptLimit = Math.min(PROMPT_LIMIT, can.model.promptMax)
  const promptLength = c.prompt.trim().length
  const tooLong = promptLength > promptLimit
  const urlOk = /^https:\/\/\S+$/i.test(c.imageUrl.trim())
  // A last frame goes with a first frame sent as bytes (GenerationRequest.lastImage needs image).
  const withLast = can.lastFrame && c.lastImage !== null
  const needsImage = c.mode === 'image' && !c.image && (!urlOk || withLast)
  const badSeed = can.seed && parseSeed(c.seed).problem !== null
  const canGenerate = promptLength > 0 && !tooLong && !needsImage && !badSeed && !busy
  const cost = costLines(c, c.mode === 'image' ? c.image : null)

  async function generate(force = false) {
    if (!canGenerate && !force) return
    setBusy(true)
    setError(null)
    try {
      const seed = seedForSubmit(c, can.seed, c.random)
      const result = await call(
        'jobs:submit',
        submitPayload(
          c,
          {
            image: c.image ? { name: c.image.name, data: c.image.data } : null,
            lastImage: c.lastImage ? { name: c.lastImage.name, data: c.lastImage.data } : null,
          },
          seed.send,
          force,
        ),
      )
      // A locked seed stays (one drawn for the lock is shown); an unlocked one was used once, unless nothing was
      // sent (the video already made is offered: "generate again" sends the same request). The fit notice was seen.
      if (!result.existing) c.patch({ seed: seed.after, fitNotice: [] })
      setJoined(result.joined ? result.job : null)
      // The new take shows beside the composer (the studio): the view stays on Create.
      setExisting(result.existing ?? null)
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
        if (file && can.image) {
          e.preventDefault()
          c.patch({ mode: 'image' })
          void takeImage(file)
        }
      }}
    >
      <ModelPicker />
      {/* issue 11 (meta): settings restored from a video dropped here */}
      <VideoSettingsDrop />

      <fieldset className="segmented" aria-label="Mode">
        {(can.image ? (['text', 'image'] as const) : (['text'] as const)).map((m) => (
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
          {!c.image && !withLast && (
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
          {can.lastFrame && <ImageDrop slot="lastImage" />}
          {withLast && !c.image && (
            <p className="muted small" data-testid="needs-first-frame">
              A last frame goes with a first frame: add the first frame as a file above.
            </p>
          )}
        </>
      )}

      <div className="field">
        <label htmlFor="prompt">Prompt</label>
        <PromptHistory />
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
          {promptLength.toLocaleString()} / {promptLimit.toLocaleString()}
        </span>
        {error?.code === 'INVALID_PROMPT' && (
          <span className="field-error" role="alert">
            {error.message}
          </span>
        )}
      </div>

      <ModelControls />

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
        <span className="muted" title={`Price source: ${can.model.price.source}`}>
          <span data-testid="credit-estimate">{cost.amount}</span> · <span data-testid="usd-estimate">{cost.usd}</span>
        </span>
        <button type="submit" className="primary" disabled={!canGenerate} title="Generate (Ctrl/⌘+Enter)">
          {busy ? 'Submitting…' : 'Generate'}
        </button>
      </div>
    </form>
  )
}
