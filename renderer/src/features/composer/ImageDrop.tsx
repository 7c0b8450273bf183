import { useRef, useState } from 'react'
import { useComposer } from '../../stores/composer'
import { checkImageFile } from './image-check'

/** Accepts an image by drag and drop, paste (anywhere in the composer) or the file picker, and checks it inline. */
export async function takeImage(file: File): Promise<void> {
  const { setImage } = useComposer.getState()
  const check = await checkImageFile(file)
  if (!check.ok) {
    setImage(null, check.message)
    return
  }
  const data = new Uint8Array(await file.arrayBuffer())
  setImage({
    name: file.name || 'pasted image',
    data,
    preview: URL.createObjectURL(file),
    width: check.width,
    height: check.height,
  })
}

export function ImageDrop() {
  const image = useComposer((s) => s.image)
  const error = useComposer((s) => s.imageError)
  const setImage = useComposer((s) => s.setImage)
  const input = useRef<HTMLInputElement>(null)
  const [over, setOver] = useState(false)

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a drop target only receives drags; keyboard users choose a file with the button inside.
    <div
      className={`drop ${over ? 'over' : ''} ${error ? 'invalid' : ''}`}
      data-testid="image-drop"
      onDragOver={(e) => {
        e.preventDefault()
        setOver(true)
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault()
        setOver(false)
        const file = e.dataTransfer.files[0]
        if (file) void takeImage(file)
      }}
    >
      {image ? (
        <figure className="drop-preview">
          <img src={image.preview} alt={`Source: ${image.name}`} />
          <figcaption>
            {image.name} · {image.width}×{image.height}
            <button type="button" className="link" onClick={() => setImage(null)}>
              Remove
            </button>
          </figcaption>
        </figure>
      ) : (
        <div className="drop-empty">
          <p>Drop an image here, paste one, or</p>
          <button type="button" onClick={() => input.current?.click()}>
            Choose an image…
          </button>
          <p className="muted small">JPEG, PNG or WebP · up to 10 MB · 300–6,000 px a side</p>
        </div>
      )}
      {error && (
        <p className="field-error" role="alert" data-testid="image-error">
          {error}
        </p>
      )}
      <input
        ref={input}
        type="file"
        accept="image/jpeg,image/png,image/webp"
        hidden
        aria-label="Choose an image"
        onChange={(e) => {
          const file = e.target.files?.[0]
          if (file) void takeImage(file)
          e.target.value = ''
        }}
      />
    </div>
  )
}
