// Which clips make a sequence (issue 11): up the `continues` links to the first clip, then down to the newest take.
import { describe, expect, it } from 'vitest'
import { sequenceOf } from '../../electron/shared/sequence'

const clip = (id: string, continues: string | null, createdAt: number) => ({ id, continues, createdAt })

describe('sequenceOf', () => {
  const entries = [
    clip('a', null, 1),
    clip('b', 'a', 2),
    clip('c', 'b', 3),
    clip('b2', 'a', 5), // a newer take continuing a: a fork
    clip('lone', null, 4),
    clip('orphan', 'deleted', 6),
  ]
  it('from any clip: the whole chain in play order, forks taking the newer take after the clip asked about', () => {
    expect(sequenceOf(entries, 'c').map((e) => e.id)).toEqual(['a', 'b', 'c'])
    expect(sequenceOf(entries, 'b').map((e) => e.id)).toEqual(['a', 'b', 'c'])
    expect(sequenceOf(entries, 'a').map((e) => e.id)).toEqual(['a', 'b2'])
  })
  it('a clip alone, a clip whose parent was deleted, an unknown id', () => {
    expect(sequenceOf(entries, 'lone').map((e) => e.id)).toEqual(['lone'])
    expect(sequenceOf(entries, 'orphan').map((e) => e.id)).toEqual(['orphan'])
    expect(sequenceOf(entries, 'nope')).toEqual([])
  })
  it('a loop written by hand into metadata files ends where it closes', () => {
    const loop = [clip('x', 'y', 1), clip('y', 'x', 2)]
    expect(sequenceOf(loop, 'x').map((e) => e.id)).toEqual(['y', 'x'])
  })
})
