// Joining a sequence's clips without ffmpeg and without re-encoding (issue 11): possible when every clip is one
// H.264 video track, with no sound, at the same whole frame rate and size, sharing one decoder configuration
// (SPS/PPS), as the Sandbox's clips of one resolution are. The samples are copied as they are into one fast-start
// MP4 (electron/node/mp4-mux.ts); anything else needs ffmpeg, and the reason is said.
import { readFile } from 'node:fs/promises'
import { createFile, MP4BoxBuffer } from 'mp4box'
import { type AvcTrack, joinSegments, readAvcTrack, writeAvcMp4 } from '../../node/mp4-mux'

/** Read whole into memory: past this the join is left to ffmpeg. */
const MAX_TOTAL_BYTES = 1024 * 1024 * 1024

interface TrackInfo {
  type?: string
  codec?: string
  timescale?: number
  duration?: number
  nb_samples?: number
}

interface SampleTables {
  ctts?: unknown
  stts?: { sample_deltas?: number[] }
}

/** The file's tracks, and what the writer cannot carry: reordered frames (ctts) or frames of unequal length. */
function tracksOf(bytes: Uint8Array): { tracks: TrackInfo[]; reordered: boolean; variable: boolean } {
  const mp4 = createFile()
  mp4.appendBuffer(MP4BoxBuffer.fromArrayBuffer(bytes.slice().buffer as ArrayBuffer, 0))
  mp4.flush()
  const stbl = (mp4.moov?.traks[0] as unknown as { mdia?: { minf?: { stbl?: SampleTables } } } | undefined)?.mdia?.minf
    ?.stbl
  const deltas = stbl?.stts?.sample_deltas ?? []
  return {
    tracks: (mp4.getInfo()?.tracks ?? []) as TrackInfo[],
    reordered: Boolean(stbl?.ctts),
    variable: new Set(deltas).size > 1,
  }
}

export type JsJoin = { ok: true; mp4: Uint8Array; fps: number } | { ok: false; reason: string }

/** The joined MP4, or why these clips cannot be joined without ffmpeg. */
export async function joinInJavaScript(files: ReadonlyArray<{ file: string; name: string }>): Promise<JsJoin> {
  const tracks: AvcTrack[] = []
  let fps: number | null = null
  let total = 0
  for (const { file, name } of files) {
    const bytes = new Uint8Array(await readFile(file))
    total += bytes.length
    if (total > MAX_TOTAL_BYTES) return { ok: false, reason: 'the clips are too large to join in memory' }
    let tables: ReturnType<typeof tracksOf>
    try {
      tables = tracksOf(bytes)
    } catch {
      return { ok: false, reason: `${name} is not an MP4 this app can read` }
    }
    const info = tables.tracks
    // The writer lays samples out in decoding order at one frame each: B-frames or a variable rate need ffmpeg.
    if (tables.reordered) return { ok: false, reason: `${name} has reordered frames (B-frames)` }
    if (tables.variable) return { ok: false, reason: `${name} has frames of unequal length` }
    const video = info.filter((t) => t.type === 'video')
    if (info.length !== 1 || video.length !== 1)
      return {
        ok: false,
        reason: `${name} has ${info.some((t) => t.type === 'audio') ? 'sound' : 'more than one track'}`,
      }
    const t = video[0] as TrackInfo
    if (!t.codec?.startsWith('avc1'))
      return { ok: false, reason: `${name} is not H.264 (${t.codec ?? 'unknown codec'})` }
    const rate = t.timescale && t.duration && t.nb_samples ? (t.nb_samples * t.timescale) / t.duration : 0
    const whole = Math.round(rate)
    if (!whole || Math.abs(rate - whole) > 0.01) return { ok: false, reason: `${name} is not at a whole frame rate` }
    if (fps !== null && whole !== fps)
      return { ok: false, reason: `${name} is at ${whole} fps, the first clip at ${fps}` }
    fps = whole
    let track: AvcTrack
    try {
      track = readAvcTrack(bytes)
    } catch (error) {
      return { ok: false, reason: `${name}: ${(error as Error).message}` }
    }
    const first = tracks[0]
    if (first && (track.width !== first.width || track.height !== first.height))
      return {
        ok: false,
        reason: `${name} is ${track.width}×${track.height}, the first clip ${first.width}×${first.height}`,
      }
    if (first && (track.avcC.length !== first.avcC.length || track.avcC.some((b, i) => b !== first.avcC[i])))
      return { ok: false, reason: `${name} was encoded with other settings (SPS/PPS) than the first clip` }
    tracks.push(track)
  }
  if (!fps || tracks.length === 0) return { ok: false, reason: 'there is no clip to join' }
  try {
    return { ok: true, mp4: writeAvcMp4(joinSegments(tracks), fps), fps }
  } catch (error) {
    return { ok: false, reason: (error as Error).message }
  }
}
