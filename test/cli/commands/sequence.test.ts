// `seedance continue` and `seedance export` (issue 11) on the built-in Sandbox: a clip made through fal's emulation
// (no last-frame image) is continued from its file with ffmpeg, by its path; the two export as one MP4 read back by
// ffprobe; without ffmpeg (SEEDANCE_FFMPEG=none) a continue has no frame to start from and says so with exit 8.
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EXIT } from '../../../electron/cli/exit-codes'
import { runMain } from '../run-main'

const run = promisify(execFile)
let dir: string
let env: Record<string, string>
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cli-sequence-'))
  env = { SEEDANCE_DATA_DIR: path.join(dir, 'data'), SEEDANCE_LIBRARY: path.join(dir, 'videos') }
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('seedance continue and export', () => {
  it('continues a video by its file, then exports the sequence as one MP4', async () => {
    const made = await runMain(
      ['generate', 'a paper plane over rooftops', '--provider', 'fal', '--duration', '2', '--resolution', '480p'],
      { env },
    )
    expect(made.code, made.stderr).toBe(EXIT.ok)
    const file = made.stdout.trim()

    const refused = await runMain(['continue', file], { env: { ...env, SEEDANCE_FFMPEG: 'none' } })
    expect(refused.code).toBe(EXIT.noEncoder)
    expect(refused.stderr).toContain('no ffmpeg')

    const next = await runMain(['continue', file, '--prompt', 'the plane lands on a balcony'], { env })
    expect(next.code, next.stderr).toBe(EXIT.ok)
    expect(next.stderr).toContain('taken from the file')
    const list = await runMain(['library', '--json'], { env })
    const entries = JSON.parse(list.stdout) as Array<{ id: string; continues?: string | null; prompt: string }>
    const child = entries.find((e) => e.prompt === 'the plane lands on a balcony')
    const parent = entries.find((e) => e.prompt === 'a paper plane over rooftops')
    expect(child?.continues).toBe(parent?.id)

    const out = path.join(dir, 'plane.mp4')
    const exported = await runMain(['export', child?.id as string, '--out', out], { env })
    expect(exported.code, exported.stderr).toBe(EXIT.ok)
    expect(exported.stdout.trim()).toBe(out)
    expect(exported.stderr).toContain('2 clips')
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', out])
    expect(Number(stdout)).toBeCloseTo(4, 1)
    expect((await run('ffmpeg', ['-v', 'error', '-i', out, '-f', 'null', '-'])).stderr).toBe('')

    const again = await runMain(['export', child?.id as string, '--out', out], { env })
    expect(again.code).toBe(EXIT.usage)
    expect(again.stderr).toContain('--force')
    const unknown = await runMain(['export', 'no-such-video', '--out', path.join(dir, 'x.mp4')], { env })
    expect(unknown.code).toBe(EXIT.usage)
  }, 180_000)
})
