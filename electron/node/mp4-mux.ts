// A minimal MP4 writer for one H.264 video track, laid out for fast start (ftyp, moov, then mdat), so a
// player can begin before the whole file has arrived. The encoder writes moov at the end and we encode a
// clip in parallel segments, so the segments' samples are read back (with mp4box.js) and written anew. The engine
// uses it too, to join a sequence's clips without re-encoding where they share one encoding (issue 11).
import { createFile, MP4BoxBuffer } from 'mp4box'

export interface AvcSample {
  data: Uint8Array
  sync: boolean
}

export interface AvcTrack {
  width: number
  height: number
  /** The avcC decoder configuration record (SPS/PPS), without its box header. */
  avcC: Uint8Array
  samples: AvcSample[]
}

interface ParsedSample {
  offset: number
  size: number
}

/** Whether a sample (4-byte length-prefixed NAL units) holds an IDR slice, NAL unit type 5. */
export function isIdr(sample: Uint8Array): boolean {
  const view = new DataView(sample.buffer, sample.byteOffset, sample.byteLength)
  for (let at = 0; at + 5 <= sample.length; ) {
    const length = view.getUint32(at)
    if (((sample[at + 4] as number) & 0x1f) === 5) return true
    at += 4 + length
  }
  return false
}

/** Read the video track of an MP4 (as the encoder writes it) into memory. */
export function readAvcTrack(file: Uint8Array): AvcTrack {
  const copy = file.slice().buffer as ArrayBuffer
  const mp4 = createFile()
  let ready = false
  mp4.onReady = () => {
    ready = true
  }
  mp4.appendBuffer(MP4BoxBuffer.fromArrayBuffer(copy, 0))
  mp4.flush()
  const trak = mp4.moov?.traks[0]
  if (!ready || !trak) throw new Error('Encoder output is not a readable MP4')
  const entry = trak.mdia.minf.stbl.stsd.entries[0] as unknown as {
    width: number
    height: number
    avcC?: { start: number; size: number; hdr_size: number }
  }
  if (!entry.avcC) throw new Error('Encoder output has no avcC box')
  const avcC = file.subarray(entry.avcC.start + entry.avcC.hdr_size, entry.avcC.start + entry.avcC.size)
  // The encoder writes no sync-sample table (which means "every frame is a key frame"), so find the
  // IDR frames from the NAL units themselves.
  const samples = (trak.samples as unknown as ParsedSample[]).map((s) => {
    const data = file.subarray(s.offset, s.offset + s.size)
    return { data, sync: isIdr(data) }
  })
  return { width: entry.width, height: entry.height, avcC: avcC.slice(), samples }
}

// --- writing -------------------------------------------------------------------------------------

type Part = Uint8Array | Part[]

function u32(n: number): Uint8Array {
  const b = new Uint8Array(4)
  new DataView(b.buffer).setUint32(0, n >>> 0)
  return b
}
function u16(n: number): Uint8Array {
  return new Uint8Array([(n >> 8) & 0xff, n & 0xff])
}
function bytes(...values: number[]): Uint8Array {
  return new Uint8Array(values)
}
function zeros(n: number): Uint8Array {
  return new Uint8Array(n)
}
function ascii(s: string): Uint8Array {
  return new Uint8Array([...s].map((c) => c.charCodeAt(0)))
}
function flatten(parts: Part, out: Uint8Array[] = []): Uint8Array[] {
  if (parts instanceof Uint8Array) out.push(parts)
  else for (const p of parts) flatten(p, out)
  return out
}
function concat(parts: Part): Uint8Array {
  const list = flatten(parts)
  const total = list.reduce((n, p) => n + p.length, 0)
  const out = new Uint8Array(total)
  let at = 0
  for (const p of list) {
    out.set(p, at)
    at += p.length
  }
  return out
}
function box(type: string, ...content: Part[]): Uint8Array {
  const body = concat(content)
  return concat([u32(body.length + 8), ascii(type), body])
}
function fullBox(type: string, version: number, flags: number, ...content: Part[]): Uint8Array {
  return box(type, bytes(version, (flags >> 16) & 0xff, (flags >> 8) & 0xff, flags & 0xff), ...content)
}

const UNITY_MATRIX = [0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000].map(u32)

