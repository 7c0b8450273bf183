// Index cache format 6 (issue 11): the settings a video carries (last-frame image, fixed camera, sound) and the
// sequence fields (last-frame image file, the clip continued) are cached like every other field, checked by the
// entry schema's rules; a version 5 cache from before still opens, its entries without them.
import { describe, expect, it } from 'vitest'
import { parseEntry } from '../../../electron/core/library/entry-schema'
import { decodeIndex, encodeIndex, INDEX_VERSION } from '../../../electron/core/library/index-cache'
import type { LibraryEntry } from '../../../electron/shared/model'
import { entry } from '../../fixtures/records'

const base = entry({ id: 'v1', file: 'v1.mp4', thumbnail: 'v1.jpg' })
const full = {
  ...entry({ id: 'v2', file: 'v2.mp4', thumbnail: 'v2.jpg' }),
  lastImage: { sha256: 'b'.repeat(64), name: 'end.png' },
  cameraFixed: true,
  audio: false,
  lastFrame: 'v2-last.png',
  continues: 'v1',
  sweep: { id: 'sweep-1', vary: { seed: 'seed 2', model: 'Seedance 1.0 Pro' } },
} satisfies LibraryEntry

describe('index cache format 6', () => {
  it('is version 6 and reads back the six new fields (a sweep tag too: a rename after a restart keeps it)', () => {
    const text = encodeIndex([base, full])
    expect(JSON.parse(text).version).toBe(6)
    expect(INDEX_VERSION).toBe(6)
    const decoded = decodeIndex(text)
    expect(decoded?.rejected).toBe(0)
    expect(decoded?.entries[1]).toEqual({ ...full, missing: false })
    expect(decoded?.entries[0]).toMatchObject({ id: 'v1', lastImage: undefined, cameraFixed: undefined })
  })

  it('still opens a version 5 cache (written before issue 11): its entries read without the new fields', () => {
    const v6 = JSON.parse(encodeIndex([base, full]))
    const keep = v6.fields.indexOf('lastImage')
    const v5 = { version: 5, count: 2, fields: v6.fields.slice(0, keep), columns: v6.columns.slice(0, keep) }
    expect(v5.fields).toHaveLength(29)
    const decoded = decodeIndex(JSON.stringify(v5))
    expect(decoded?.entries.map((e) => e.id)).toEqual(['v1', 'v2'])
    expect(decoded?.entries[1]).toMatchObject({ cameraFixed: undefined, continues: undefined, lastImage: undefined })
    // A version 5 header over version 6 columns is damaged, not half read.
    expect(decodeIndex(JSON.stringify({ ...v6, version: 5 }))).toBeNull()
  })

  it.each<[string, Partial<Record<keyof LibraryEntry, unknown>>]>([
    ['a last image of the wrong shape', { lastImage: { sha256: 5, name: 'x' } }],
    ['a fixed camera given as text', { cameraFixed: 'yes' }],
    ['sound given as a number', { audio: 1 }],
    ['a last frame in another folder', { lastFrame: '../../x.png' }],
    ['a hidden last frame', { lastFrame: '.x.png' }],
    ['a continued id that is a dot segment', { continues: '..' }],
    ['a sweep tag of the wrong shape', { sweep: { id: 'sweep-1', vary: 'seed 2' } }],
  ])('refuses %s, in a metadata file and in the cache alike', (_label, over) => {
    const bad = { ...full, ...over } as LibraryEntry
    expect(parseEntry(bad).ok).toBe(false)
    expect(decodeIndex(encodeIndex([base, bad]))).toMatchObject({ entries: [{ id: 'v1' }], rejected: 1 })
  })
})

describe('index cache format 6, size', () => {
  it('writes a new column that no row uses as one null, and reads it back as absent', () => {
    const text = encodeIndex([base, { ...base, id: 'v3', file: 'v3.mp4', thumbnail: 'v3.jpg', cameraFixed: true }])
    const cache = JSON.parse(text)
    const column = (f: string) => cache.columns[cache.fields.indexOf(f)]
    expect([column('lastImage'), column('audio'), column('lastFrame'), column('continues')]).toEqual([
      null,
      null,
      null,
      null,
    ])
    expect(column('cameraFixed')).toEqual([null, true])
    expect(decodeIndex(text)?.entries.map((e) => e.cameraFixed)).toEqual([undefined, true])
    // Only the new columns may be written so: an older column given as null is a damaged cache.
    cache.columns[cache.fields.indexOf('seed')] = null
    expect(decodeIndex(JSON.stringify(cache))).toBeNull()
  })
})
