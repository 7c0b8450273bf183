// ISO BMFF (MP4) boxes, read and built in memory: just what is needed to find the movie box (moov) of a file and
// edit its metadata without touching the media data (issue 11, point 1). Pure TypeScript (no Node, no DOM): the
// engine writes with it and the renderer reads a dropped file with it. Every size read from a file is checked
// against the bytes that hold it, so a truncated or hostile file gives an Mp4MetaError, never a read past the end.

export type Mp4MetaErrorCode = 'INVALID_VIDEO' | 'UNSUPPORTED_VIDEO' | 'NO_SETTINGS' | 'INVALID_SETTINGS'

export class Mp4MetaError extends Error {
  constructor(
    readonly code: Mp4MetaErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'Mp4MetaError'
  }
}

export interface Box {
  type: string
  /** Offset of the box's header, from the start of what was scanned. */
  at: number
  /** The whole box, header included. */
  size: number
  /** Header length: 8, or 16 with a 64-bit size. */
  header: number
}

/** The movie box holds only the sample tables; even hours of video keep it far below this (as mp4-probe). */
export const MAX_MOOV_BYTES = 64 * 1024 * 1024
const MAX_BOXES = 10_000

const latin1 = (bytes: Uint8Array) => String.fromCharCode(...bytes)

export function fourcc(type: string): Uint8Array {
  const out = new Uint8Array(4)
  for (let i = 0; i < 4; i++) out[i] = type.charCodeAt(i) & 0xff
  return out
}

/**
 * The box whose header starts at `head` (up to 16 bytes read at offset `at`), in a space of `end` bytes.
 * `size 0` means "to the end", allowed only at the top level (`topLevel`), as the format says.
 */
export function boxHeader(head: Uint8Array, at: number, end: number, topLevel: boolean): Box {
  if (head.length < 8) throw new Mp4MetaError('INVALID_VIDEO', `The file is cut off inside a box header at byte ${at}.`)
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength)
  let size = view.getUint32(0)
  const type = latin1(head.subarray(4, 8))
  let header = 8
  if (size === 1) {
    if (head.length < 16) throw new Mp4MetaError('INVALID_VIDEO', `The file is cut off inside the ${type} box header.`)
    const big = view.getBigUint64(8)
    if (big > BigInt(Number.MAX_SAFE_INTEGER))
      throw new Mp4MetaError('INVALID_VIDEO', `The ${type} box at byte ${at} claims an impossible size.`)
    size = Number(big)
    header = 16
  } else if (size === 0) {
    if (!topLevel) throw new Mp4MetaError('INVALID_VIDEO', `The ${type} box at byte ${at} has no size.`)
    size = end - at
  }
  if (size < header) throw new Mp4MetaError('INVALID_VIDEO', `Invalid ${type} box size at byte ${at}.`)
  if (at + size > end)
    throw new Mp4MetaError(
      'INVALID_VIDEO',
      `The file is truncated or damaged: its ${type} box at byte ${at} needs ${at + size - end} more bytes.`,
    )
  return { type, at, size, header }
}

/** The boxes laid end to end in `data` from `from` to `to` (a box's payload, or a whole file held in memory). */
export function childBoxes(data: Uint8Array, from: number, to: number): Box[] {
  const boxes: Box[] = []
  for (let at = from; at + 8 <= to; ) {
    if (boxes.length >= MAX_BOXES) throw new Mp4MetaError('INVALID_VIDEO', 'The file has too many boxes.')
    const b = boxHeader(data.subarray(at, Math.min(at + 16, to)), at, to, false)
    boxes.push(b)
    at += b.size
  }
  return boxes
}

/** Reads `length` bytes at `at`; it may return fewer at the end of the file. */
export type ReadAt = (at: number, length: number) => Promise<Uint8Array>

/** The top-level boxes of a file of `size` bytes, reading only their headers. */
export async function topLevelBoxes(read: ReadAt, size: number): Promise<Box[]> {
  const boxes: Box[] = []
  for (let at = 0; at + 8 <= size; ) {
    if (boxes.length >= MAX_BOXES) throw new Mp4MetaError('INVALID_VIDEO', 'The file has too many top-level boxes.')
    const b = boxHeader(await read(at, Math.min(16, size - at)), at, size, true)
    boxes.push(b)
    at += b.size
  }
  if (boxes[0] && boxes[0].type !== 'ftyp' && !boxes.some((b) => b.type === 'moov'))
    throw new Mp4MetaError('INVALID_VIDEO', 'This is not an MP4 video (it has no ftyp or moov box).')
  return boxes
}

/** The movie box of a file: its place and its bytes. */
export async function readMoov(read: ReadAt, size: number): Promise<{ boxes: Box[]; moov: Box; bytes: Uint8Array }> {
  const boxes = await topLevelBoxes(read, size)
  const moov = boxes.find((b) => b.type === 'moov')
  if (!moov) throw new Mp4MetaError('INVALID_VIDEO', 'Not a playable MP4: the file has no movie box (moov).')
  if (moov.size > MAX_MOOV_BYTES)
    throw new Mp4MetaError('INVALID_VIDEO', `The movie description is too large (${moov.size} bytes).`)
  const bytes = await read(moov.at, moov.size)
  if (bytes.length !== moov.size) throw new Mp4MetaError('INVALID_VIDEO', 'The file is cut off inside its movie box.')
  return { boxes, moov, bytes }
}

/** Concatenate byte arrays. */
export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** A box with a 32-bit size around the given payload. */
export function makeBox(type: string, ...payload: Uint8Array[]): Uint8Array {
  const body = concat(payload)
  if (body.length + 8 > 0xffff_ffff) throw new Mp4MetaError('UNSUPPORTED_VIDEO', `The ${type} box would be too large.`)
  const out = new Uint8Array(8 + body.length)
  new DataView(out.buffer).setUint32(0, out.length)
  out.set(fourcc(type), 4)
  out.set(body, 8)
  return out
}

/** A box's payload (after its header). */
export function payloadOf(data: Uint8Array, b: Box): Uint8Array {
  return data.subarray(b.at + b.header, b.at + b.size)
}

/** The children of a container box held in `data` (`skip`: bytes before the first child, 4 for a full box). */
export function childrenOf(data: Uint8Array, b: Box, skip = 0): Box[] {
  const from = b.at + b.header + skip
  if (from > b.at + b.size) throw new Mp4MetaError('INVALID_VIDEO', `The ${b.type} box is too short.`)
  return childBoxes(data, from, b.at + b.size)
}

/** The first child of type `type`, or undefined. */
export function child(data: Uint8Array, b: Box, type: string, skip = 0): Box | undefined {
  return childrenOf(data, b, skip).find((c) => c.type === type)
}

/** The handler type (e.g. 'mdir') of a meta box's hdlr, or null. */
export function metaHandler(data: Uint8Array, meta: Box): string | null {
  const hdlr = child(data, meta, 'hdlr', 4)
  if (!hdlr || hdlr.size < hdlr.header + 12) return null
  return latin1(data.subarray(hdlr.at + hdlr.header + 8, hdlr.at + hdlr.header + 12))
}
