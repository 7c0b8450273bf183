import { describe, expect, it } from 'vitest'
import { createAppInfo } from '../../electron/core/app-info'
import type { Engine } from '../../electron/core/engine'
import { createHandlers } from '../../electron/main/handlers'
import { createSenderPolicy, type HandlerTable, registerHandlers } from '../../electron/main/ipc'
import { INVOKE_CHANNELS } from '../../electron/shared/contract'
import type { AppInfo } from '../../electron/shared/model'
import { FakeIpcMain, mainFrame, subFrame } from '../fakes/electron'

const APP = 'app://renderer/index.html'
const appInfo = createAppInfo({
  name: 'Seedance Studio',
  version: '1.2.3',
  platform: 'linux',
  arch: 'x64',
  versions: { node: '22.0.0', electron: '45.0.0', chrome: '140.0.0' },
  paths: { userData: '/u', settingsFile: '/u/config.json', logs: '/u/logs', library: '/v' },
})

// Channels other than app:info are exercised against a real engine in handlers.test.ts.
const baseTable = createHandlers({ appInfo, engine: {} as Engine, mediaBase: 'media://' })

function setup(table: HandlerTable = baseTable) {
  const ipc = new FakeIpcMain()
  const unregister = registerHandlers(ipc, table, createSenderPolicy([APP]))
  return { ipc, unregister }
}

describe('registerHandlers', () => {
  it('registers every channel of the contract', () => {
    const { ipc } = setup()
    expect([...ipc.handlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort())
  })

  it('answers app:info from the app main frame with an ok result', async () => {
    const { ipc } = setup()
    const result = (await ipc.invoke('app:info', undefined, mainFrame(APP))) as { ok: true; data: AppInfo }
    expect(result.ok).toBe(true)
    expect(result.data.version).toBe('1.2.3')
    expect(result.data.runtime.electron).toBe('45.0.0')
    expect(result.data.paths.library).toBe('/v')
  })

  it('rejects a sub-frame, even of the app origin', async () => {
    const { ipc } = setup()
    expect(await ipc.invoke('app:info', undefined, subFrame(APP))).toMatchObject({
      ok: false,
      error: { code: 'IPC_UNTRUSTED_SENDER' },
    })
  })

  it.each(['https://evil.example/index.html', 'file:///home/ana/page.html', 'app://other/index.html', 'not a url'])(
    'rejects a frame from a foreign origin: %s',
    async (url) => {
      const { ipc } = setup()
      expect(await ipc.invoke('app:info', undefined, mainFrame(url))).toMatchObject({
        ok: false,
        error: { code: 'IPC_UNTRUSTED_SENDER' },
      })
    },
  )

  it('rejects a sender whose frame is gone', async () => {
    const { ipc } = setup()
    expect(await ipc.invoke('app:info', undefined, { senderFrame: null })).toMatchObject({
      ok: false,
      error: { code: 'IPC_UNTRUSTED_SENDER' },
    })
  })

  it('rejects a payload that fails the channel schema, naming the channel', async () => {
    const { ipc } = setup()
    const result = await ipc.invoke('app:info', { sneaky: true }, mainFrame(APP))
    expect(result).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_PAYLOAD' } })
    expect((result as { error: { message: string } }).error.message).toContain('app:info')
  })

  it('turns a thrown error into data, keeping its stable code', async () => {
    const failing: HandlerTable = {
      ...baseTable,
      'app:info': () => {
        throw Object.assign(new Error('The keychain is locked'), { code: 'KEYCHAIN_UNAVAILABLE' })
      },
    }
    const { ipc } = setup(failing)
    expect(await ipc.invoke('app:info', undefined, mainFrame(APP))).toEqual({
      ok: false,
      error: { code: 'KEYCHAIN_UNAVAILABLE', message: 'The keychain is locked' },
    })
  })

  it('gives an error without a usable code the INTERNAL_ERROR code', async () => {
    const failing: HandlerTable = {
      ...baseTable,
      'app:info': async () => {
        throw new Error('boom')
      },
    }
    const { ipc } = setup(failing)
    expect(await ipc.invoke('app:info', undefined, mainFrame(APP))).toEqual({
      ok: false,
      error: { code: 'INTERNAL_ERROR', message: 'boom' },
    })
  })

  it('removes its handlers again', () => {
    const { ipc, unregister } = setup()
    unregister()
    expect(ipc.handlers.size).toBe(0)
  })
})

describe('createSenderPolicy', () => {
  it('trusts the dev server origin when that is where the renderer lives', () => {
    const trusted = createSenderPolicy(['http://localhost:5173/'])
    expect(trusted(mainFrame('http://localhost:5173/index.html'))).toBe(true)
    expect(trusted(mainFrame('http://localhost:5174/index.html'))).toBe(false)
  })
})
