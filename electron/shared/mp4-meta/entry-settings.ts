// A library entry and the settings its video carries are two views of one thing (issue 11, point 1): the engine
// writes the entry's settings into the MP4 it saves, and a library folder copied without its .seedance folder gets
// its entries back from the files alone.
import type { LibraryEntry } from '../model'
import { ASPECT_RATIOS, isProviderId } from '../providers'
import { APP_NAME, SETTINGS_FORMAT, type VideoSettings } from './video-settings'

/** The settings to embed in an entry's video. `appVersion`: the app writing them. */
export function settingsOfEntry(e: LibraryEntry, appVersion: string): VideoSettings {
  // An image fetched by the service from the web is kept on the entry as { sha256: '', name: url }.
  const fromUrl = e.image !== null && !e.image.sha256
  return {
    format: SETTINGS_FORMAT,
    app: { name: APP_NAME, version: appVersion },
    jobId: e.jobId,
    created: new Date(e.createdAt).toISOString(),
    title: e.title,
    prompt: e.prompt,
    provider: e.provider ?? 'seedance',
    model: e.model ?? 'standard',
    mode: e.mode,
    seed: e.seed ?? null,
    duration: e.duration,
    resolution: e.resolution,
    aspectRatio: e.aspectRatio,
    style: e.style,
    motionIntensity: e.motionIntensity,
    cameraFixed: e.cameraFixed ?? null,
    audio: e.audio ?? null,
    image: e.image && !fromUrl ? { sha256: e.image.sha256, name: e.image.name } : null,
    lastImage: e.lastImage ? { sha256: e.lastImage.sha256, name: e.lastImage.name } : null,
    imageUrl: fromUrl ? (e.image?.name ?? null) : null,
    remoteId: e.remoteId,
    fingerprint: e.fingerprint,
    credits: e.credits,
    generationMs: e.generationMs,
    continues: e.continues ?? null,
  }
}

/** What the library knows of a file on disk besides its settings. */
export interface FileFacts {
  id: string
  file: string
  width: number
  height: number
  sizeBytes: number
  sha256: string
  /** The file's own time, used when the settings' date does not read. */
  mtimeMs: number
}

/**
 * The entry of a video found in the library folder with no metadata file, rebuilt from the settings inside it.
 * A provider this version does not know is left out, and the entry is marked external (see below).
 */
export function entryFromSettings(s: VideoSettings, f: FileFacts): LibraryEntry {
  const created = Date.parse(s.created)
  const landscape = f.width > f.height
  const provider = isProviderId(s.provider) ? s.provider : undefined
  return {
    id: f.id,
    provider,
    model: provider ? s.model : undefined,
    seed: s.seed,
    file: f.file,
    title: s.title,
    prompt: s.prompt,
    mode: s.mode,
    duration: s.duration,
    resolution: s.resolution,
    aspectRatio:
      s.aspectRatio && ASPECT_RATIOS.includes(s.aspectRatio)
        ? s.aspectRatio
        : f.width === f.height
          ? '1:1'
          : landscape
            ? '16:9'
            : '9:16',
    style: s.style,
    motionIntensity: s.motionIntensity,
    width: f.width,
    height: f.height,
    sizeBytes: f.sizeBytes,
    sha256: f.sha256,
    createdAt: Number.isFinite(created) ? created : f.mtimeMs,
    generationMs: s.generationMs,
    credits: s.credits,
    favorite: false,
    fingerprint: s.fingerprint,
    jobId: s.jobId,
    remoteId: s.remoteId,
    image: s.image ?? (s.imageUrl ? { sha256: '', name: s.imageUrl } : null),
    lastImage: s.lastImage,
    cameraFixed: s.cameraFixed,
    audio: s.audio,
    continues: s.continues ?? null,
    // The kept last-frame image lives in .seedance/, which a bare folder does not have.
    lastFrame: null,
    thumbnail: null,
    expired: false,
    // A provider this version does not know cannot be named (nor read as the guide's API, as an older entry would
    // be): the entry then says nothing of where it came from, like any video found in the folder.
    external: provider === undefined,
  }
}
