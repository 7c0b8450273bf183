// The index cache lives in a folder others can write, like the metadata files it caches: a row must pass exactly
// the rules a metadata file passes (one entry schema, review of issue 9 point 4), however the cache is decoded.
import { describe, expect, it } from 'vitest'
import { parseEntry } from '../../../electron/core/library/entry-schema'
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

  it.each(crafted)('refuses a row with %s, as the metadata file schema does', (_label, over) => {
    const bad = row(over)
    expect(parseEntry(bad).ok).toBe(false)
    expect(decodeIndex(encodeIndex([base, bad]))).toMatchObject({ entries: [{ id: 'v1' }], rejected: 1 })
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
