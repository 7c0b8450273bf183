// Export the sequence a library video belongs to (shared/sequence.ts) as one MP4 (export.ts), with the sequence's
// settings for the file's metadata. The app's handler and the CLI both come here.
import path from 'node:path'
import { embedSettingsFile } from '../../node/mp4-settings-file'
import type { LibraryEntry } from '../../shared/model'
import { settingsOfEntry } from '../../shared/mp4-meta/entry-settings'
import type { VideoSettings } from '../../shared/mp4-meta/video-settings'
import { sequenceOf } from '../../shared/sequence'
import type { Engine } from '../engine'
import { EngineError } from '../engine-error'
import { APP_VERSION } from '../media/embed-entry-settings'
import type { FfmpegTools } from '../media/ffmpeg'
import { probeMp4File } from '../media/mp4-probe'
import { EXPORT_ERROR, ExportError, type ExportResult, exportSequence } from './export'

export interface LibraryExportOptions {
  /** The file to write, absolute (the save dialog's answer, the CLI's --out). */
  dest: string
  /** The folder it must be in: the folder chosen. Default: the destination's own folder. */
  allowedDir?: string
  tools: FfmpegTools | null
  /** Default: embedExportSettings (tests inject a failing one). */
  embedSettings?: (file: string, settings: object) => Promise<void>
  signal?: AbortSignal
  now?: () => number
}

/**
 * The settings that travel with an exported sequence (issue 11, point 1 as for every saved video): the first clip's,
 * over the whole length, and each clip's own in `sequence`. No
 * fingerprint: the file is not the video of any one request.
 */
export function sequenceSettings(clips: LibraryEntry[], now: number): VideoSettings {
  const first = clips[0] as LibraryEntry
  return {
    ...settingsOfEntry(first, APP_VERSION),
    title: clips.length > 1 ? `${first.title} (sequence of ${clips.length})` : first.title,
    duration: clips.reduce((n, c) => n + c.duration, 0),
    created: new Date(now).toISOString(),
    remoteId: null,
    fingerprint: null,
    credits: clips.every((c) => c.credits !== null) ? clips.reduce((n, c) => n + (c.credits ?? 0), 0) : null,
    generationMs: null,
    sequence: clips.map((c) => ({
      id: c.id,
      prompt: c.prompt,
      provider: c.provider ?? null,
      model: c.model ?? null,
      seed: c.seed ?? null,
      duration: c.duration,
      jobId: c.jobId,
      continues: c.continues ?? null,
    })),
  }
}

/** Embeds settings into an exported file as the save path does (read back and probed before it takes its name). */
export async function embedExportSettings(file: string, settings: object): Promise<void> {
  await embedSettingsFile(file, file, settings as VideoSettings, async (written) => {
    await probeMp4File(written)
  })
}

export async function exportLibrarySequence(
  engine: Engine,
  id: string,
  o: LibraryExportOptions,
): Promise<ExportResult & { clips: number }> {
  const clips = sequenceOf(engine.library.all(), id)
  if (clips.length === 0) throw new EngineError('VIDEO_NOT_FOUND', 'That video is no longer in the library.')
  const absent = clips.find((c) => c.expired || c.missing)
  if (absent)
    throw new ExportError(
      EXPORT_ERROR.clipMissing,
      `“${absent.title}” (clip ${clips.indexOf(absent) + 1} of ${clips.length}) has no video file in the library${absent.expired ? ': it was never saved' : ': its file is missing'}.`,
    )
  const result = await exportSequence({
    clips: clips.map((c) => ({ file: engine.library.videoPath(c), name: c.title })),
    dest: o.dest,
    allowedDir: o.allowedDir ?? path.dirname(path.resolve(o.dest)),
    tools: o.tools,
    settings: sequenceSettings(clips, (o.now ?? Date.now)()),
    embedSettings: o.embedSettings ?? embedExportSettings,
    signal: o.signal,
  })
  engine.logger.info('sequence exported', { id, clips: clips.length, method: result.method, file: result.file })
  return { ...result, clips: clips.length }
}
