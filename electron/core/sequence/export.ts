// A sequence exported as one MP4 (issue 11, point 2). Clips that share one encoding are joined without
// re-encoding: with ffmpeg's concat demuxer (-c copy) where this machine has ffmpeg, else in JavaScript for clips
// of one H.264 track (js-join.ts). Clips that differ (size, frame rate, codec, sound) are re-encoded with ffmpeg;
// without it the export is refused with the reason (NO_ENCODER). The file reaches its name only by .part, checked
// as an MP4 of the sequence's length, the settings embedded (by the injected embedSettings), fsync, rename.
import { randomBytes } from 'node:crypto'
import { mkdtemp, open, realpath, rename, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { isSameOrInside } from '../../node/inside-folder'
import { type FfmpegTools, h264Encoder, probeStreams, runTool, type StreamInfo } from '../media/ffmpeg'
import { probeMp4File } from '../media/mp4-probe'
import { fsyncDir } from '../util/atomic-write'
import { joinInJavaScript } from './js-join'

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

/** What differs between the clips that stops a join without re-encoding, or null when they match. */
export function mismatch(clips: ReadonlyArray<{ name: string; info: StreamInfo }>): string | null {
  const first = clips[0]
  if (!first) return null
  for (const { name, info } of clips) {
    if (!info.video) return `${name} has no video stream`
    const a = first.info.video
    const b = info.video
    if (!a) return `${first.name} has no video stream`
    if (b.codec !== a.codec || b.profile !== a.profile)
      return `${name} is ${b.codec} ${b.profile ?? ''}, the first clip ${a.codec} ${a.profile ?? ''}`.replace(
        / +,/,
        ',',
      )
    if (b.width !== a.width || b.height !== a.height)
      return `${name} is ${b.width}×${b.height}, the first clip ${a.width}×${a.height}`
    if (b.frameRate !== a.frameRate || b.timeBase !== a.timeBase)
      return `${name} is at ${b.frameRate} fps, the first clip at ${a.frameRate}`
    if (b.pixFmt !== a.pixFmt) return `${name} has pixel format ${b.pixFmt}, the first clip ${a.pixFmt}`
    if (b.extradata !== a.extradata) return `${name} was encoded with other settings (SPS/PPS) than the first clip`
    const sa = first.info.audio
    const sb = info.audio
    if (Boolean(sa) !== Boolean(sb)) return `${sb ? name : first.name} has sound and ${sb ? first.name : name} has none`
    if (sa && sb && (sa.codec !== sb.codec || sa.sampleRate !== sb.sampleRate || sa.channels !== sb.channels))
      return `${name}'s sound is ${sb.codec} ${sb.sampleRate} Hz, the first clip's ${sa.codec} ${sa.sampleRate} Hz`
  }
  return null
}

/** ffmpeg's concat list: one `file '<path>'` a line, quotes escaped as the concat demuxer documents. */
function concatList(files: string[]): string {
  return files.map((f) => `file '${f.replace(/'/g, "'\\''")}'\n`).join('')
}

async function copyWithFfmpeg(tools: FfmpegTools, files: string[], out: string, signal?: AbortSignal): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'seedance-concat-'))
  try {
    const list = path.join(dir, 'list.txt')
    await writeFile(list, concatList(files))
    await runTool(
      tools.ffmpeg,
      [
        '-hide_banner',
        '-v',
        'error',
        '-y',
        '-f',
        'concat',
        '-safe',
        '0',
        '-i',
        list,
        '-map',
        '0',
        '-c',
        'copy',
        '-movflags',
        '+faststart',
        '-f',
        'mp4',
        out,
      ],
      { signal },
    )
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** Re-encode every clip to the first clip's size and frame rate, one after the other; sound kept when any has it. */
async function reencode(
  tools: FfmpegTools,
  encoder: string,
  clips: ReadonlyArray<{ file: string; info: StreamInfo }>,
  out: string,
  signal?: AbortSignal,
): Promise<void> {
  const first = clips[0]?.info.video
  if (!first) throw new ExportError(EXPORT_ERROR.failed, 'The first clip has no video stream.')
  const w = first.width + (first.width % 2)
  const h = first.height + (first.height % 2)
  const fps = first.frameRate && first.frameRate !== '0/0' ? first.frameRate : '24'
  const sound = clips.some((c) => c.info.audio)
  const inputs: string[] = []
  for (const c of clips) inputs.push('-i', c.file)
  const filters: string[] = []
  const joined: string[] = []
  clips.forEach((c, i) => {
    filters.push(
      `[${i}:v:0]scale=${w}:${h}:force_original_aspect_ratio=decrease,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=${fps},format=yuv420p[v${i}]`,
    )
    joined.push(`[v${i}]`)
    if (sound) {
      if (c.info.audio) filters.push(`[${i}:a:0]aresample=48000,aformat=channel_layouts=stereo[a${i}]`)
      // A silent clip among clips with sound: silence of its length, so sound stays in step with the pictures.
      else filters.push(`anullsrc=r=48000:cl=stereo,atrim=duration=${c.info.durationSeconds.toFixed(3)}[a${i}]`)
      joined.push(`[a${i}]`)
    }
  })
  filters.push(`${joined.join('')}concat=n=${clips.length}:v=1:a=${sound ? 1 : 0}[v]${sound ? '[a]' : ''}`)
  const args = [
    '-hide_banner',
    '-v',
    'error',
    '-y',
    ...inputs,
    '-filter_complex',
    filters.join(';'),
    '-map',
    '[v]',
    ...(sound ? ['-map', '[a]', '-c:a', 'aac', '-b:a', '192k'] : []),
    '-c:v',
    encoder,
    ...(encoder === 'libx264' ? ['-preset', 'veryfast', '-crf', '18'] : ['-b:v', '8M']),
    '-pix_fmt',
    'yuv420p',
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    out,
  ]
  await runTool(tools.ffmpeg, args, { signal })
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
