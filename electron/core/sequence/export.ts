// A sequence exported as one MP4 (issue 11, point 2). Clips that share one encoding are joined without
// re-encoding: with ffmpeg's concat demuxer (-c copy) where this machine has ffmpeg, else in JavaScript for clips
// of one H.264 track (js-join.ts). Clips that differ (size, frame rate, codec, sound) are re-encoded with ffmpeg;
// without it the export is refused with the reason (NO_ENCODER). The file reaches its name only by .part, checked
// as an MP4 of the sequence's length, the settings embedded (by the injected embedSettings), fsync, rename.
import { randomBytes } from 'node:crypto'
import { open, realpath, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { isSameOrInside } from '../../node/inside-folder'
import { type FfmpegTools, h264Encoder, probeStreams } from '../media/ffmpeg'
import { probeMp4File } from '../media/mp4-probe'
import { fsyncDir } from '../util/atomic-write'
import { copyWithFfmpeg, mismatch, reencode } from './ffmpeg-join'
import { joinInJavaScript } from './js-join'

export { mismatch } from './ffmpeg-join'

export const EXPORT_ERROR = {
  empty: 'SEQUENCE_EMPTY',
  clipMissing: 'CLIP_MISSING',
  destination: 'INVALID_DESTINATION',
  noEncoder: 'NO_ENCODER',
  failed: 'EXPORT_FAILED',
} as const

export class ExportError extends Error {
  constructor(
    readonly code: (typeof EXPORT_ERROR)[keyof typeof EXPORT_ERROR],
    message: string,
  ) {
    super(message)
    this.name = 'ExportError'
  }
}

export interface ExportClip {
  /** The clip's file, absolute. */
  file: string
  /** How the user knows it (its title), for messages. */
  name: string
}

export interface ExportSequenceOptions {
  clips: ExportClip[]
  /** The file to write (an .mp4), absolute. */
  dest: string
  /** The folder the user chose: the destination (and its .part) must be in it, whatever links or `..` say. */
  allowedDir: string
  /** ffmpeg and ffprobe, or null where this machine has none (core/media/ffmpeg.ts findFfmpeg). */
  tools: FfmpegTools | null
  /** The sequence's settings, embedded into the exported file by `embedSettings` before it gets its name. */
  settings: object
  embedSettings?: (file: string, settings: object) => Promise<void>
  signal?: AbortSignal
}

export interface ExportResult {
  file: string
  /** 'copy': joined without re-encoding; 'reencode': re-encoded with ffmpeg. */
  method: 'copy' | 'reencode'
  /** Why the clips were re-encoded (what differs), or null. */
  reason: string | null
  durationSeconds: number
  bytes: number
}

/** The destination, checked: an .mp4 in the chosen folder (its real place), not a folder, not one of the clips. */
async function checkDestination(o: ExportSequenceOptions): Promise<string> {
  const dest = path.resolve(o.dest)
  const bad = (why: string) => new ExportError(EXPORT_ERROR.destination, `Cannot export to ${dest}: ${why}.`)
  if (!dest.toLowerCase().endsWith('.mp4')) throw bad('the file name must end in .mp4')
  let parent: string
  let allowed: string
  try {
    ;[parent, allowed] = await Promise.all([realpath(path.dirname(dest)), realpath(o.allowedDir)])
  } catch {
    throw bad('its folder does not exist')
  }
  if (!isSameOrInside(allowed, parent)) throw bad(`it is outside the folder chosen (${o.allowedDir})`)
  const real = path.join(parent, path.basename(dest))
  const existing = await stat(real).catch(() => null)
  if (existing && !existing.isFile()) throw bad('a folder has that name')
  for (const clip of o.clips) {
    const clipReal = await realpath(clip.file).catch(() => clip.file)
    if (clipReal === real) throw bad('it is one of the clips of the sequence')
  }
  return real
}

async function fsyncFile(file: string): Promise<void> {
  const handle = await open(file, 'r+')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

export async function exportSequence(o: ExportSequenceOptions): Promise<ExportResult> {
  if (o.clips.length === 0) throw new ExportError(EXPORT_ERROR.empty, 'There is no clip to export.')
  for (const clip of o.clips) {
    const s = await stat(clip.file).catch(() => null)
    if (!s?.isFile())
      throw new ExportError(EXPORT_ERROR.clipMissing, `“${clip.name}” is missing: its file ${clip.file} is not there.`)
  }
  const dest = await checkDestination(o)
  const part = path.join(path.dirname(dest), `.${path.basename(dest)}.${randomBytes(4).toString('hex')}.part`)
  let expected = 0
  for (const clip of o.clips) {
    const probe = await probeMp4File(clip.file).catch((e: Error) => {
      throw new ExportError(EXPORT_ERROR.failed, `“${clip.name}” is not a playable MP4: ${e.message}`)
    })
    expected += probe.durationSeconds
  }
  let method: ExportResult['method'] = 'copy'
  let reason: string | null = null
  try {
    if (o.tools) {
      const probed = []
      for (const c of o.clips) probed.push({ file: c.file, name: c.name, info: await probeStreams(o.tools, c.file) })
      reason = mismatch(probed)
      if (!reason)
        await copyWithFfmpeg(
          o.tools,
          o.clips.map((c) => c.file),
          part,
          o.signal,
        )
      else {
        const encoder = await h264Encoder(o.tools)
        if (!encoder)
          throw new ExportError(
            EXPORT_ERROR.noEncoder,
            `The clips must be re-encoded (${reason}), and this machine's ffmpeg has no H.264 encoder (libx264 or OpenH264).`,
          )
        method = 'reencode'
        await reencode(o.tools, encoder, probed, part, o.signal)
      }
    } else {
      const joined = await joinInJavaScript(o.clips.map((c) => ({ file: c.file, name: `“${c.name}”` })))
      if (!joined.ok)
        throw new ExportError(
          EXPORT_ERROR.noEncoder,
          `The clips must be re-encoded (${joined.reason}), and this machine has no ffmpeg to do it: install ffmpeg (or set SEEDANCE_FFMPEG to its path) and export again.`,
        )
      const handle = await open(part, 'w')
      try {
        await handle.writeFile(joined.mp4)
      } finally {
        await handle.close()
      }
    }
    // The file is checked as what it claims to be: an MP4 as long as its clips together.
    const probe = await probeMp4File(part).catch((e: Error) => {
      throw new ExportError(EXPORT_ERROR.failed, `The exported file is not a playable MP4: ${e.message}`)
    })
    const slack = 0.1 * o.clips.length + 0.1
    if (expected > 0 && Math.abs(probe.durationSeconds - expected) > slack)
      throw new ExportError(
        EXPORT_ERROR.failed,
        `The exported file lasts ${probe.durationSeconds.toFixed(2)} s; its clips together last ${expected.toFixed(2)} s.`,
      )
    await o.embedSettings?.(part, o.settings)
    await fsyncFile(part)
    await rename(part, dest)
    await fsyncDir(path.dirname(dest))
    return { file: dest, method, reason, durationSeconds: probe.durationSeconds, bytes: (await stat(dest)).size }
  } catch (error) {
    await rm(part, { force: true })
    if (error instanceof ExportError) throw error
    throw new ExportError(EXPORT_ERROR.failed, `The sequence was not exported: ${(error as Error).message}`)
  }
}
