import { useRef, useState } from 'react'
import { type ImageSlot, useComposer } from '../../stores/composer'
import { modelFor } from './capabilities'
import { acceptedTypes, checkImageFile, describeRules } from './image-check'

/** Accepts an image by drag and drop, paste (anywhere in the composer) or the file picker, and checks it inline. */
export async function takeImage(file: File, slot: ImageSlot = 'image'): Promise<void> {
  const { setImage, provider, model } = useComposer.getState()
  const check = await checkImageFile(file, modelFor(provider, model).image)
  if (!check.ok) {
    setImage(null, check.message, slot)
    return
  }
  const data = new Uint8Array(await file.arrayBuffer())
  setImage(
    {
      name: file.name || 'pasted image',
      data,
      preview: URL.createObjectURL(file),
      width: check.width,
      height: check.height,
    },
    null,
    slot,
  )
}

const TEXT: Record<ImageSlot, { drop: string; choose: string; picker: string; source: string }> = {
  image: {
    drop: 'Drop an image here, paste one, or',
    choose: 'Choose an image…',
    picker: 'Choose an image',
    source: 'Source',
  },
  lastImage: {
    drop: 'Optional: drop the last frame here, or',
    choose: 'Choose a last frame…',
    picker: 'Choose a last frame',
    source: 'Last frame',
  },
}

export function ImageDrop({ slot = 'image' }: { slot?: ImageSlot }) {
  const image = useComposer((s) => s[slot])
  const error = useComposer((s) => (slot === 'image' ? s.imageError : s.lastImageError))
  const setImage = useComposer((s) => s.setImage)
  const rules = useComposer((s) => modelFor(s.provider, s.model).image)
  const input = useRef<HTMLInputElement>(null)
  const [over, setOver] = useState(false)
  const text = TEXT[slot]

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a drop target only receives drags; keyboard users choose a file with the button inside.
    <div
      className={`drop ${over ? 'over' : ''} ${error ? 'invalid' : ''}`}
      data-testid={slot === 'image' ? 'image-drop' : 'last-frame-drop'}
      onDragOver={(e) => {
        e.preventDefault()
        setOver(true)
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault()
        // The first frame's paste handler is the composer's; a drop here stays here.
        e.stopPropagation()
        setOver(false)
        const file = e.dataTransfer.files[0]
        if (file) void takeImage(file, slot)
      }}
    >
      {image ? (
        <figure className="drop-preview">
          <img src={image.preview} alt={`${text.source}: ${image.name}`} />
          <figcaption>
            {image.name} · {image.width}×{image.height}
            <button type="button" className="link" onClick={() => setImage(null, null, slot)}>
              Remove
            </button>
          </figcaption>
        </figure>
      ) : (
        <div className="drop-empty">
          <p>{text.drop}</p>
          <button type="button" onClick={() => input.current?.click()}>
            {text.choose}
          </button>
          <p className="muted small">{describeRules(rules)}</p>
        </div>
      )}
      {error && (
        <p className="field-error" role="alert" data-testid={slot === 'image' ? 'image-error' : 'last-frame-error'}>
          {error}
        </p>
      )}
      <input
        ref={input}
        type="file"
        accept={acceptedTypes(rules).join(',')}
        hidden
        aria-label={text.picker}
        onChange={(e) => {
          const file = e.target.files?.[0]
          if (file) void takeImage(file, slot)
          e.target.value = ''
        }}
      />
    </div>
  )
}
