// `seedance prompts` (issue 11, point 6): the prompts used, one row per prompt whatever its spacing, with its use
// count and videos; star keeps one at hand across runs; --search and --starred narrow the list.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runMain } from './run-main'

let tmp: string
let dirs: string[]
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'cli-prompts-'))
  dirs = ['--data-dir', path.join(tmp, 'data'), '--library', path.join(tmp, 'videos')]
  // Two videos from one prompt (spaced differently, and --force so the second is made too), one from another.
  for (const [prompt, force] of [
    ['sunset over the ocean', []],
    ['sunset  over the   ocean', ['--force']],
    ['neon city at night', []],
  ] as const) {
    const r = await runMain(['generate', prompt, '--duration', '1', '--resolution', '720p', ...force, ...dirs])
    expect(r.code, r.stderr).toBe(0)
  }
}, 120_000)
afterAll(() => rm(tmp, { recursive: true, force: true }))

describe('seedance prompts', () => {
  it('lists each prompt once, newest first, with its uses and videos', async () => {
    const r = await runMain(['prompts', ...dirs])
    expect(r.code, r.stderr).toBe(0)
    const lines = r.stdout.replace(/\n$/, '').split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(/^ {4}1× {2}\d{4}-\d\d-\d\d {2}1 video {5}neon city at night$/)
    expect(lines[1]).toMatch(/^ {4}2× .* 2 videos {4}sunset over the ocean$/)
    expect(r.stderr).toMatch(/\n?2 prompts.\n$/)
  })

  it('--json gives each video with its path', async () => {
    const r = await runMain(['prompts', '--search', 'SUNSET', '--json', ...dirs])
    expect(r.code).toBe(0)
    const [item, ...rest] = JSON.parse(r.stdout)
    expect(rest).toEqual([])
    expect(item).toMatchObject({ prompt: 'sunset over the ocean', count: 2, starred: false })
    expect(item.videos).toHaveLength(2)
    for (const v of item.videos) expect(v.path.startsWith(path.join(tmp, 'videos'))).toBe(true)
  })

  it('star keeps a prompt at hand across runs; --starred lists only those; unstar lets it go', async () => {
    const s = await runMain(['prompts', 'star', '  sunset over the ocean', ...dirs])
    expect(s.code, s.stderr).toBe(0)
    expect(s.stderr).toMatch(/Starred. 1 starred prompt.\n$/)
    const all = await runMain(['prompts', ...dirs])
    expect(all.stdout.split('\n')[0]).toMatch(/^★ {3}2× .*sunset over the ocean$/)
    const starred = await runMain(['prompts', '--starred', ...dirs])
    expect(starred.stdout.trim().split('\n')).toHaveLength(1)
    expect(starred.stderr).toMatch(/1 starred prompt.\n$/)
    expect((await runMain(['prompts', 'unstar', 'sunset over the ocean', ...dirs])).code).toBe(0)
    expect((await runMain(['prompts', '--starred', ...dirs])).stdout).toBe('')
  })

  it('a search that matches nothing lists nothing', async () => {
    const r = await runMain(['prompts', '--search', 'desert', ...dirs])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/0 prompts matching "desert".\n$/)
  })

  it('is in the help, with its options', async () => {
    const general = await runMain(['--help'])
    expect(general.stdout).toMatch(/^ {2}prompts \[star\|unstar "<prompt>"\]/m)
    const own = await runMain(['help', 'prompts'])
    expect(own.code).toBe(0)
    for (const option of ['--search Q', '--starred', '--json']) expect(own.stdout).toContain(option)
  })

  it('refuses a bad line with exit 2 and says what is expected', async () => {
    const noPrompt = await runMain(['prompts', 'star', ...dirs])
    expect(noPrompt.code).toBe(2)
    expect(noPrompt.stderr).toContain('seedance prompts star "<prompt>"')
    const empty = await runMain(['prompts', 'star', '   ', ...dirs])
    expect(empty.code).toBe(2)
    expect(empty.stderr).toContain('empty')
    const other = await runMain(['prompts', 'list', ...dirs])
    expect(other.code).toBe(2)
  })
})
