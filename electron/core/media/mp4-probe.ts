// Reads an MP4's structure (with mp4box.js): its video track's codec, size, duration and frame count,
// and whether it is laid out for fast start. Used to accept a download only if it is a real video.
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

/** Top-level box types in order; throws if the last box runs past the end of the data (a cut-off download). */
function topLevelBoxes(data: Uint8Array): string[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  const types: string[] = []
  let at = 0
  while (at + 8 <= data.length) {
    let size = view.getUint32(at)
    const type = String.fromCharCode(...data.subarray(at + 4, at + 8))
    if (size === 1 && at + 16 <= data.length) size = Number(view.getBigUint64(at + 8))
    if (size === 0) size = data.length - at
    if (size < 8) throw new Mp4ProbeError(`Invalid ${type} box size at byte ${at}.`)
    if (at + size > data.length)
      throw new Mp4ProbeError(`The file is truncated: its ${type} box needs ${at + size - data.length} more bytes.`)
    types.push(type)
    at += size
  }
  return types
}

/** Probe a whole file held in memory. Throws Mp4ProbeError if it is not an MP4 with a video track. */
export function probeMp4(data: Uint8Array): Mp4Probe {
  const mp4 = createFile()
  type Track = {
    id: number
    codec: string
    video?: { width: number; height: number }
    duration: number
    timescale: number
    nb_samples: number
  }
  const seen: { tracks: Track[] | null; failure: string | null } = { tracks: null, failure: null }
  mp4.onReady = (info) => {
    seen.tracks = (info as unknown as { videoTracks: Track[] }).videoTracks
  }
  mp4.onError = (_module: string, message: string) => {
    seen.failure = message
  }
  try {
    mp4.appendBuffer(MP4BoxBuffer.fromArrayBuffer(data.slice().buffer as ArrayBuffer, 0))
    mp4.flush()
  } catch (error) {
    seen.failure = (error as Error).message
  }
  const track = seen.tracks?.[0]
  if (!track?.video) {
    throw new Mp4ProbeError(seen.failure ? `Not a playable MP4: ${seen.failure}` : 'The file has no video track.')
  }
  const trak = mp4.getTrackById(track.id) as unknown as { samples: Array<{ is_sync: boolean }> }
  const boxes = topLevelBoxes(data)
  const moov = boxes.indexOf('moov')
  const mdat = boxes.indexOf('mdat')
  if (mdat < 0) throw new Mp4ProbeError('The file has no media data (mdat box).')
  return {
    codec: track.codec,
    width: track.video.width,
    height: track.video.height,
    durationSeconds: track.duration / track.timescale,
    frames: track.nb_samples,
    keyFrames: trak.samples.filter((s) => s.is_sync).length,
    fastStart: moov >= 0 && moov < mdat,
  }
}
