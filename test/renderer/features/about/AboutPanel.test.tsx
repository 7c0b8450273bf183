import { act, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { IpcResult, SeedanceBridge } from '../../../../electron/shared/contract'
import type { AppInfo } from '../../../../electron/shared/model'
import { AboutPanel } from '../../../../renderer/src/features/about/AboutPanel'
import { useAppInfo } from '../../../../renderer/src/stores/app-info'

const info: AppInfo = {
  name: 'Seedance Studio',
  version: '0.1.0',
  platform: 'darwin',
  arch: 'arm64',
  runtime: { node: '22.1.0', electron: '45.5.0', chrome: '140.0.1' },
  paths: {
    userData: '/Users/ana/Library/Application Support/Seedance Studio',
    settingsFile: '/Users/ana/Library/Application Support/Seedance Studio/config.json',
    logs: '/Users/ana/Library/Application Support/Seedance Studio/logs',
    library: '/Users/ana/Movies/Seedance Studio',
  },
}

function installBridge(invoke: () => Promise<IpcResult<unknown>>) {
  window.seedance = { invoke: vi.fn(invoke), on: vi.fn(() => () => {}) } as unknown as SeedanceBridge
}

beforeEach(() => useAppInfo.setState({ info: null, error: null }))
afterEach(() => {
  window.seedance = undefined
})

describe('AboutPanel', () => {
  it('shows the version, system and data folders the engine reports', async () => {
    installBridge(async () => ({ ok: true, data: info }))
    render(<AboutPanel />)
    expect(await screen.findByTestId('app-version')).toHaveProperty('textContent', '0.1.0')
    expect(screen.getByTestId('app-platform').textContent).toBe('macOS (arm64)')
    expect(screen.getByTestId('path-library').textContent).toBe('/Users/ana/Movies/Seedance Studio')
    expect(screen.getByText(/Electron 45\.5\.0/)).toBeTruthy()
  })

  it('says plainly when the engine cannot be reached, and retries on request', async () => {
    let calls = 0
    installBridge(async () => {
      calls += 1
      return calls === 1
        ? { ok: false, error: { code: 'IPC_UNTRUSTED_SENDER', message: 'Refused app:info from an untrusted sender' } }
        : { ok: true, data: info }
    })
    render(<AboutPanel />)
    expect((await screen.findByRole('alert')).textContent).toContain('IPC_UNTRUSTED_SENDER')
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Try again' }))
    })
    expect(await screen.findByTestId('app-version')).toBeTruthy()
  })

  it('explains a missing bridge instead of crashing', async () => {
    render(<AboutPanel />)
    expect((await screen.findByRole('alert')).textContent).toContain('BRIDGE_UNAVAILABLE')
  })
})
