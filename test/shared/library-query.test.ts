import { describe, expect, it } from 'vitest'
import { queryLibrary } from '../../electron/shared/library-query'
import { entry } from '../fixtures/records'

describe('queryLibrary', () => {
  it('sorts a library kept oldest first (the order videos are added) into every order asked', () => {
    const items = [1, 2, 3, 4].map((t) => entry({ id: `v${t}`, createdAt: t, duration: t % 2 ? 8 : 4 }))
    const ids = (sort: 'newest' | 'oldest' | 'duration', list = items) =>
      queryLibrary(list, { sort }).items.map((e) => e.id)
    expect(ids('newest')).toEqual(['v4', 'v3', 'v2', 'v1'])
    expect(ids('oldest')).toEqual(['v1', 'v2', 'v3', 'v4'])
    expect(ids('duration')).toEqual(['v3', 'v1', 'v4', 'v2'])
    // Ties keep the stable sort's order.
    const tied = [entry({ id: 'a', createdAt: 1 }), entry({ id: 'b', createdAt: 1 }), entry({ id: 'c', createdAt: 2 })]
    expect(ids('newest', tied)).toEqual(['c', 'a', 'b'])
  })
})
