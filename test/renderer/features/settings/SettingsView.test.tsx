import { act, fireEvent, render, screen, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import type { AppSettings, ProviderStatus } from '../../../../electron/shared/contract'
import type { FolderInfo, LibraryLocation } from '../../../../electron/shared/model'
import { PROVIDER_IDS, providerInfo } from '../../../../electron/shared/providers'
import { SettingsView } from '../../../../renderer/src/features/settings/SettingsView'
import { installBridge } from '../../bridge-stub'

const settings: AppSettings = {
  provider: null,
  models: {},
  sandbox: false,
  baseUrls: {},
  arkRegion: 'ap-southeast',
  libraryDir: '/home/ana/Videos/Seedance Studio',
  maxConcurrentJobs: 2,
  notifications: true,
  theme: 'system',
  retryFailedOnce: true,
}

/** Every provider without a key, its jobs at the Sandbox: a fresh machine. */
function fresh(): ProviderStatus[] {
  return PROVIDER_IDS.map((id) => ({
    id,
    key: { hasKey: false, last4: null, source: null },
    baseUrl: providerInfo(id).defaultBaseUrl,
    target: 'sandbox',
    reason: `No ${providerInfo(id).label} key is set, so jobs through it go to the built-in Sandbox.`,
    reasonCode: null,
    model: providerInfo(id).defaultModel,
  }))
}

const card = (id: string) => within(screen.getByTestId(`provider-${id}`))

let location: LibraryLocation
beforeEach(() => {
  location = {
    dir: '/home/ana/Videos/Seedance Studio',
    videos: 124,
    bytes: 3.2 * 1024 ** 3,
    freeBytes: 410 * 1024 ** 3,
    totalBytes: 1024 ** 4,
  }
})

const newFolder: FolderInfo = {
  dir: '/media/ana/Drive/Seedance',
  exists: false,
  writable: true,
  freeBytes: 900 * 1024 ** 3,
  totalBytes: 2 * 1024 ** 4,
  videos: 0,
  isLibrary: false,
  problem: null,
}

async function renderSettings(answers: Parameters<typeof installBridge>[0] = {}) {
  const bridge = installBridge({
    'settings:get': () => settings,
    'providers:list': () => fresh(),
    'library:location': () => location,
    ...answers,
  })
  await act(async () => {
    render(<SettingsView />)
  })
  return bridge
}

describe('SettingsView', () => {
  it('lists every provider with its key and where its jobs go', async () => {
    await renderSettings()
    for (const id of PROVIDER_IDS) {
      expect(card(id).getByRole('heading', { name: providerInfo(id).label })).toBeTruthy()
      expect(screen.getByTestId(`key-status-${id}`).textContent).toBe('No key is stored.')
      expect(screen.getByTestId(`provider-target-${id}`).textContent).toContain('built-in Sandbox')
      expect((card(id).getByLabelText(`${providerInfo(id).label} key`) as HTMLInputElement).type).toBe('password')
    }
    // Only Ark has regions.
    expect(card('ark').getByLabelText('Region')).toBeTruthy()
    expect(card('fal').queryByLabelText('Region')).toBeNull()
  })

  it('tests a provider’s key and reports the exact problem', async () => {
    const bridge = await renderSettings({
      'key:test': () => ({ ok: false, code: 'INVALID_API_KEY', message: 'The fal.ai key is not valid.' }),
    })
    fireEvent.change(card('fal').getByLabelText('fal.ai key'), { target: { value: 'fal_bad' } })
    await act(async () => {
      fireEvent.click(card('fal').getByRole('button', { name: 'Test' }))
    })
    expect(bridge.calls.find((c) => c.channel === 'key:test')?.payload).toEqual({ provider: 'fal', key: 'fal_bad' })
    expect(screen.getByTestId('key-test-fal').textContent).toBe('The fal.ai key is not valid. (INVALID_API_KEY)')
  })

  it('saves a key for its provider only, shows only its last four characters, and clears the field', async () => {
    let list = fresh()
    const bridge = await renderSettings({
      'providers:list': () => list,
      'key:set': () => {
        list = list.map((p) =>
          p.id === 'ark'
            ? { ...p, key: { hasKey: true, last4: '9876', source: 'keychain' }, target: 'cloud', reason: null }
            : p,
        )
        return { hasKey: true, last4: '9876', source: 'keychain' }
      },
    })
    const input = card('ark').getByLabelText('BytePlus ModelArk key') as HTMLInputElement
    fireEvent.change(input, { target: { value: 'ark_live_abcdef9876' } })
    await act(async () => {
      fireEvent.click(card('ark').getByRole('button', { name: 'Save' }))
    })
    expect(bridge.calls.find((c) => c.channel === 'key:set')?.payload).toEqual({
      provider: 'ark',
      key: 'ark_live_abcdef9876',
    })
    expect(screen.getByTestId('key-status-ark').textContent).toBe(
      'A key ending in …9876 is stored in the system keychain.',
    )
    expect(screen.getByTestId('provider-target-ark').textContent).toBe(
      'Jobs go to BytePlus ModelArk at https://ark.ap-southeast.bytepluses.com.',
    )
    expect(input.value).toBe('')
    expect(card('ark').getByRole('button', { name: 'Remove' })).toBeTruthy()
    // No other provider changed, and no key is anywhere on the page.
    expect(screen.getByTestId('key-status-fal').textContent).toBe('No key is stored.')
    expect(document.body.textContent).not.toContain('ark_live_abcdef9876')
  })

  it('says where an environment key comes from, and offers no Remove for it', async () => {
    await renderSettings({
      'providers:list': () =>
        fresh().map((p) =>
          p.id === 'replicate'
            ? { ...p, key: { hasKey: true, last4: '4444', source: 'environment' }, target: 'cloud', reason: null }
            : p,
        ),
    })
    expect(screen.getByTestId('key-status-replicate').textContent).toBe(
      'A key ending in …4444 is set from REPLICATE_API_TOKEN.',
    )
    expect(card('replicate').queryByRole('button', { name: 'Remove' })).toBeNull()
  })

  it('chooses the default provider and its model from the catalog, and the Sandbox switch', async () => {
    let current = { ...settings }
    const bridge = await renderSettings({
      'settings:update': (p) => {
        current = { ...current, ...(p as object), models: { ...current.models, ...(p as AppSettings).models } }
        return current
      },
    })
    await act(async () => {
      fireEvent.change(screen.getByLabelText('Provider for new videos'), { target: { value: 'replicate' } })
    })
    expect(bridge.calls.find((c) => c.channel === 'settings:update')?.payload).toEqual({ provider: 'replicate' })
    const models = screen.getByLabelText('Model (Replicate)') as HTMLSelectElement
    expect([...models.options].map((o) => o.value)).toEqual(providerInfo('replicate').models.map((m) => m.id))
    await act(async () => {
      fireEvent.change(models, { target: { value: 'bytedance/seedance-2.0-fast' } })
    })
    expect(bridge.calls.filter((c) => c.channel === 'settings:update').at(-1)?.payload).toEqual({
      models: { replicate: 'bytedance/seedance-2.0-fast' },
    })
    expect(models.value).toBe('bytedance/seedance-2.0-fast')
    await act(async () => {
      fireEvent.click(screen.getByLabelText(/Use the built-in Sandbox for every provider/))
    })
    expect(bridge.calls.filter((c) => c.channel === 'settings:update').at(-1)?.payload).toEqual({ sandbox: true })
    await act(async () => {
      fireEvent.change(screen.getByLabelText('Provider for new videos'), { target: { value: '' } })
    })
    expect(bridge.calls.filter((c) => c.channel === 'settings:update').at(-1)?.payload).toEqual({ provider: null })
  })

  it('explains a refused change', async () => {
    await renderSettings({
      'settings:update': () => {
        throw Object.assign(new Error('The Sandbox switch was refused.'), { code: 'SOME_CODE' })
      },
    })
    await act(async () => {
      fireEvent.change(screen.getByLabelText('Provider for new videos'), { target: { value: 'fal' } })
    })
    expect(screen.getByTestId('settings-error').textContent).toBe('The Sandbox switch was refused. (SOME_CODE)')
  })

  it('changes Ark’s region', async () => {
    const bridge = await renderSettings({ 'settings:update': (p) => ({ ...settings, ...(p as object) }) })
    await act(async () => {
      fireEvent.change(card('ark').getByLabelText('Region'), { target: { value: 'cn-beijing' } })
    })
    expect(bridge.calls.find((c) => c.channel === 'settings:update')?.payload).toEqual({ arkRegion: 'cn-beijing' })
    expect((card('ark').getByLabelText('Region') as HTMLSelectElement).value).toBe('cn-beijing')
  })

  it('shows the library folder and changes concurrency', async () => {
    const bridge = await renderSettings({ 'settings:update': (p) => ({ ...settings, ...(p as object) }) })
    expect(screen.getByTestId('library-dir').textContent).toBe('/home/ana/Videos/Seedance Studio')
    await act(async () => {
      fireEvent.change(screen.getByLabelText('Jobs at once: 2'), { target: { value: '4' } })
    })
    expect(bridge.calls.find((c) => c.channel === 'settings:update')?.payload).toEqual({ maxConcurrentJobs: 4 })
    expect(screen.getByText('Jobs at once: 4')).toBeTruthy()
  })

  it('shows the library folder with its free space, and moves the library to a folder picked in the OS dialog', async () => {
    const bridge = await renderSettings({
      'library:choose-folder': () => ({ dir: newFolder.dir }),
      'library:inspect-folder': () => newFolder,
      'library:change-folder': (p) => {
        location = { ...location, dir: (p as { dir: string }).dir, freeBytes: newFolder.freeBytes }
        return { dir: newFolder.dir, videos: 124, moved: { moved: 124, renamed: 2, bytes: location.bytes } }
      },
    })
    expect(screen.getByTestId('library-space').textContent).toBe('124 videos · 3.2 GB · 410 GB free of 1.0 TB')
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Change folder…' }))
    })
    const choice = screen.getByTestId('folder-choice')
    expect(choice.textContent).toContain('A new folder will be made there (900 GB free of 2.0 TB).')
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Move 124 videos here' }))
    })
    expect(bridge.calls.find((c) => c.channel === 'library:change-folder')?.payload).toEqual({
      dir: newFolder.dir,
      mode: 'move',
    })
    expect(screen.getByTestId('library-folder-done').textContent).toBe(
      'Moved 124 videos to /media/ana/Drive/Seedance (2 videos renamed: a file there had the same name).',
    )
    expect(screen.getByTestId('library-dir').textContent).toBe(newFolder.dir)
    expect(screen.queryByTestId('folder-choice')).toBeNull()
  })

  it('uses a folder as it is, warns when a move may not fit, and keeps the choice open after a refusal', async () => {
    let refuse = true
    const bridge = await renderSettings({
      'library:choose-folder': () => ({ dir: '/mnt/small' }),
      'library:inspect-folder': () => ({
        ...newFolder,
        dir: '/mnt/small',
        exists: true,
        videos: 3,
        freeBytes: 1024 ** 3,
        totalBytes: 8 * 1024 ** 3,
      }),
      'library:change-folder': () => {
        if (refuse)
          throw Object.assign(new Error('1 job is still running and will save into the library.'), {
            code: 'JOBS_ACTIVE',
          })
        return { dir: '/mnt/small', videos: 3, moved: null }
      },
    })
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Change folder…' }))
    })
    const choice = screen.getByTestId('folder-choice')
    expect(choice.textContent).toContain('It already holds 3 videos (1.0 GB free of 8.0 GB).')
    expect(choice.textContent).toContain('Moving needs up to 3.2 GB there when it is another disk; it has 1.0 GB.')
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Use as it is' }))
    })
    expect(screen.getByTestId('library-folder-error').textContent).toBe(
      '1 job is still running and will save into the library.',
    )
    expect(screen.getByTestId('folder-choice')).toBeTruthy()
    refuse = false
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Use as it is' }))
    })
    expect(bridge.calls.filter((c) => c.channel === 'library:change-folder').at(-1)?.payload).toEqual({
      dir: '/mnt/small',
      mode: 'rescan',
    })
    expect(screen.getByTestId('library-folder-done').textContent).toBe('The library is now /mnt/small, with 3 videos.')
  })

  it('names the problem with a folder and offers no way to use it; a cancelled picker changes nothing', async () => {
    let answer: string | null = null
    const bridge = await renderSettings({
      'library:choose-folder': () => ({ dir: answer }),
      'library:inspect-folder': () => ({ ...newFolder, problem: 'The app may not write in that folder.' }),
    })
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Change folder…' }))
    })
    expect(screen.queryByTestId('folder-choice')).toBeNull()
    expect(bridge.calls.some((c) => c.channel === 'library:inspect-folder')).toBe(false)
    answer = '/root/locked'
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Change folder…' }))
    })
    expect(screen.getByRole('alert').textContent).toBe('The app may not write in that folder.')
    expect(screen.queryByRole('button', { name: /^Move/ })).toBeNull()
    expect(screen.queryByRole('button', { name: 'Use as it is' })).toBeNull()
  })

  it('shows the settings even when the keychain cannot be reached, and says why', async () => {
    await renderSettings({
      'providers:list': () =>
        fresh().map((p) => ({
          ...p,
          key: null,
          reason: 'The system keychain is not available (no Secret Service). Until then, jobs go to the Sandbox.',
          reasonCode: 'KEYCHAIN_UNAVAILABLE',
        })),
    })
    expect(screen.getByTestId('key-status-seedance').textContent).toBe(
      'The system keychain cannot be read, so no stored key is used.',
    )
    expect(screen.getByTestId('provider-target-fal').textContent).toBe(
      'The system keychain is not available (no Secret Service). Until then, jobs go to the Sandbox. (KEYCHAIN_UNAVAILABLE)',
    )
    expect(screen.getByLabelText('Provider for new videos')).toBeTruthy()
    expect(screen.getByTestId('library-dir').textContent).toBe('/home/ana/Videos/Seedance Studio')
  })
})

