// The index cache lives in a folder others can write, like the metadata files it caches: a row must pass exactly
// the rules a metadata file passes (one entry schema, review of issue 9 point 4), however the cache is decoded.
import { describe, expect, it } from 'vitest'
import { ENTRY_FIELD_CHECKS, isPlainName, isSafeId, parseEntry } from '../../../electron/core/library/entry-schema'
import { decodeIndex, encodeIndex } from '../../../electron/core/library/index-cache'
import type { LibraryEntry } from '../../../electron/shared/model'
import { entry } from '../../fixtures/records'

const base = entry({ id: 'v1', file: 'v1.mp4', thumbnail: 'v1.jpg', fingerprint: 'fp', remoteId: 'r1', style: 'noir' })
const row = (over: Record<string, unknown>) => ({ ...base, ...over }) as LibraryEntry

const crafted: Array<[string, Record<string, unknown>]> = [
  ['a style past its limit', { style: 's'.repeat(1001) }],
  ['a sha256 past its limit', { sha256: 'f'.repeat(129) }],
  ['a fingerprint past its limit', { fingerprint: 'f'.repeat(129) }],
  ['a remoteId past its limit', { remoteId: 'r'.repeat(1001) }],
  ['a jobId past its limit', { jobId: 'j'.repeat(201) }],
  ['a title past its limit', { title: 't'.repeat(1001) }],
  ['a hidden video name', { file: '.v1.mp4' }],
  ['a video name with a colon', { file: 'v1:stream.mp4' }],
  ['a thumbnail in another folder', { thumbnail: '../v1.jpg' }],
  ['an id that is a dot segment', { id: '..' }],
  ['a mode it does not know', { mode: 'audio' }],
  ['a duration that is text', { duration: '5' }],
  ['an image of the wrong shape', { image: { sha256: 1, name: 'x' } }],
  ['an image name past its limit', { image: { sha256: 'a', name: 'n'.repeat(4001) } }],
  ['a favourite that is not a boolean', { favorite: 1 }],
]

/** An index of [base, a second good row] with one value of the second row replaced, as a hostile writer would. */
function crafted2(field: string, value: unknown): string {
  const cache = JSON.parse(encodeIndex([base, row({ id: 'v2', file: 'v2.mp4', thumbnail: 'v2.jpg', jobId: 'v2' })]))
  cache.columns[cache.fields.indexOf(field)][1] = value
  return JSON.stringify(cache)
}

