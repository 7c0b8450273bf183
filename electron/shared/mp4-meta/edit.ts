// Reading and writing a video's embedded settings in its movie box, without touching the media data (issue 11,
// point 1). Writing rebuilds only moov: its udta/meta/ilst gets the settings (other items kept), and since moov
// changes size, every chunk offset (stco/co64) pointing past the old moov moves by the difference, so a fast-start
// file (moov before mdat) still points at its samples. The file around moov is copied as it is by the caller.
import { type Box, boxHeader, childrenOf, Mp4MetaError, makeBox, type ReadAt, readMoov } from './boxes'
import { findIlst, freeformItem, metaBox, readItems, TAG, textItem } from './ilst'
import {
  type EmbeddedMetadata,
  parseSettingsJson,
  SETTINGS_MEAN,
  SETTINGS_NAME,
  standardTags,
  type VideoSettings,
} from './video-settings'

const OURS = new Set<string>(Object.values(TAG))
const isOurFreeform = (i: { key: string; mean?: string; name?: string }) =>
  i.key === '----' && i.mean === SETTINGS_MEAN && i.name === SETTINGS_NAME

/** The whole moov of `bytes` as a box at 0. */
function rootBox(bytes: Uint8Array): Box {
  return boxHeader(bytes.subarray(0, 16), 0, bytes.length, false)
}

/** The standard tags (ffprobe's names) and the settings found in a moov held in memory. */
export function metadataOfMoov(moov: Uint8Array): EmbeddedMetadata {
  const found = findIlst(moov, rootBox(moov))
  const items = found ? readItems(moov, found.ilst) : []
  const ours = items.find(isOurFreeform)
  if (!ours)
    throw new Mp4MetaError(
      'NO_SETTINGS',
      'This video carries no Seedance Studio settings (it was not saved by the app).',
    )
  if (ours.text === undefined)
    throw new Mp4MetaError(
      'INVALID_SETTINGS',
      `The video’s Seedance settings are damaged: ${ours.problem ?? 'its settings item holds no text'}.`,
    )
  const parsed = parseSettingsJson(ours.text)
  if (!parsed.ok)
    throw new Mp4MetaError('INVALID_SETTINGS', `The video’s Seedance settings are damaged: ${parsed.problem}.`)
  const names: Record<string, string> = {
    [TAG.title]: 'title',
    [TAG.description]: 'description',
    [TAG.comment]: 'comment',
    [TAG.date]: 'date',
    [TAG.encoder]: 'encoder',
  }
  const tags: Record<string, string> = {}
  for (const i of items) if (names[i.key] && i.text !== undefined) tags[names[i.key] as string] = i.text
  return { settings: parsed.settings, tags }
}

/** Read the settings embedded in a file of `size` bytes (only its box headers and moov are read). */
export async function readEmbeddedSettings(read: ReadAt, size: number): Promise<EmbeddedMetadata> {
  const { bytes } = await readMoov(read, size)
  return metadataOfMoov(bytes)
}

/** The udta box with our metadata put in its iTunes meta box (made when there is none). */
function udtaWith(moov: Uint8Array, udta: Box | undefined, items: Uint8Array[]): Uint8Array {
  if (!udta) return makeBox('udta', metaBox(items))
  const found = findIlst(moov, rootBox(moov))
  const mdir = found && found.udta.at === udta.at ? found.meta : undefined
  const children = childrenOf(moov, udta).map((c) => {
    if (mdir && c.at === mdir.at) {
      const kept = readItems(moov, found?.ilst)
        .filter((i) => !OURS.has(i.key) && !isOurFreeform(i))
        .map((i) => i.raw as Uint8Array)
      const others = childrenOf(moov, mdir, 4)
        .filter((b) => b.type !== 'hdlr' && b.type !== 'ilst')
        .map((b) => moov.subarray(b.at, b.at + b.size))
      return metaBox([...items.slice(0, -1), ...kept, ...items.slice(-1)], others)
    }
    return moov.subarray(c.at, c.at + c.size)
  })
  if (!mdir) children.push(metaBox(items))
  return makeBox('udta', ...children)
}

/** Visit every chunk offset (stco, co64) of every track in a moov held in `moov`: `edit` may return a new value. */
export function eachChunkOffset(moov: Uint8Array, edit: (offset: number, track: number) => number | undefined): void {
  const view = new DataView(moov.buffer, moov.byteOffset, moov.byteLength)
  let track = -1
  const walk = (box: Box) => {
    for (const c of childrenOf(moov, box)) {
      if (c.type === 'trak') track += 1
      if (c.type === 'trak' || c.type === 'mdia' || c.type === 'minf' || c.type === 'stbl') walk(c)
      else if (c.type === 'stco' || c.type === 'co64') {
        const wide = c.type === 'co64'
        const body = c.at + c.header
        if (c.size < c.header + 8) throw new Mp4MetaError('INVALID_VIDEO', `The ${c.type} box is too short.`)
        const count = view.getUint32(body + 4)
        if (count > (c.size - c.header - 8) / (wide ? 8 : 4))
          throw new Mp4MetaError('INVALID_VIDEO', `The ${c.type} box lists more chunks than it holds.`)
        for (let i = 0; i < count; i++) {
          const at = body + 8 + i * (wide ? 8 : 4)
          const moved = edit(wide ? Number(view.getBigUint64(at)) : view.getUint32(at), track)
          if (moved === undefined) continue
          if (wide) view.setBigUint64(at, BigInt(moved))
          else if (moved > 0xffff_ffff)
            throw new Mp4MetaError('UNSUPPORTED_VIDEO', 'The video is too large for its 32-bit chunk offsets to move.')
          else view.setUint32(at, moved)
        }
      }
    }
  }
  walk(rootBox(moov))
}

/** Add `delta` to every chunk offset at or past `from`, in place. */
function shiftChunkOffsets(moov: Uint8Array, from: number, delta: number): void {
  eachChunkOffset(moov, (offset) => (offset >= from ? offset + delta : undefined))
}

/**
 * The new movie box for a moov read at `moovAt` of its file: the settings put in, chunk offsets past the old moov
 * moved by the change in size. `last`: moov is the file's last box (nothing after it moves).
 */
export function moovWithSettings(old: Uint8Array, moovAt: number, settings: VideoSettings, last: boolean): Uint8Array {
  const root = rootBox(old)
  if (root.type !== 'moov') throw new Mp4MetaError('INVALID_VIDEO', 'Not a movie box.')
  const children = childrenOf(old, root)
  // A fragmented file's fragments (moof) address their data by absolute offsets too: not moved here.
  if (!last && children.some((c) => c.type === 'mvex'))
    throw new Mp4MetaError('UNSUPPORTED_VIDEO', 'Settings cannot be embedded in a fragmented MP4.')
  const items = [
    ...standardTags(settings).map(([key, text]) => textItem(key, text)),
    freeformItem(SETTINGS_MEAN, SETTINGS_NAME, JSON.stringify(settings)),
  ]
  const udta = children.find((c) => c.type === 'udta')
  const parts = children.map((c) => (c === udta ? udtaWith(old, udta, items) : old.subarray(c.at, c.at + c.size)))
  if (!udta) parts.push(udtaWith(old, undefined, items))
  const moov = makeBox('moov', ...parts)
  const delta = moov.length - old.length
  if (delta !== 0 && !last) shiftChunkOffsets(moov, moovAt + old.length, delta)
  return moov
}
