import { describe, expect, it } from 'vitest'
import { libraryQuerySchema } from '../../electron/shared/contract'
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

  it('filters by door and model; an entry written before the doors is the guide’s API and its one model', () => {
    const items = [
      entry({ id: 'old' }),
      entry({ id: 'ark', provider: 'ark', model: 'seedance-1-0-pro-250528' }),
      entry({ id: 'fal', provider: 'fal', model: 'bytedance/seedance-2.0' }),
      entry({ id: 'rep', provider: 'replicate', model: 'bytedance/seedance-2.0' }),
    ]
    const ids = (q: Parameters<typeof queryLibrary>[1]) => queryLibrary(items, q).items.map((e) => e.id)
    expect(ids({ provider: 'seedance' })).toEqual(['old'])
    expect(ids({ model: 'standard' })).toEqual(['old'])
    expect(ids({ provider: 'ark' })).toEqual(['ark'])
    expect(ids({ model: 'bytedance/seedance-2.0' })).toEqual(['fal', 'rep'])
    expect(ids({ provider: 'replicate', model: 'bytedance/seedance-2.0' })).toEqual(['rep'])
  })

  it('takes the door and model filters over IPC, and refuses a door that does not exist', () => {
    expect(libraryQuerySchema.parse({ provider: 'fal', model: 'bytedance/seedance-2.0' })).toEqual({
      provider: 'fal',
      model: 'bytedance/seedance-2.0',
    })
    expect(libraryQuerySchema.safeParse({ provider: 'openai' }).success).toBe(false)
    expect(libraryQuerySchema.safeParse({ model: '' }).success).toBe(false)
  })
})
