// `seedance library info <file>` (issue 11, point 1): the settings inside a video, read from the file alone.
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { embedSettingsFile } from '../../../electron/node/mp4-settings-file'
import { renderClip } from '../../fixtures/clip'
import { sampleSettings } from '../../fixtures/video-settings'
import { runMain } from '../run-main'

let dir: string
let made: string
let plain: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'library-info-'))
  plain = path.join(dir, 'plain.mp4')
  made = path.join(dir, 'made with the app.mp4')
  await writeFile(plain, await renderClip(320, 240, 12))
  await copyFile(plain, made)
  await embedSettingsFile(made, made, sampleSettings())
}, 60_000)
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('seedance library info', () => {
  it('prints the settings a video carries', async () => {
    const run = await runMain(['library', 'info', made])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('made with     ark / seedance-1-0-pro-250528\n')
    expect(run.stdout).toContain('seed          421\n')
    expect(run.stdout).toContain('fixed camera  yes\n')
    expect(run.stdout).toContain(`image         beach.png (sha256 ${'a'.repeat(64)})\n`)
    expect(run.stdout).toContain('job           job-0001\n')
  })

  it('prints them as JSON with --json', async () => {
    const run = await runMain(['library', 'info', made, '--json'])
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout)).toEqual(sampleSettings())
  })

  it('says when a video carries none, or is no video, with exit code 2', async () => {
    const none = await runMain(['library', 'info', plain])
    expect(none).toMatchObject({ code: 2, stdout: '' })
    expect(none.stderr).toBe(
      'seedance: NO_SETTINGS: This video carries no Seedance Studio settings (it was not saved by the app).\n',
    )
    const missing = await runMain(['library', 'info', path.join(dir, 'nope.mp4')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('seedance: no file')
    expect((await runMain(['library', 'info'])).code).toBe(2)
  })
})
