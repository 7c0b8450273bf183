// ffmpeg and ffprobe, where this machine has them (issue 11: a sequence's export re-encodes with ffmpeg when its
// clips differ; the CLI takes a clip's last frame with it). Nothing here is bundled: the app works without them
// (the renderer takes last frames itself, and clips that match are joined without re-encoding in JavaScript).
// SEEDANCE_FFMPEG names an ffmpeg binary (its ffprobe beside it); otherwise both are looked up on PATH.
import { spawn } from 'node:child_process'
import path from 'node:path'

export interface FfmpegTools {
  ffmpeg: string
  ffprobe: string
}

export class FfmpegError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'FfmpegError'
  }
}

/** Run a tool to completion; stdout as text, or FfmpegError with the last lines of stderr. */
export function runTool(
  bin: string,
  args: string[],
  o: { signal?: AbortSignal; timeoutMs?: number; maxOutput?: number } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], signal: o.signal, windowsHide: true })
    const max = o.maxOutput ?? 16 * 1024 * 1024
    let out = ''
    let err = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (out.length < max) out += d
    })
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err = (err + d).slice(-4000)
    })
    const timer = o.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), o.timeoutMs) : null
    child.on('error', (e) => {
      if (timer) clearTimeout(timer)
      reject(new FfmpegError('FFMPEG_FAILED', `${path.basename(bin)} could not run: ${e.message}`))
    })
    child.on('close', (code, sig) => {
      if (timer) clearTimeout(timer)
      if (code === 0) resolve(out)
      else
        reject(
          new FfmpegError(
            'FFMPEG_FAILED',
            `${path.basename(bin)} failed (${sig ?? `exit ${code}`}): ${err.trim().split('\n').slice(-3).join(' ')}`,
          ),
        )
    })
  })
}

/** ffmpeg and ffprobe when both answer `-version`; null when this machine has none. */
export async function findFfmpeg(env: NodeJS.ProcessEnv = process.env): Promise<FfmpegTools | null> {
  const named = env.SEEDANCE_FFMPEG?.trim()
  if (named === 'none') return null
  const exe = process.platform === 'win32' ? '.exe' : ''
  const tools = named
    ? { ffmpeg: named, ffprobe: path.join(path.dirname(named), `ffprobe${exe}`) }
    : { ffmpeg: `ffmpeg${exe}`, ffprobe: `ffprobe${exe}` }
  try {
    await runTool(tools.ffmpeg, ['-hide_banner', '-version'], { timeoutMs: 10_000 })
    await runTool(tools.ffprobe, ['-hide_banner', '-version'], { timeoutMs: 10_000 })
    return tools
  } catch {
    return null
  }
}

/** The H.264 encoder this ffmpeg has (libx264, else OpenH264), or null. */
export async function h264Encoder(tools: FfmpegTools): Promise<string | null> {
  const list = await runTool(tools.ffmpeg, ['-hide_banner', '-encoders'], { timeoutMs: 10_000 }).catch(() => '')
  for (const name of ['libx264', 'libopenh264']) if (new RegExp(`\\s${name}\\s`).test(list)) return name
  return null
}

export interface StreamInfo {
  durationSeconds: number
  video: {
    codec: string
    profile: string | null
    width: number
    height: number
    pixFmt: string | null
    frameRate: string
    timeBase: string | null
    /** A hash of the decoder configuration (SPS/PPS): clips joined without re-encoding must share it. */
    extradata: string | null
  } | null
  audio: { codec: string; sampleRate: string | null; channels: number | null; timeBase: string | null } | null
}

interface ProbedStream {
  codec_type?: string
  codec_name?: string
  profile?: string
  width?: number
  height?: number
  pix_fmt?: string
  r_frame_rate?: string
  time_base?: string
  extradata_hash?: string
  sample_rate?: string
  channels?: number
}

/** What ffprobe says of a file's first video and audio streams and its duration. */
export async function probeStreams(tools: FfmpegTools, file: string): Promise<StreamInfo> {
  const text = await runTool(
    tools.ffprobe,
    ['-v', 'error', '-show_data_hash', 'SHA256', '-show_streams', '-show_format', '-of', 'json', file],
    { timeoutMs: 60_000 },
  )
  const json = JSON.parse(text) as { streams?: ProbedStream[]; format?: { duration?: string } }
  const streams = json.streams ?? []
  const v = streams.find((s) => s.codec_type === 'video')
  const a = streams.find((s) => s.codec_type === 'audio')
  return {
    durationSeconds: Number(json.format?.duration ?? 0) || 0,
    video: v
      ? {
          codec: v.codec_name ?? '?',
          profile: v.profile ?? null,
          width: v.width ?? 0,
          height: v.height ?? 0,
          pixFmt: v.pix_fmt ?? null,
          frameRate: v.r_frame_rate ?? '0/0',
          timeBase: v.time_base ?? null,
          extradata: v.extradata_hash ?? null,
        }
      : null,
    audio: a
      ? {
          codec: a.codec_name ?? '?',
          sampleRate: a.sample_rate ?? null,
          channels: a.channels ?? null,
          timeBase: a.time_base ?? null,
        }
      : null,
  }
}
