// "Continue from last frame" (issue 11, point 2): an image-to-video job whose first frame is a library video's last
// frame, with that video's settings (door, model, duration, resolution, shape, style, motion, seed, fixed camera,
// sound). The frame is, in order: the one the caller took from the file (the app's renderer decodes it with the
// browser's own H.264 decoder, so it works offline on any machine), the service's image of it kept when the video
// was saved (Ark gives one: the job's output.lastFrameUrl), or one taken with ffmpeg where this machine has it (the CLI).
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { GenerationRequest, JobRecord, LibraryEntry } from '../../shared/model'
import { findModel, isProviderId, providerInfo } from '../../shared/providers'
import { frameName } from '../../shared/sequence'
import type { Engine } from '../engine'
import { EngineError } from '../engine-error'
import { type FfmpegTools, runTool } from '../media/ffmpeg'
import type { RequestInput } from '../prepare-request'
import { lastFramePath } from './last-frame'

export const CONTINUE_ERROR = {
  notFound: 'VIDEO_NOT_FOUND',
  /** The model has no first-frame (image-to-video) mode. */
  noFirstFrame: 'NO_FIRST_FRAME_MODE',
  /** Neither a frame given, nor one kept, nor ffmpeg to take it from the file. */
  noFrame: 'LAST_FRAME_UNAVAILABLE',
  videoMissing: 'VIDEO_MISSING',
} as const

export interface ContinueOptions {
  /** The last frame, taken from the video file by the caller (the renderer), as image bytes. */
  frame?: { name: string; data: Uint8Array } | null
  /** Another prompt for the continuation; default: the video's own. */
  prompt?: string | null
  /** ffmpeg, to take the last frame from the file when none is given or kept (null: none on this machine). */
  tools?: FfmpegTools | null
}

export interface ContinueOutcome {
  job: JobRecord
  /** The same continuation was already being made: joined, not sent again. */
  joined: boolean
  /** Where its first frame came from. */
  frameFrom: 'given' | 'service' | 'ffmpeg'
}

/** The door and model a continuation goes through: the video's own, refused when it cannot start from an image. */
function doorOf(entry: LibraryEntry, engine: Engine): { provider: GenerationRequest['provider']; model: string } {
  const provider = entry.provider && isProviderId(entry.provider) ? entry.provider : engine.connection.provider
  const model = entry.provider ? (entry.model ?? providerInfo(provider).defaultModel) : engine.connection.model
  const info = findModel(provider, model)
  if (info && !info.modes.includes('first-frame'))
    throw new EngineError(
      CONTINUE_ERROR.noFirstFrame,
      `${info.label} (${providerInfo(provider).label}) cannot start a video from an image, so it cannot continue this one. Reuse its settings with a model that makes image-to-video.`,
    )
  return { provider, model }
}

/** The video's last frame as a PNG, decoded by ffmpeg (seeking from the end, keeping the last picture written). */
export async function lastFrameWithFfmpeg(tools: FfmpegTools, file: string): Promise<Uint8Array> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'seedance-frame-'))
  try {
    const out = path.join(dir, 'last.png')
    await runTool(
      tools.ffmpeg,
      ['-hide_banner', '-v', 'error', '-sseof', '-1', '-i', file, '-an', '-update', '1', '-y', out],
      { timeoutMs: 120_000 },
    )
    return new Uint8Array(await readFile(out))
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

async function firstFrame(
  engine: Engine,
  entry: LibraryEntry,
  o: ContinueOptions,
): Promise<{ image: { name: string; data: Uint8Array }; from: ContinueOutcome['frameFrom'] }> {
  const name = frameName(entry.title)
  if (o.frame) return { image: { name: o.frame.name || name, data: o.frame.data }, from: 'given' }
  const kept = lastFramePath(engine.library.dir, entry)
  if (kept) {
    const data = await readFile(kept).catch(() => null)
    if (data) return { image: { name, data: new Uint8Array(data) }, from: 'service' }
  }
  if (entry.expired || entry.missing)
    throw new EngineError(
      CONTINUE_ERROR.videoMissing,
      `“${entry.title}” has no video file here to take its last frame from${entry.missing ? ' (the file is missing)' : ''}.`,
    )
  if (!o.tools)
    throw new EngineError(
      CONTINUE_ERROR.noFrame,
      `The service gave no image of “${entry.title}”’s last frame, and this machine has no ffmpeg to take it from the file: continue it in the app, or install ffmpeg (or set SEEDANCE_FFMPEG).`,
    )
  return { image: { name, data: await lastFrameWithFfmpeg(o.tools, engine.library.videoPath(entry)) }, from: 'ffmpeg' }
}

/** The request a continuation of `entry` asks for: the video's settings, its last frame as the first frame. */
export function continuationInput(
  entry: LibraryEntry,
  made: GenerationRequest | null,
  door: { provider: GenerationRequest['provider']; model: string },
  image: { name: string; data: Uint8Array },
  prompt: string | null | undefined,
): RequestInput {
  const model = findModel(door.provider, door.model)
  const extra = entry as LibraryEntry & { cameraFixed?: boolean | null; audio?: boolean | null }
  if (entry.external && model) {
    // A video the app did not make has no settings of its own: its length, size and shape, fitted to the model.
    const { min, max } = model.durations
    return {
      ...door,
      prompt: prompt?.trim() ?? '',
      image,
      duration: Math.min(max, Math.max(min, Math.round(entry.duration))),
      resolution: model.resolutions.includes(entry.resolution) ? entry.resolution : model.defaultResolution,
      aspectRatio: model.ratios.includes(entry.aspectRatio) ? entry.aspectRatio : null,
    }
  }
  return {
    ...door,
    prompt: prompt?.trim() || entry.prompt,
    image,
    duration: made?.duration ?? entry.duration,
    resolution: entry.resolution,
    // The shape it was made in (the first frame has it too).
    aspectRatio: made ? (made.aspectRatio ?? entry.aspectRatio) : entry.aspectRatio,
    style: entry.style,
    motionIntensity: entry.motionIntensity,
    // The seed it was made with (the service's echo, else the one fixed), where the model takes one.
    seed: model?.seed === false ? null : (entry.seed ?? made?.seed ?? null),
    cameraFixed: made?.cameraFixed ?? extra.cameraFixed ?? null,
    audio: made?.audio ?? extra.audio ?? null,
  }
}

/** Start the continuation of library video `id`: an image-to-video job from its last frame, with its settings. */
export async function continueVideo(engine: Engine, id: string, o: ContinueOptions = {}): Promise<ContinueOutcome> {
  const entry = engine.library.get(id)
  if (!entry) throw new EngineError(CONTINUE_ERROR.notFound, 'That video is no longer in the library.')
  const door = doorOf(entry, engine)
  const { image, from } = await firstFrame(engine, entry, o)
  const made = entry.jobId ? (engine.jobs.get(entry.jobId)?.request ?? null) : null
  const request = await engine.prepare(continuationInput(entry, made, door, image, o.prompt))
  // Forced: continuing a clip again asks for another take; the same one still being made is joined all the same.
  const outcome = await engine.jobs.submitOrJoin({ ...request, continues: entry.id }, { force: true })
  if (outcome.kind === 'exists') throw new Error('A forced submission never answers "exists".')
  return { job: outcome.job, joined: outcome.kind === 'joined', frameFrom: from }
}
