import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { normaliseSettings, readSettingsFile, writeSettingsFile } from '../../../electron/core/settings/settings'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'settings-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

describe('settings', () => {
  it('has documented defaults', async () => {
    const { settings } = await readSettingsFile(path.join(dir, 'config.json'), '/videos/Seedance Studio')
    expect(settings).toEqual({
      provider: 'sandbox',
      baseUrl: 'https://api.seedance.tv/v1',
      libraryDir: '/videos/Seedance Studio',
      maxConcurrentJobs: 2,
      notifications: true,
      theme: 'system',
      retryFailedOnce: true,
      keyOrigin: null,
    })
  })

  it('a settings file cannot point the key at a plain-http, file: or script address (issue 9)', () => {
    for (const baseUrl of ['http://evil.example/v1', 'file:///etc/passwd', 'javascript:alert(1)']) {
      expect(normaliseSettings({ baseUrl }, '/v').baseUrl).toBe('https://api.seedance.tv/v1')
    }
    expect(normaliseSettings({ baseUrl: 'http://127.0.0.1:8787/v1' }, '/v').baseUrl).toBe('http://127.0.0.1:8787/v1')
    expect(normaliseSettings({ keyOrigin: 'https://api.seedance.tv' }, '/v').keyOrigin).toBe('https://api.seedance.tv')
    for (const keyOrigin of ['https://api.seedance.tv/v1', 'http://evil.example', 42])
      expect(normaliseSettings({ keyOrigin }, '/v').keyOrigin).toBeNull()
  })

  it('round-trips through the file', async () => {
    const file = path.join(dir, 'config.json')
    const s = normaliseSettings({ provider: 'cloud', maxConcurrentJobs: 4, theme: 'dark' }, '/v')
    await writeSettingsFile(file, s)
    expect((await readSettingsFile(file, '/v')).settings).toEqual(s)
  })

  it('replaces bad values by their defaults and drops unknown keys', () => {
    const s = normaliseSettings(
      { provider: 'mars', maxConcurrentJobs: 99, theme: 3, baseUrl: 'not a url', extra: 1 },
      '/v',
    )
    expect(s).toMatchObject({
      provider: 'sandbox',
      maxConcurrentJobs: 2,
      theme: 'system',
      baseUrl: 'https://api.seedance.tv/v1',
    })
    expect(s).not.toHaveProperty('extra')
    expect(normaliseSettings(['not', 'an', 'object'], '/v').provider).toBe('sandbox')
  })

  it('moves a corrupt file aside and restores the defaults instead of crashing', async () => {
    const file = path.join(dir, 'config.json')
    await writeFile(file, '{"provider": "cloud", "theme": ')
    const { settings, movedAside } = await readSettingsFile(file, '/v')
    expect(settings.provider).toBe('sandbox')
    expect(movedAside).toMatch(/config\.corrupt-.*\.json$/)
    expect(await readFile(movedAside as string, 'utf8')).toContain('"theme": ')
    expect(await readdir(dir)).not.toContain('config.json')
  })
})
