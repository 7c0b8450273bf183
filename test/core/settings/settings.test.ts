import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  normaliseSettings,
  readSettingsFile,
  settingsBaseUrl,
  writeSettingsFile,
} from '../../../electron/core/settings/settings'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'settings-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

describe('settings', () => {
  it('has documented defaults', async () => {
    const { settings } = await readSettingsFile(path.join(dir, 'config.json'), '/videos/Seedance Studio')
    expect(settings).toEqual({
      provider: null,
      models: {},
      sandbox: false,
      baseUrls: {},
      arkRegion: 'ap-southeast',
      keyOrigins: {},
      libraryDir: '/videos/Seedance Studio',
      maxConcurrentJobs: 2,
      notifications: true,
      theme: 'system',
      retryFailedOnce: true,
    })
  })

  it('a settings file cannot point a key at a plain-http, file: or script address (issue 9), per provider', () => {
    for (const url of ['http://evil.example/v1', 'file:///etc/passwd', 'javascript:alert(1)']) {
      expect(normaliseSettings({ baseUrls: { fal: url, ark: 'https://proxy.example/ark' } }, '/v').baseUrls).toEqual({
        ark: 'https://proxy.example/ark',
      })
    }
    expect(normaliseSettings({ baseUrls: { replicate: 'http://127.0.0.1:8787/v1' } }, '/v').baseUrls).toEqual({
      replicate: 'http://127.0.0.1:8787/v1',
    })
    expect(normaliseSettings({ keyOrigins: { ark: 'https://ark.example' } }, '/v').keyOrigins).toEqual({
      ark: 'https://ark.example',
    })
    for (const origin of ['https://api.seedance.tv/v1', 'http://evil.example', 42])
      expect(normaliseSettings({ keyOrigins: { fal: origin } }, '/v').keyOrigins).toEqual({})
    // Unknown providers and models are dropped, not kept for later.
    expect(
      normaliseSettings({ baseUrls: { mars: 'https://x.example' }, models: { ark: 'no-such-model' } }, '/v'),
    ).toMatchObject({
      baseUrls: {},
      models: {},
    })
  })

  it('reads a file written before the provider port (issue 10)', async () => {
    const file = path.join(dir, 'config.json')
    // The guide's API chosen, with its own address and a key bound there.
    await writeFile(
      file,
      JSON.stringify({
        provider: 'cloud',
        baseUrl: 'https://proxy.example/v1',
        keyOrigin: 'https://proxy.example',
        theme: 'dark',
      }),
    )
    expect((await readSettingsFile(file, '/v')).settings).toMatchObject({
      provider: 'seedance',
      sandbox: false,
      baseUrls: { seedance: 'https://proxy.example/v1' },
      keyOrigins: { seedance: 'https://proxy.example' },
      theme: 'dark',
    })
    // The old default: the Sandbox stays in use, so an upgrade never starts spending a stored key's credits unasked.
    expect(
      normaliseSettings({ provider: 'sandbox', baseUrl: 'https://api.seedance.tv/v1', keyOrigin: null }, '/v'),
    ).toMatchObject({ provider: null, sandbox: true, baseUrls: {}, keyOrigins: {} })
    expect(normaliseSettings({ provider: 'sandbox' }, '/v')).not.toHaveProperty('baseUrl')
    expect(normaliseSettings({ provider: 'sandbox' }, '/v')).not.toHaveProperty('keyOrigin')
  })

  it('keeps today’s values over an old key left beside them', () => {
    expect(
      normaliseSettings({ baseUrl: 'https://old.example/v1', baseUrls: { seedance: 'https://new.example/v1' } }, '/v')
        .baseUrls,
    ).toEqual({ seedance: 'https://new.example/v1' })
  })

  it('names the real service address of each door: the user’s, Ark’s region’s, else the default', () => {
    const s = normaliseSettings({ arkRegion: 'cn-beijing', baseUrls: { fal: 'https://fal-proxy.example' } }, '/v')
    expect(settingsBaseUrl(s, 'ark')).toBe('https://ark.cn-beijing.volces.com/api/v3')
    expect(settingsBaseUrl(s, 'fal')).toBe('https://fal-proxy.example')
    expect(settingsBaseUrl(s, 'replicate')).toBe('https://api.replicate.com/v1')
    expect(settingsBaseUrl(normaliseSettings({}, '/v'), 'ark')).toBe('https://ark.ap-southeast.bytepluses.com/api/v3')
  })

  it('round-trips through the file', async () => {
    const file = path.join(dir, 'config.json')
    const s = normaliseSettings(
      {
        provider: 'ark',
        models: { ark: 'dreamina-seedance-2-0-260128' },
        arkRegion: 'cn-beijing',
        maxConcurrentJobs: 4,
        theme: 'dark',
      },
      '/v',
    )
    await writeSettingsFile(file, s)
    expect((await readSettingsFile(file, '/v')).settings).toEqual(s)
  })

  it('replaces bad values by their defaults and drops unknown keys', () => {
    const s = normaliseSettings(
      { provider: 'mars', maxConcurrentJobs: 99, theme: 3, baseUrl: 'not a url', arkRegion: 'moon', extra: 1 },
      '/v',
    )
    expect(s).toMatchObject({
      provider: null,
      maxConcurrentJobs: 2,
      theme: 'system',
      baseUrls: {},
      arkRegion: 'ap-southeast',
    })
    expect(s).not.toHaveProperty('extra')
    expect(normaliseSettings(['not', 'an', 'object'], '/v').provider).toBeNull()
  })

  it('moves a corrupt file aside and restores the defaults instead of crashing', async () => {
    const file = path.join(dir, 'config.json')
    await writeFile(file, '{"provider": "cloud", "theme": ')
    const { settings, movedAside } = await readSettingsFile(file, '/v')
    expect(settings.provider).toBeNull()
    expect(movedAside).toMatch(/config\.corrupt-.*\.json$/)
    expect(await readFile(movedAside as string, 'utf8')).toContain('"theme": ')
    expect(await readdir(dir)).not.toContain('config.json')
  })
})