function moov(track: AvcTrack, fps: number, mdatDataOffset: number): Uint8Array {
  const timescale = fps * 512 // exact integer sample durations for common frame rates
  const delta = 512
  const count = track.samples.length
  const duration = count * delta
  const movieTimescale = 1000
  const movieDuration = Math.round((duration / timescale) * movieTimescale)
  const syncs = track.samples.flatMap((s, i) => (s.sync ? [u32(i + 1)] : []))

  const mvhd = fullBox(
    'mvhd',
    0,
    0,
    u32(0),
    u32(0),
    u32(movieTimescale),
    u32(movieDuration),
    u32(0x00010000),
    u16(0x0100),
    zeros(10),
    UNITY_MATRIX,
    zeros(24),
    u32(2),
  )
  const tkhd = fullBox(
    'tkhd',
    0,
    3,
    u32(0),
    u32(0),
    u32(1),
    u32(0),
    u32(movieDuration),
    zeros(8),
    u16(0),
    u16(0),
    u16(0),
    u16(0),
    UNITY_MATRIX,
    u32(track.width << 16),
    u32(track.height << 16),
  )
  const mdhd = fullBox('mdhd', 0, 0, u32(0), u32(0), u32(timescale), u32(duration), u16(0x55c4 /* 'und' */), u16(0))
  const hdlr = fullBox('hdlr', 0, 0, u32(0), ascii('vide'), zeros(12), ascii('VideoHandler'), zeros(1))
  const avc1 = box(
    'avc1',
    zeros(6),
    u16(1), // data_reference_index
    zeros(16),
    u16(track.width),
    u16(track.height),
    u32(0x00480000),
    u32(0x00480000),
    u32(0),
    u16(1),
    zeros(32), // compressor name
    u16(0x0018),
    u16(0xffff),
    box('avcC', track.avcC),
  )
  const stsd = fullBox('stsd', 0, 0, u32(1), avc1)
  const stts = fullBox('stts', 0, 0, u32(1), u32(count), u32(delta))
  const stss = fullBox('stss', 0, 0, u32(syncs.length), syncs)
  const stsc = fullBox('stsc', 0, 0, u32(1), u32(1), u32(count), u32(1)) // one chunk holds every sample
  const stsz = fullBox(
    'stsz',
    0,
    0,
    u32(0),
    u32(count),
    track.samples.map((s) => u32(s.data.length)),
  )
  const stco = fullBox('stco', 0, 0, u32(1), u32(mdatDataOffset))
  const stbl = box('stbl', stsd, stts, stss, stsc, stsz, stco)
  const dinf = box('dinf', fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, 1)))
  const minf = box('minf', fullBox('vmhd', 0, 1, zeros(8)), dinf, stbl)
  const trak = box('trak', tkhd, box('mdia', mdhd, hdlr, minf))
  return box('moov', mvhd, trak)
}

/** Write a fast-start MP4: ftyp, moov, mdat. */
export function writeAvcMp4(track: AvcTrack, fps: number): Uint8Array {
  const ftyp = box('ftyp', ascii('isom'), u32(0x200), ascii('isom'), ascii('iso2'), ascii('avc1'), ascii('mp41'))
  // moov's size does not depend on the offset it records, so measure it once with a placeholder.
  const moovSize = moov(track, fps, 0).length
  const mdatHeader = 8
  const dataOffset = ftyp.length + moovSize + mdatHeader
  const payload = track.samples.reduce((n, s) => n + s.data.length, 0)
  return concat([
    ftyp,
    moov(track, fps, dataOffset),
    u32(payload + mdatHeader),
    ascii('mdat'),
    track.samples.map((s) => s.data),
  ])
}

/** Join tracks encoded as consecutive segments of one clip (each starting on a key frame). */
export function joinSegments(segments: AvcTrack[]): AvcTrack {
  const first = segments[0]
  if (!first) throw new Error('No segments to join')
  for (const s of segments) {
    if (s.width !== first.width || s.height !== first.height) throw new Error('Segments differ in size')
    if (s.samples[0] && !s.samples[0].sync) throw new Error('A segment does not start on a key frame')
    // Segments share one decoder configuration only if every encoder used the same settings.
    if (s.avcC.length !== first.avcC.length || s.avcC.some((b, i) => b !== first.avcC[i])) {
      throw new Error('Segments were encoded with different SPS/PPS')
    }
  }
  return { ...first, samples: segments.flatMap((s) => s.samples) }
}
