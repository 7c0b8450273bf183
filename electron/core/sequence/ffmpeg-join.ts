// The ffmpeg side of a sequence's export (export.ts): whether the clips can be joined as they are (the concat
// demuxer copies one encoding only), the join itself with -c copy, and the re-encode of clips that differ.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { type FfmpegTools, runTool, type StreamInfo } from '../media/ffmpeg'

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

export async function copyWithFfmpeg(
  tools: FfmpegTools,
  files: string[],
  out: string,
  signal?: AbortSignal,
): Promise<void> {
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
export async function reencode(
  tools: FfmpegTools,
  encoder: string,
  clips: ReadonlyArray<{ file: string; info: StreamInfo }>,
  out: string,
  signal?: AbortSignal,
): Promise<void> {
  const first = clips[0]?.info.video
  if (!first) throw new Error('the first clip has no video stream')
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
