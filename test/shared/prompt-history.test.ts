// Prompt history (issue 11, point 6): one row per prompt whatever its spacing, counted once per generation (a job
// and the video it made are one use), with its videos newest first; starred prompts first; searched by words.
import { describe, expect, it } from 'vitest'
import { queryLibrary } from '../../electron/shared/library-query'
import type { LibraryEntry } from '../../electron/shared/model'
import { buildPromptHistory, normalizePrompt, searchPromptHistory } from '../../electron/shared/prompt-history'

const job = (id: string, prompt: string, createdAt: number) => ({ id, createdAt, request: { prompt } })
const video = (id: string, prompt: string, createdAt: number, jobId: string | null = null) =>
  ({ id, prompt, createdAt, jobId, title: prompt.slice(0, 20) }) as LibraryEntry

describe('buildPromptHistory', () => {
  it('makes prompts that differ only in spacing one row, counting each generation once', () => {
    const items = buildPromptHistory(
      [
        job('j1', 'sunset over the ocean', 100),
        job('j2', '  sunset   over\nthe ocean ', 300),
        job('j3', 'neon city', 200),
      ],
      [
        video('v1', 'sunset over the ocean', 110, 'j1'), // made by j1: the same use
        video('v2', 'sunset  over the ocean', 400, null), // imported from the account: its own use
        video('v3', 'neon city', 210, 'j3'),
      ],
    )
    expect(items.map((i) => i.prompt)).toEqual(['sunset over the ocean', 'neon city'])
    const sunset = items[0]
    expect(sunset?.count).toBe(3)
    expect(sunset?.lastUsed).toBe(400)
    expect(sunset?.videoIds).toEqual(['v2', 'v1'])
    expect(items[1]).toMatchObject({ count: 1, lastUsed: 210, videoIds: ['v3'], starred: false })
  })

  it('keeps a video whose job left the journal, and skips empty prompts', () => {
    const items = buildPromptHistory([job('j9', '   ', 5)], [video('v1', 'misty forest', 50, 'gone')])
    expect(items).toEqual([{ prompt: 'misty forest', count: 1, lastUsed: 50, videoIds: ['v1'], starred: false }])
  })

  it('lists starred prompts first, most recently starred first, even one with nothing left', () => {
    const items = buildPromptHistory(
      [job('a', 'alpha', 1), job('b', 'beta', 2), job('c', 'gamma', 3)],
      [],
      ['alpha', 'never used  prompt'],
    )
    expect(items.map((i) => [i.prompt, i.starred])).toEqual([
      ['alpha', true],
      ['never used prompt', true],
      ['gamma', false],
      ['beta', false],
    ])
    expect(items[1]).toMatchObject({ count: 0, lastUsed: null, videoIds: [] })
  })
})

describe('searchPromptHistory', () => {
  const items = buildPromptHistory(
    [job('1', 'Golden hour over a Misty forest', 1), job('2', 'neon city at night', 2), job('3', 'misty lake', 3)],
    [],
    ['misty lake'],
  )
  it('keeps the prompts holding every word, in any case, in the history order', () => {
    expect(searchPromptHistory(items, { search: 'MISTY' }).map((i) => i.prompt)).toEqual([
      'misty lake',
      'Golden hour over a Misty forest',
    ])
    expect(searchPromptHistory(items, { search: 'forest gold' }).map((i) => i.prompt)).toEqual([
      'Golden hour over a Misty forest',
    ])
    expect(searchPromptHistory(items, { search: 'desert' })).toEqual([])
  })
  it('keeps only starred prompts when asked', () => {
    expect(searchPromptHistory(items, { starred: true }).map((i) => i.prompt)).toEqual(['misty lake'])
    expect(searchPromptHistory(items, { starred: true, search: 'neon' })).toEqual([])
  })
})

describe('the library filtered to one prompt', () => {
  it('shows the videos of that prompt whatever their spacing, and not those of a longer prompt', () => {
    const entries = [
      video('v1', 'sunset over the ocean', 1),
      video('v2', 'sunset over  the ocean', 2),
      video('v3', 'sunset over the ocean, slow pan', 3),
    ].map((e) => ({ ...e, provider: 'seedance', favorite: false }) as LibraryEntry)
    const page = queryLibrary(entries, { prompt: ' sunset over the ocean ' })
    expect(page.items.map((e) => e.id)).toEqual(['v2', 'v1'])
  })
  it('normalises whitespace only', () => {
    expect(normalizePrompt('\ta  b\n\nc ')).toBe('a b c')
  })
})
