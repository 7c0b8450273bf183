// The metadata list as other tools leave it (issue 11, point 1): their items, readable or not, never stop the
// app's own from being read, and a damaged settings item of the app's is named as such.
import { describe, expect, it } from 'vitest'
import { Mp4MetaError, makeBox } from '../../electron/shared/mp4-meta/boxes'
import { metadataOfMoov, moovWithSettings } from '../../electron/shared/mp4-meta/edit'
import { freeformItem, metaBox, TAG, textItem } from '../../electron/shared/mp4-meta/ilst'
import { sampleSettings } from '../fixtures/video-settings'

const utf8 = (t: string) => new TextEncoder().encode(t)
const u32 = (n: number) => {
  const b = new Uint8Array(4)
  new DataView(b.buffer).setUint32(0, n)
  return b
}
/** A freeform item whose value is raw bytes (here: not UTF-8). */
const rawFreeform = (mean: string, name: string, value: Uint8Array) =>
  makeBox(
    '----',
    makeBox('mean', u32(0), utf8(mean)),
    makeBox('name', u32(0), utf8(name)),
    makeBox('data', u32(1), u32(0), value),
  )
const moovWith = (...items: Uint8Array[]) => makeBox('moov', makeBox('udta', metaBox(items)))

describe('metadataOfMoov', () => {
  it("reads the app's settings beside another tool's items that are not text", () => {
    const theirs = moovWith(
      rawFreeform('com.apple.iTunes', 'iTunNORM', new Uint8Array([0xff, 0xfe, 0x00])),
      makeBox('covr', makeBox('data', u32(13), u32(0), new Uint8Array([0xff, 0xd8, 0xff]))),
      textItem(TAG.title, 'their title'),
    )
    const ours = moovWithSettings(theirs, 0, sampleSettings(), true)
    expect(metadataOfMoov(ours).settings).toEqual(sampleSettings())
    // Their items are kept as they were; only the title (one of ours) is replaced.
    const text = new TextDecoder('latin1').decode(ours)
    expect(text).toContain('iTunNORM')
    expect(text).toContain('covr')
    expect(text).not.toContain('their title')
  })

  it('names a settings item that is not UTF-8 as damaged', () => {
    const bad = moovWith(rawFreeform('com.seedance.studio', 'settings', new Uint8Array([0x7b, 0xff, 0x7d])))
    expect(() => metadataOfMoov(bad)).toThrow(
      new Mp4MetaError('INVALID_SETTINGS', 'The video’s Seedance settings are damaged: the value is not UTF-8 text.'),
    )
  })

  it('reads only the app’s own domain: another tool’s item named "settings" is not ours', () => {
    const other = moovWith(freeformItem('com.example.editor', 'settings', JSON.stringify(sampleSettings())))
    expect(() => metadataOfMoov(other)).toThrow(expect.objectContaining({ code: 'NO_SETTINGS' }))
  })
})
