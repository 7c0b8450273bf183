// Reads an MP4's structure (with mp4box.js): its video track's codec, size, duration and frame count,
// and whether it is laid out for fast start. Used to accept a download only if it is a real video.
// Only what describes the movie is read: the top-level box headers (to find the boxes and notice a cut-off
// file) and the ftyp and moov boxes, which mp4box parses; the media data (mdat, nearly all of the file) is
// never loaded, so a video is not held in memory to be checked (issue 9).
import { open } from 'node:fs/promises'
import { createFile, MP4BoxBuffer } from 'mp4box'

export interface Mp4Probe {
  /** e.g. "avc1.42c01f" */
  codec: string
  width: number
  height: number
  durationSeconds: number
  frames: number
  keyFrames: number
  /** moov precedes mdat, so playback can start before the whole file is read. */
  fastStart: boolean
}

export class Mp4ProbeError extends Error {
  readonly code = 'INVALID_VIDEO'
}

/** The movie box holds only the sample tables; even hours of video keep it far below this. */
const MAX_MOOV_BYTES = 64 * 1024 * 1024
const MAX_TOP_LEVEL_BOXES = 10_000

interface Box {
  type: string
  at: number
  size: number
}

/** The box whose header starts `head` (read at byte `at` of a file of `length` bytes). */
function boxAt(head: Uint8Array, at: number, length: number, count: number): Box {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength)
  let size = view.getUint32(0)
  const type = String.fromCharCode(...head.subarray(4, 8))
  if (size === 1 && head.length >= 16) size = Number(view.getBigUint64(8))
  if (size === 0) size = length - at
  if (size < 8) throw new Mp4ProbeError(`Invalid ${type} box size at byte ${at}.`)
  if (at + size > length)
    throw new Mp4ProbeError(`The file is truncated: its ${type} box needs ${at + size - length} more bytes.`)
  if (count >= MAX_TOP_LEVEL_BOXES) throw new Mp4ProbeError('The file has too many top-level boxes.')
  return { type, at, size }
}

/** Where moov and mdat are; throws if either is missing or the description is too large. */
function layout(boxes: Box[]): { movie: Box[]; bytes: number; fastStart: boolean } {
  const moov = boxes.findIndex((b) => b.type === 'moov')
  const mdat = boxes.findIndex((b) => b.type === 'mdat')
  if (moov < 0) throw new Mp4ProbeError('Not a playable MP4: the file has no movie box (moov).')
  if (mdat < 0) throw new Mp4ProbeError('The file has no media data (mdat box).')
  const movie = boxes.filter((b) => b.type === 'ftyp' || b.type === 'moov')
  const bytes = movie.reduce((n, b) => n + b.size, 0)
  if (bytes > MAX_MOOV_BYTES) throw new Mp4ProbeError(`The movie description is too large (${bytes} bytes).`)
  return { movie, bytes, fastStart: moov < mdat }
}

type Track = {
  id: number
  codec: string
  video?: { width: number; height: number }
  duration: number
  timescale: number
  nb_samples: number
}

/** Parse the movie description (ftyp + moov, laid end to end) with mp4box. */
function parseMovie(movie: Uint8Array, fastStart: boolean): Mp4Probe {
  const mp4 = createFile()
  const seen: { tracks: Track[] | null; failure: string | null } = { tracks: null, failure: null }
  mp4.onReady = (info) => {
    seen.tracks = (info as unknown as { videoTracks: Track[] }).videoTracks
  }
  mp4.onError = (_module: string, message: string) => {
    seen.failure = message
  }
  try {
    mp4.appendBuffer(MP4BoxBuffer.fromArrayBuffer(movie.slice().buffer as ArrayBuffer, 0))
    mp4.flush()
  } catch (error) {
    seen.failure = (error as Error).message
  }
  const track = seen.tracks?.[0]
  if (!track?.video) {
    throw new Mp4ProbeError(seen.failure ? `Not a playable MP4: ${seen.failure}` : 'The file has no video track.')
  }
  const trak = mp4.getTrackById(track.id) as unknown as { samples: Array<{ is_sync: boolean }> }
  return {
    codec: track.codec,
    width: track.video.width,
    height: track.video.height,
    durationSeconds: track.duration / track.timescale,
    frames: track.nb_samples,
    keyFrames: trak.samples.filter((s) => s.is_sync).length,
    fastStart,
  }
}

/** Probe a whole file held in memory. Throws Mp4ProbeError if it is not an MP4 with a video track. */
export function probeMp4(data: Uint8Array): Mp4Probe {
  const boxes: Box[] = []
  for (let at = 0; at + 8 <= data.length; at += (boxes.at(-1) as Box).size)
    boxes.push(boxAt(data.subarray(at, at + 16), at, data.length, boxes.length))
  const { movie, bytes, fastStart } = layout(boxes)
  const joined = new Uint8Array(bytes)
  let at = 0
  for (const b of movie) {
    joined.set(data.subarray(b.at, b.at + b.size), at)
    at += b.size
  }
  return parseMovie(joined, fastStart)
}

/** Probe a file on disk, reading only the top-level box headers and the movie description (ftyp + moov). */
export async function probeMp4File(file: string): Promise<Mp4Probe> {
  const handle = await open(file, 'r')
  try {
    const { size } = await handle.stat()
    const read = async (at: number, length: number) => {
      const buffer = new Uint8Array(length)
      const { bytesRead } = await handle.read(buffer, 0, length, at)
      return buffer.subarray(0, bytesRead)
    }
    const boxes: Box[] = []
    for (let at = 0; at + 8 <= size; at += (boxes.at(-1) as Box).size)
      boxes.push(boxAt(await read(at, Math.min(16, size - at)), at, size, boxes.length))
    const { movie, bytes, fastStart } = layout(boxes)
    const joined = new Uint8Array(bytes)
    let at = 0
    for (const b of movie) {
      joined.set(await read(b.at, b.size), at)
      at += b.size
    }
    return parseMovie(joined, fastStart)
  } finally {
    await handle.close()
  }
}
