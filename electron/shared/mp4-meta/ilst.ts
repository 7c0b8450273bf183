// The iTunes-style metadata list (moov/udta/meta/ilst, handler 'mdir'), which ffprobe, exiftool, players and file
// managers read: standard text atoms (©nam title, desc, ©cmt, ©day, ©too) and freeform '----' atoms named by a
// reverse-DNS "mean" and a "name", where the app keeps its full settings as JSON. Layout per the QuickTime File
// Format's metadata item list and ffmpeg's mov muxer (libavformat/movenc.c: mov_write_string_metadata,
// mov_write_ilst_tag): item box → data box { type 1 (UTF-8), locale 0, value }.
import { type Box, child, childrenOf, fourcc, Mp4MetaError, makeBox, metaHandler, payloadOf } from './boxes'

export interface IlstItem {
  /** Four characters, e.g. '©nam'; '----' for a freeform item. */
  key: string
  /** Freeform items: their domain and name. */
  mean?: string
  name?: string
  /** The item's box as it was, kept when an item is carried over unchanged. */
  raw?: Uint8Array
  /** The text value (UTF-8 data), when it is text. */
  text?: string
  /** Why the value does not read as text (not UTF-8, too large). */
  problem?: string
}

/** The box type '©nam' etc.: '©' is byte 0xA9 in the file. */
export const TAG = {
  title: '\u00a9nam',
  comment: '\u00a9cmt',
  date: '\u00a9day',
  encoder: '\u00a9too',
  description: 'desc',
}

const utf8 = new TextEncoder()
/** Settings JSON larger than this is not ours (a prompt is at most a few thousand characters). */
export const MAX_TEXT_BYTES = 1024 * 1024

function u32(n: number): Uint8Array {
  const out = new Uint8Array(4)
  new DataView(out.buffer).setUint32(0, n)
  return out
}

/** A data box holding UTF-8 text (well-known type 1, default locale). */
function dataBox(text: string): Uint8Array {
  return makeBox('data', u32(1), u32(0), utf8.encode(text))
}

export function textItem(key: string, text: string): Uint8Array {
  return makeBox(key, dataBox(text))
}

export function freeformItem(mean: string, name: string, text: string): Uint8Array {
  return makeBox(
    '----',
    makeBox('mean', u32(0), utf8.encode(mean)),
    makeBox('name', u32(0), utf8.encode(name)),
    dataBox(text),
  )
}

/** The hdlr box of an iTunes metadata box (handler 'mdir', manufacturer 'appl', as ffmpeg writes it). */
function mdirHandler(): Uint8Array {
  return makeBox('hdlr', u32(0), u32(0), fourcc('mdir'), fourcc('appl'), u32(0), u32(0), new Uint8Array(1))
}

/** A meta box (a full box) with an mdir handler and the given items, plus any other children kept. */
export function metaBox(items: Uint8Array[], others: Uint8Array[] = []): Uint8Array {
  return makeBox('meta', u32(0), mdirHandler(), makeBox('ilst', ...items), ...others)
}

const decoder = new TextDecoder('utf-8', { fatal: true })

function decodeText(bytes: Uint8Array): string {
  if (bytes.length > MAX_TEXT_BYTES) throw new Mp4MetaError('INVALID_SETTINGS', 'the value is too large')
  try {
    return decoder.decode(bytes)
  } catch {
    throw new Mp4MetaError('INVALID_SETTINGS', 'the value is not UTF-8 text')
  }
}

/** The text of an item's data box (types 1 UTF-8 and 0 implicit), or undefined when it holds something else. */
function itemText(moov: Uint8Array, item: Box): string | undefined {
  const data = childrenOf(moov, item).find((c) => c.type === 'data')
  if (!data || data.size < data.header + 8) return undefined
  const body = payloadOf(moov, data)
  const type = new DataView(body.buffer, body.byteOffset, body.byteLength).getUint32(0) & 0xffffff
  if (type !== 1 && type !== 0) return undefined
  return decodeText(body.subarray(8))
}

function fullBoxText(moov: Uint8Array, b: Box | undefined): string | undefined {
  if (!b || b.size < b.header + 4) return undefined
  return decodeText(payloadOf(moov, b).subarray(4))
}

/** The iTunes metadata box (handler mdir) inside a moov held in `moov`, with its ilst, or null. */
export function findIlst(moov: Uint8Array, moovBox: Box): { udta: Box; meta: Box; ilst: Box | undefined } | null {
  const udta = child(moov, moovBox, 'udta')
  if (!udta) return null
  for (const meta of childrenOf(moov, udta).filter((c) => c.type === 'meta')) {
    if (metaHandler(moov, meta) !== 'mdir') continue
    return { udta, meta, ilst: child(moov, meta, 'ilst', 4) }
  }
  return null
}

/** `read()`, or why it failed (someone else's binary or damaged item must not stop the reading of ours). */
function attempt(read: () => string | undefined): { text?: string; problem?: string } {
  try {
    return { text: read() }
  } catch (error) {
    return { problem: (error as Error).message }
  }
}

/** Every item of the ilst, with its text where it holds text (or why it does not read). */
export function readItems(moov: Uint8Array, ilst: Box | undefined): IlstItem[] {
  if (!ilst) return []
  return childrenOf(moov, ilst).map((b) => {
    const raw = moov.subarray(b.at, b.at + b.size)
    if (b.type !== '----') return { key: b.type, raw, ...attempt(() => itemText(moov, b)) }
    const parts = childrenOf(moov, b)
    const part = (type: string) =>
      attempt(() =>
        fullBoxText(
          moov,
          parts.find((p) => p.type === type),
        ),
      ).text
    return { key: b.type, mean: part('mean'), name: part('name'), raw, ...attempt(() => itemText(moov, b)) }
  })
}
