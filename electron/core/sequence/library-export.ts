// Export the sequence a library video belongs to (shared/sequence.ts) as one MP4 (export.ts), with the sequence's
// settings for the file's metadata. The app's handler and the CLI both come here.
import path from 'node:path'
import type { LibraryEntry } from '../../shared/model'
import { sequenceOf } from '../../shared/sequence'
import type { Engine } from '../engine'
import { EngineError } from '../engine-error'
import type { FfmpegTools } from '../media/ffmpeg'
import { EXPORT_ERROR, ExportError, type ExportResult, exportSequence } from './export'

export interface LibraryExportOptions {
  /** The file to write, absolute (the save dialog's answer, the CLI's --out). */
  dest: string
  /** The folder it must be in: the folder chosen. Default: the destination's own folder. */
  allowedDir?: string
  tools: FfmpegTools | null
  embedSettings?: (file: string, settings: object) => Promise<void>
  signal?: AbortSignal
  now?: () => number
}

/** The settings that travel with an exported sequence: the first clip's, and each clip's own. */
export function sequenceSettings(clips: LibraryEntry[], now: number): Record<string, unknown> {
  const first = clips[0] as LibraryEntry
  return {
    prompt: first.prompt,
    provider: first.provider ?? null,
    model: first.model ?? null,
    seed: first.seed ?? null,
    duration: clips.reduce((n, c) => n + c.duration, 0),
    resolution: first.resolution,
    ratio: first.aspectRatio,
    style: first.style,
    motion: first.motionIntensity,
    jobId: first.jobId,
    created: new Date(now).toISOString(),
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
    embedSettings: o.embedSettings,
    signal: o.signal,
  })
  engine.logger.info('sequence exported', { id, clips: clips.length, method: result.method, file: result.file })
  return { ...result, clips: clips.length }
}