describe('decodeIndex', () => {
  it('reads back what encodeIndex wrote', () => {
    const withImage = row({ id: 'v2', file: 'v2.mp4', image: { sha256: 'abc', name: 'photo.jpg' } })
    const decoded = decodeIndex(encodeIndex([base, withImage]))
    expect(decoded).toEqual({
      entries: [
        { ...base, missing: false },
        { ...withImage, missing: false },
      ],
      rejected: 0,
    })
  })

  it('reads back the door, model and seed of each entry, and none for an entry that names none', () => {
    const ark = row({ id: 'v2', file: 'v2.mp4', provider: 'ark', model: 'seedance-1-0-pro-250528', seed: 7 })
    const decoded = decodeIndex(encodeIndex([base, ark]))
    expect(decoded?.entries[1]).toMatchObject({ provider: 'ark', model: 'seedance-1-0-pro-250528', seed: 7 })
    expect(decoded?.entries[0]?.provider).toBeUndefined()
    expect(decoded?.entries[0]?.model).toBeUndefined()
  })

  it.each(crafted)('refuses a row with %s, as the metadata file schema does', (_label, over) => {
    const bad = row(over)
    expect(parseEntry(bad).ok).toBe(false)
    expect(decodeIndex(encodeIndex([base, bad]))).toMatchObject({ entries: [{ id: 'v1' }], rejected: 1 })
    // The same values written straight into the file's columns, past any packing the encoder does.
    const [field, value] = Object.entries(over)[0] as [string, unknown]
    expect(decodeIndex(crafted2(field, value))).toMatchObject({ entries: [{ id: 'v1' }], rejected: 1 })
  })

  it.each<[string, string, unknown]>([
    ['a mode past the list', 'mode', 2],
    ['a mode that is not a whole position', 'mode', 0.5],
    ['a negative resolution', 'resolution', -1],
    ['an aspect ratio given as text', 'aspectRatio', '16:9'],
    ['an expired flag that is null', 'expired', null],
    ['a title longer than the prompt', 'title', 10_000],
    ['a title prefix past the title limit', 'title', 1001],
    ['a negative title prefix', 'title', -1],
    ['a jobId of false', 'jobId', false],
    ['a thumbnail of false', 'thumbnail', false],
    ['a thumbnail that is a path', 'thumbnail', '../../v1.jpg'],
    ['a provider past the list', 'provider', 99],
    ['a provider given as text', 'provider', 'ark'],
    ['a model that is a number', 'model', 7],
    ['a model past its limit', 'model', 'm'.repeat(201)],
    ['a seed that is text', 'seed', '42'],
  ])('refuses a row with %s (a packed column)', (_label, field, value) => {
    expect(decodeIndex(crafted2(field, value))).toMatchObject({ entries: [{ id: 'v1' }], rejected: 1 })
  })

  it("'same as the id' columns stand for plain values only: the id is checked, and any plain id makes a plain name", () => {
    // The decoder does not check "<id>.jpg" again: this holds for every id the id rule lets through.
    for (const id of ['a', 'A.b_c-d', 'x'.repeat(200), '0..9', 'v-1.'])
      expect([isSafeId(id), isPlainName(`${id}.jpg`, '.jpg'), ENTRY_FIELD_CHECKS.jobId(id)]).toEqual([true, true, true])
    // A hostile id with "same as the id" in its thumbnail and jobId columns is refused by the id column.
    const cache = JSON.parse(crafted2('id', '../../x'))
    expect(cache.columns[cache.fields.indexOf('thumbnail')][1]).toBe(true)
    expect(decodeIndex(JSON.stringify(cache))).toMatchObject({ entries: [{ id: 'v1' }], rejected: 1 })
  })

  it('a title prefix past the limit is refused even when the prompt is long enough', () => {
    const long = row({ id: 'v2', prompt: 'p'.repeat(5000), title: 'p'.repeat(2000) })
    expect(parseEntry(long).ok).toBe(false)
    expect(decodeIndex(encodeIndex([base, long]))).toMatchObject({ rejected: 1 })
  })

  it('packs what the app repeats in every row, and reads it back as it was', () => {
    const made = row({
      id: 'v2',
      file: 'v2.mp4',
      jobId: 'v2',
      thumbnail: 'v2.jpg',
      title: 'a cat',
      prompt: 'a cat on a wall',
    })
    const text = encodeIndex([made])
    const cache = JSON.parse(text)
    const column = (f: string) => cache.columns[cache.fields.indexOf(f)]
    expect([column('jobId'), column('thumbnail'), column('title')]).toEqual([[true], [true], [5]])
    expect(column('mode')).toEqual([['text', 'image'].indexOf(made.mode)])
    expect(decodeIndex(text)?.entries).toEqual([{ ...made, missing: false }])
  })

  it('is null (rebuild from the metadata files) for another version or a damaged file', () => {
    const good = JSON.parse(encodeIndex([base]))
    const variants: unknown[] = [
      { ...good, version: 3 },
      { version: 3, fields: good.fields, rows: [good.columns.map((c: unknown[] | null) => c?.[0] ?? null)] }, // the old row format
      { ...good, count: 2 }, // a column shorter than the count
      { ...good, count: '1' },
      { ...good, fields: [...good.fields].reverse() },
      { ...good, columns: good.columns.slice(1) },
      { ...good, columns: [...good.columns.slice(1), 'x'] },
      null,
      [],
    ]
    for (const v of variants) expect(decodeIndex(JSON.stringify(v))).toBeNull()
    expect(decodeIndex(encodeIndex([base]).slice(0, -10))).toBeNull() // cut short
    expect(decodeIndex('')).toBeNull()
  })

  it('accepts every row the schema accepts, at its limits', () => {
    const edge = row({
      style: 's'.repeat(1000),
      sha256: 'f'.repeat(128),
      fingerprint: 'f'.repeat(128),
      remoteId: 'r'.repeat(1000),
      jobId: 'j'.repeat(200),
      generationMs: -5,
      image: { sha256: '', name: 'https://example.com/a.jpg' },
    })
    expect(parseEntry(edge).ok).toBe(true)
    expect(decodeIndex(encodeIndex([edge]))).toMatchObject({ rejected: 0 })
  })
})
