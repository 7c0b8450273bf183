// Packaging cannot run here (it downloads Electron), so the release config is checked the way
// electron-builder itself checks it: loaded from disk and validated against its JSON schema.
import path from 'node:path'
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config'
import { DebugLogger } from 'builder-util'
import { beforeAll, describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '../..')

describe('electron-builder.yml', () => {
  let config: Awaited<ReturnType<typeof getConfig>>
  beforeAll(async () => {
    config = await getConfig(root, path.join(root, 'electron-builder.yml'), null)
  })

  it('passes electron-builder schema validation', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined()
  })

  it('would catch a mistake in the file', async () => {
    const broken = { ...config, mac: { ...config.mac, hardenedRuntime: 'yes please' } }
    // biome-ignore lint/suspicious/noExplicitAny: deliberately invalid configuration.
    await expect(validateConfiguration(broken as any, new DebugLogger(false))).rejects.toThrow(/hardenedRuntime/)
  })

  it('names the app and targets all three systems', () => {
    expect(config.productName).toBe('Seedance Studio')
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z]+)+$/)
    expect(config.mac).toMatchObject({
      target: ['dmg', 'zip'],
      category: 'public.app-category.video',
      hardenedRuntime: true,
    })
    expect(config.win).toMatchObject({ target: ['nsis'] })
    expect(config.linux).toMatchObject({ target: ['AppImage', 'deb'], category: 'AudioVideo' })
  })

  it('sets the Electron fuses that close the usual backdoors', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      onlyLoadAppFromAsar: true,
    })
  })

  it('packages only the build output, and unpacks native modules', () => {
    const files = JSON.stringify(config.files)
    expect(files).toContain('"out/**"')
    expect(files).not.toMatch(/"(electron|renderer|test)\//)
    expect(config.asarUnpack).toContain('**/*.node')
  })
})
