// Moving the media data's addresses when the movie box grows (issue 11, point 1): a fast-start file's chunk offsets
// (stco, and co64 for files past 4 GB) point past moov, so each moves by exactly the growth; nothing before moov
// moves, nor anything when moov is the last box.
import { describe, expect, it } from 'vitest'
import { Mp4MetaError, makeBox } from '../../electron/shared/mp4-meta/boxes'
import { eachChunkOffset, metadataOfMoov, moovWithSettings } from '../../electron/shared/mp4-meta/edit'
import { sampleSettings } from '../fixtures/video-settings'

function table(type: 'stco' | 'co64', offsets: number[]): Uint8Array {
  const wide = type === 'co64'
  const body = new Uint8Array(8 + offsets.length * (wide ? 8 : 4))
  const view = new DataView(body.buffer)
  view.setUint32(4, offsets.length)
  offsets.forEach((o, i) => {
    if (wide) view.setBigUint64(8 + i * 8, BigInt(o))
    else view.setUint32(8 + i * 4, o)
  })
  return makeBox(type, body)
}

/** A movie box with one track per chunk-offset table. */
function moov(...tables: Uint8Array[]): Uint8Array {
  return makeBox('moov', ...tables.map((t) => makeBox('trak', makeBox('mdia', makeBox('minf', makeBox('stbl', t))))))
}

function offsets(box: Uint8Array): number[][] {
  const out: number[][] = []
  eachChunkOffset(box, (o, track) => {
    const list = out[track] ?? []
    list.push(o)
    out[track] = list
    return undefined
  })
  return out
}

describe('moovWithSettings', () => {
  const at = 40 // after a 40-byte ftyp

  it('moves every offset past the old movie box by its growth, in stco and co64 alike', () => {
    const old = moov(table('stco', [24, at + 200, 9000]), table('co64', [at + 200, 2 ** 40]))
    const end = at + old.length
    const before = moov(table('stco', [24, end, 9000]), table('co64', [end, 2 ** 40]))
    const next = moovWithSettings(before, at, sampleSettings(), false)
    const grew = next.length - before.length
    expect(grew).toBeGreaterThan(500)
    expect(offsets(next)).toEqual([
      [24, end + grew, 9000 + grew],
      [end + grew, 2 ** 40 + grew],
    ])
    expect(metadataOfMoov(next).settings).toEqual(sampleSettings())
  })

  it('moves nothing when the movie box is the last box (its media data comes before it)', () => {
    const old = moov(table('stco', [24, 30]))
    expect(offsets(moovWithSettings(old, 5000, sampleSettings(), true))).toEqual([[24, 30]])
  })

  it('refuses, rather than wrap, a 32-bit offset pushed past 4 GB', () => {
    const old = moov(table('stco', [0xffff_fff0]))
    expect(() => moovWithSettings(old, at, sampleSettings(), false)).toThrow(
      new Mp4MetaError('UNSUPPORTED_VIDEO', 'The video is too large for its 32-bit chunk offsets to move.'),
    )
  })

  it('refuses a fragmented file whose fragments follow the movie box', () => {
    const fragmented = makeBox('moov', makeBox('mvex'))
    expect(() => moovWithSettings(fragmented, at, sampleSettings(), false)).toThrow(/fragmented MP4/)
  })

  it('refuses a chunk table that claims more entries than it holds', () => {
    const lying = table('stco', [1, 2])
    new DataView(lying.buffer).setUint32(12, 1_000_000)
    expect(() => moovWithSettings(moov(lying), at, sampleSettings(), false)).toThrow(/lists more chunks than it holds/)
  })
})