describe('SettingsView: the service address (issue 9)', () => {
  it.each([
    [
      'INVALID_BASE_URL',
      'The service address must use https:// (plain http only to this machine: localhost, 127.0.0.1 or ::1).',
    ],
    [
      'KEY_ORIGIN_NOT_CONFIRMED',
      'The service address was not changed: your fal.ai key stays with https://queue.fal.run.',
    ],
  ])(
    'shows a refused base URL with its code %s beside its provider and puts the saved address back',
    async (code, text) => {
      const bridge = await renderSettings({
        'settings:get': () => ({ ...settings, baseUrls: { fal: 'https://fal-proxy.example' } }),
        'settings:update': () => {
          throw Object.assign(new Error(text), { code })
        },
      })
      const field = card('fal').getByLabelText('Base URL') as HTMLInputElement
      expect(field.value).toBe('https://fal-proxy.example')
      fireEvent.change(field, { target: { value: 'http://evil.example/v1' } })
      await act(async () => {
        fireEvent.blur(field)
      })
      expect(bridge.calls.find((c) => c.channel === 'settings:update')?.payload).toEqual({
        baseUrls: { fal: 'http://evil.example/v1' },
      })
      expect(screen.getByTestId('provider-error-fal').textContent).toBe(`${text} (${code})`)
      expect(field.value).toBe('https://fal-proxy.example')
    },
  )

  it('an emptied base URL puts the provider’s default back', async () => {
    const bridge = await renderSettings({
      'settings:get': () => ({ ...settings, baseUrls: { replicate: 'https://proxy.example/v1' } }),
      'settings:update': (p) => ({ ...settings, ...(p as object), baseUrls: {} }),
    })
    const field = card('replicate').getByLabelText('Base URL') as HTMLInputElement
    fireEvent.change(field, { target: { value: '' } })
    await act(async () => {
      fireEvent.blur(field)
    })
    expect(bridge.calls.find((c) => c.channel === 'settings:update')?.payload).toEqual({ baseUrls: { replicate: '' } })
    expect((card('replicate').getByLabelText('Base URL') as HTMLInputElement).placeholder).toBe(
      'https://api.replicate.com/v1',
    )
  })

  it('explains a stored key that is not sent to the address in use', async () => {
    const { useEngine } = await import('../../../../renderer/src/stores/engine')
    useEngine.setState({
      status: {
        provider: 'seedance',
        model: 'standard',
        target: 'sandbox',
        baseUrl: 'http://127.0.0.1:9/v1',
        reason:
          'The API key in the keychain was saved for https://api.seedance.tv, so it is not sent to https://staging.example: enter the key again for this address. Jobs go to the built-in Sandbox until then.',
        reasonCode: 'KEY_ORIGIN_MISMATCH',
        paused: null,
        libraryDir: '/v',
        mediaBase: 'media://',
      },
    })
    await renderSettings()
    expect(screen.getByTestId('connection').textContent).toContain('enter the key again for this address')
    expect(screen.getByTestId('connection').textContent).toContain('(KEY_ORIGIN_MISMATCH)')
  })
})
