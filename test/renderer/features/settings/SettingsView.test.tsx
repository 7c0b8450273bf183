import { act, fireEvent, render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import type { AppSettings } from '../../../../electron/shared/contract'
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

async function renderSettings(answers: Parameters<typeof installBridge>[0] = {}) {
  const bridge = installBridge({
    'settings:get': () => settings,
    'key:status': () => ({ hasKey: false, last4: null, source: null }),
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
})
