// Starred prompts survive a restart (prompt-stars.json in the data folder), are written by atomic rename, and are
// keyed by the prompt with its whitespace normalised.
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PromptStars } from '../../../electron/core/prompts/prompt-stars'

let dir: string
let file: string
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'prompt-stars-'))
  file = path.join(dir, 'prompt-stars.json')
})
afterEach(() => rm(dir, { recursive: true, force: true }))

describe('PromptStars', () => {
  it('keeps stars across a restart, most recently starred first, normalised', async () => {
    let t = 1000
    const stars = await PromptStars.open(file, () => t++)
    await stars.set('sunset  over the ocean', true)
    await stars.set('neon city', true)
    expect(await stars.set(' sunset over\tthe ocean ', true)).toEqual(['sunset over the ocean', 'neon city'])
    const again = await PromptStars.open(file)
    expect(again.list()).toEqual(['sunset over the ocean', 'neon city'])
    expect(await readdir(dir)).toEqual(['prompt-stars.json']) // no temporary file left behind
  })

  it('unstars, and the file says so after a restart', async () => {
    const stars = await PromptStars.open(file)
    await stars.set('a', true)
    await stars.set('b', true)
    expect(await stars.set('a', false)).toEqual(['b'])
    expect((await PromptStars.open(file)).list()).toEqual(['b'])
  })

  it('writes changes made at once in the order they were made', async () => {
    const stars = await PromptStars.open(file)
    await Promise.all([stars.set('one', true), stars.set('two', true), stars.set('one', false)])
    expect(JSON.parse(await readFile(file, 'utf8')).starred.map((s: { prompt: string }) => s.prompt)).toEqual(['two'])
  })

  it('refuses an empty prompt with INVALID_PROMPT and changes nothing', async () => {
    const stars = await PromptStars.open(file)
    await stars.set('kept', true)
    await expect(stars.set('  \n ', true)).rejects.toMatchObject({ code: 'INVALID_PROMPT' })
    expect((await PromptStars.open(file)).list()).toEqual(['kept'])
  })

  it('starts empty from a damaged file, and keeps only valid, distinct rows of a good one', async () => {
    await writeFile(file, '{ not json')
    expect((await PromptStars.open(file)).list()).toEqual([])
    await writeFile(
      file,
      JSON.stringify({
        format: 1,
        starred: [{ prompt: 'x  y', at: 1 }, { prompt: 3 }, { prompt: 'x y', at: 2 }, null],
      }),
    )
    expect((await PromptStars.open(file)).list()).toEqual(['x y'])
  })
})
