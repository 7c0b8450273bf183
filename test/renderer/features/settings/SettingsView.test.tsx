import { act, fireEvent, render, screen } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import type { AppSettings } from '../../../../electron/shared/contract'
import type { FolderInfo, LibraryLocation } from '../../../../electron/shared/model'
import { SettingsView } from '../../../../renderer/src/features/settings/SettingsView'
import { installBridge } from '../../bridge-stub'

const settings: AppSettings = {
  provider: 'sandbox',
  baseUrl: 'https://api.seedance.tv/v1',
  libraryDir: '/home/ana/Videos/Seedance Studio',
  maxConcurrentJobs: 2,
  notifications: true,
  theme: 'system',
  retryFailedOnce: true,
}

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
    'key:status': () => ({ hasKey: false, last4: null, source: null }),
    'library:location': () => location,
    ...answers,
  })
  await act(async () => {
    render(<SettingsView />)
  })
  return bridge
}

describe('SettingsView', () => {
  it('tests a key and reports the exact problem', async () => {
    await renderSettings({
      'key:test': () => ({ ok: false, code: 'INVALID_API_KEY', message: 'The API key is not valid.' }),
    })
    fireEvent.change(screen.getByLabelText('API key'), { target: { value: 'sk_bad' } })
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Test connection' }))
    })
    expect(screen.getByTestId('key-test').textContent).toBe('The API key is not valid. (INVALID_API_KEY)')
  })

  it('saves a key to the keychain, shows only its last four characters, and clears the field', async () => {
    const bridge = await renderSettings({ 'key:set': () => ({ hasKey: true, last4: '9876', source: 'keychain' }) })
    const input = screen.getByLabelText('API key') as HTMLInputElement
    expect(input.type).toBe('password')
    fireEvent.change(input, { target: { value: 'sk_live_abcdef9876' } })
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    })
    expect(bridge.calls.find((c) => c.channel === 'key:set')?.payload).toEqual({ key: 'sk_live_abcdef9876' })
    expect(screen.getByTestId('key-status').textContent).toBe('A key ending in …9876 is stored in the system keychain.')
    expect(input.value).toBe('')
    expect(screen.getByRole('button', { name: 'Remove' })).toBeTruthy()
  })

  it('switches provider and explains a refusal', async () => {
    await renderSettings({
      'settings:update': () => {
        throw Object.assign(
          new Error('Jobs are running at the current service; change the provider when they have finished.'),
          { code: 'JOBS_ACTIVE' },
        )
      },
    })
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Seedance Cloud' }))
    })
    expect(screen.getByTestId('settings-error').textContent).toContain('Jobs are running')
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
      'key:status': () => {
        throw Object.assign(new Error('The system keychain is not available (no Secret Service).'), {
          code: 'KEYCHAIN_UNAVAILABLE',
        })
      },
    })
    expect(screen.getByTestId('key-status').textContent).toBe(
      'The system keychain is not available (no Secret Service).',
    )
    expect(screen.getByRole('button', { name: 'Seedance Cloud' })).toBeTruthy()
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
      'The service address was not changed: your API key stays with https://api.seedance.tv.',
    ],
  ])('shows a refused base URL with its code %s and puts the saved address back', async (code, text) => {
    await renderSettings({
      'settings:update': () => {
        throw Object.assign(new Error(text), { code })
      },
    })
    const field = screen.getByLabelText('Base URL') as HTMLInputElement
    fireEvent.change(field, { target: { value: 'http://evil.example/v1' } })
    await act(async () => {
      fireEvent.blur(field)
    })
    expect(screen.getByTestId('settings-error').textContent).toBe(`${text} (${code})`)
    expect(field.value).toBe('https://api.seedance.tv/v1')
  })

  it('explains a stored key that is not sent to the address in use', async () => {
    const { useEngine } = await import('../../../../renderer/src/stores/engine')
    useEngine.setState({
      status: {
        provider: 'sandbox',
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
