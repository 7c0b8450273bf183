// Settings restored from a video (issue 11, point 1): a video the app saved carries its settings inside its MP4;
// dropped on the composer (from the library, the desktop or another machine), they fill the form. The file is read
// here, in the renderer, from the dropped File (only its box headers and movie box, never the whole video), with the
// same reader the engine uses; no path and no bytes of the video cross the bridge. The source images come back
// through library:image-by-hash where this machine still keeps them.

import { Mp4MetaError } from '../../../../electron/shared/mp4-meta/boxes'
import { readEmbeddedSettings } from '../../../../electron/shared/mp4-meta/edit'
import { entryFromSettings } from '../../../../electron/shared/mp4-meta/entry-settings'
import type { VideoSettings } from '../../../../electron/shared/mp4-meta/video-settings'
import { findModel, isProviderId, providerInfo } from '../../../../electron/shared/providers'
import { call } from '../../bridge'
import { type ImageSlot, useComposer } from '../../stores/composer'
import { controlsFor } from './capabilities'

/** The settings inside a dropped file; throws Mp4MetaError (NO_SETTINGS, INVALID_SETTINGS, INVALID_VIDEO). */
export async function readVideoSettings(file: Blob): Promise<VideoSettings> {
  const read = async (at: number, length: number) => new Uint8Array(await file.slice(at, at + length).arrayBuffer())
  return (await readEmbeddedSettings(read, file.size)).settings
}

/** What a drop did, in words for the notice under the drop zone. */
export interface RestoreOutcome {
  ok: boolean
  lines: string[]
}

async function restoreImage(image: { sha256: string; name: string }, slot: ImageSlot): Promise<string | null> {
  const { setImage } = useComposer.getState()
  const kept = image.sha256 ? await call('library:image-by-hash', { sha256: image.sha256 }) : null
  const what = slot === 'image' ? 'source image' : 'last frame'
  if (!kept) {
    setImage(null, `The ${what} ${image.name} is not kept on this machine; choose it again.`, slot)
    return `Its ${what} (${image.name}) is not kept here: choose it again.`
  }
  const data = new Uint8Array(kept.data)
  const blob = new Blob([data])
  const bitmap = await createImageBitmap(blob)
  setImage(
    { name: image.name, data, preview: URL.createObjectURL(blob), width: bitmap.width, height: bitmap.height },
    null,
    slot,
  )
  bitmap.close()
  return null
}

/** Fill the composer from a video's settings (fitted to the model as "Reuse settings" does). */
export async function applyVideoSettings(s: VideoSettings): Promise<RestoreOutcome> {
  const lines: string[] = []
  const provider = isProviderId(s.provider) ? s.provider : null
  // The entry the library would rebuild from this file: the composer's reuse takes it as it takes any video's.
  const facts = { id: 'dropped', file: 'dropped.mp4', width: 0, height: 0, sizeBytes: 0, sha256: '', mtimeMs: 0 }
  const entry = entryFromSettings(s, facts)
  useComposer.getState().reuse(provider ? entry : { ...entry, provider: undefined, model: undefined })
  if (!provider)
    lines.push(
      `It was made through “${s.provider}”, which this version of the app does not know: the default service is kept.`,
    )
  else if (!findModel(provider, s.model))
    lines.push(`${providerInfo(provider).label} has no model “${s.model}” here: its default model is used.`)
  if (s.image) lines.push(...[await restoreImage(s.image, 'image')].filter((l): l is string => l !== null))
  const now = useComposer.getState()
  // The last frame only where the model (as fitted) makes first + last frame videos.
  if (s.lastImage && now.mode === 'image' && controlsFor(now.provider, now.model, now.mode).lastFrame)
    lines.push(...[await restoreImage(s.lastImage, 'lastImage')].filter((l): l is string => l !== null))
  return { ok: true, lines }
}

/** Read a dropped file and restore its settings; a file without them, or not a video, says so. */
export async function restoreFromVideo(file: File): Promise<RestoreOutcome> {
  let settings: VideoSettings
  try {
    settings = await readVideoSettings(file)
  } catch (error) {
    if (!(error instanceof Mp4MetaError)) throw error
    const name = file.name || 'This file'
    if (error.code === 'NO_SETTINGS')
      return { ok: false, lines: [`${name} carries no Seedance Studio settings: it was not saved by the app.`] }
    if (error.code === 'INVALID_SETTINGS') return { ok: false, lines: [`${name}: ${error.message}`] }
    return { ok: false, lines: [`${name} is not a video the app can read (${error.message})`] }
  }
  const outcome = await applyVideoSettings(settings)
  return { ok: true, lines: [`Settings of “${settings.title}” restored.`, ...outcome.lines] }
}
