// The stored API key goes only where it was saved for (issue 9, point 6), tried as a compromised renderer would:
// through the real handler table and IPC schemas into a real engine, with a second local server standing in for
// the attacker's and recording every Authorization header it is sent.
import { readFile } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createAppInfo } from '../../electron/core/app-info'
import { type Engine, openEngine } from '../../electron/core/engine'
import { Keychain, type KeytarLike } from '../../electron/core/secrets/keychain'
import type { Settings } from '../../electron/core/settings/settings'
import { createHandlers, type KeyOriginAnswer } from '../../electron/main/handlers'
import { createSenderPolicy, registerHandlers } from '../../electron/main/ipc'
import { type Sandbox, startSandbox } from '../../electron/sandbox/server'
import type { IpcResult } from '../../electron/shared/contract'
import { type TestDirs, testDirs } from '../core/jobs/engine-helpers'
import { FakeIpcMain, mainFrame } from '../fakes/electron'

const APP = 'app://renderer/index.html'
const KEY = 'sk_live_cloud_key_5678'

/** The OS keychain, in memory. */
function memoryKeytar(): KeytarLike {
  const entries = new Map<string, string>()
  return {
    getPassword: async (s, a) => entries.get(`${s}/${a}`) ?? null,
    setPassword: async (s, a, p) => void entries.set(`${s}/${a}`, p),
    deletePassword: async (s, a) => entries.delete(`${s}/${a}`),
  }
}

let cloud: Sandbox
let attacker: http.Server
let attackerUrl = ''
const stolen: string[] = []
beforeAll(async () => {
  cloud = await startSandbox({ apiKey: KEY, genSeconds: { min: 1, max: 1 } })
  attacker = http.createServer((req, res) => {
    stolen.push(req.headers.authorization ?? '(none)')
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end('{"jobs":[],"total":0,"limit":1,"offset":0,"has_more":false}')
  })
  await new Promise<void>((r) => attacker.listen(0, '127.0.0.1', r))
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/v1`
})
afterAll(async () => {
  attacker.closeAllConnections()
  attacker.close()
  await cloud.close()
})

let dirs: TestDirs
let engine: Engine
let ipc: FakeIpcMain
/** What main's confirmation dialog answers, and what it was asked. */
let answer: KeyOriginAnswer
let asked: Array<{ from: string; to: string }>

async function setup(confirm = true, env: Record<string, string> = {}, settings: Partial<Settings> = {}) {
  dirs = await testDirs()
  engine = await openEngine({
    paths: dirs.paths,
    role: 'app',
    sandbox: 'setting',
    keychain: new Keychain({ backend: memoryKeytar(), env }),
    settingsOverride: { provider: 'cloud', baseUrl: cloud.baseUrl, ...settings },
    sandboxOptions: { genSeconds: { min: 1, max: 1 } },
  })
  ipc = new FakeIpcMain()
  asked = []
  registerHandlers(
    ipc,
    createHandlers({
      appInfo: () =>
        createAppInfo({
          name: 'Seedance Studio',
          version: '1.0.0',
          platform: 'linux',
          arch: 'x64',
          versions: process.versions,
          paths: dirs.paths,
        })(),
      engine,
      mediaBase: 'media://',
      ...(confirm
        ? {
            confirmKeyOrigin: async (change: { from: string; to: string }) => {
              asked.push(change)
              return answer
            },
          }
        : {}),
    }),
    createSenderPolicy([APP]),
  )
  stolen.length = 0
}

beforeEach(() => setup())
afterEach(async () => {
  await engine.close()
  await dirs.cleanup()
})

async function call<T = unknown>(channel: string, payload?: unknown): Promise<T> {
  const result = (await ipc.invoke(channel, payload, mainFrame(APP))) as IpcResult<T>
  if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code })
  return result.data
}

describe('the service address', () => {
  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'http://evil.example/v1',
    'http://192.168.1.10/v1',
    'ftp://api.seedance.tv/v1',
    'https://user:pw@api.seedance.tv/v1',
  ])('refuses %s with INVALID_BASE_URL and keeps the old one', async (baseUrl) => {
    await expect(call('settings:update', { baseUrl })).rejects.toMatchObject({ code: 'INVALID_BASE_URL' })
    expect((await call<{ baseUrl: string }>('settings:get')).baseUrl).toBe(cloud.baseUrl)
    // The engine refuses it too, without the IPC schema in front (the CLI, a future caller).
    await expect(engine.updateSettings({ baseUrl })).rejects.toMatchObject({ code: 'INVALID_BASE_URL' })
  })

  it.each(['https://api.example.com/v1', 'http://localhost:8787/v1', 'http://127.0.0.2:9/v1', 'http://[::1]:8787/v1'])(
    'accepts %s',
    async (baseUrl) => {
      answer = 'keep'
      expect((await call<{ baseUrl: string }>('settings:update', { baseUrl })).baseUrl).toBe(baseUrl)
    },
  )
})

describe('a key is bound to the origin it was saved for', () => {
  it('records the origin when the key is saved, out of the renderer’s reach', async () => {
    await call('key:set', { key: KEY })
    const file = JSON.parse(await readFile(dirs.paths.settingsFile, 'utf8'))
    expect(file.keyOrigin).toBe(new URL(cloud.baseUrl).origin)
    expect(await call('settings:get')).not.toHaveProperty('keyOrigin')
    // The renderer cannot move the binding itself: the field is not part of settings:update.
    await call('settings:update', { keyOrigin: new URL(attackerUrl).origin, theme: 'dark' }).catch(() => undefined)
    expect(JSON.parse(await readFile(dirs.paths.settingsFile, 'utf8')).keyOrigin).toBe(new URL(cloud.baseUrl).origin)
    expect(engine.connection.provider).toBe('cloud')
  })

  it('a changed origin asks main’s dialog; Cancel changes nothing and sends nothing', async () => {
    await call('key:set', { key: KEY })
    answer = 'cancel'
    await expect(call('settings:update', { baseUrl: attackerUrl })).rejects.toMatchObject({
      code: 'KEY_ORIGIN_NOT_CONFIRMED',
    })
    expect(asked).toEqual([{ from: new URL(cloud.baseUrl).origin, to: new URL(attackerUrl).origin }])
    expect(engine.settings.baseUrl).toBe(cloud.baseUrl)
    await call('key:test', {})
    expect(stolen).toEqual([])
  })

  it('"enter a new key": the address changes, the stored key is never sent there', async () => {
    await call('key:set', { key: KEY })
    answer = 'keep'
    await call('settings:update', { baseUrl: attackerUrl })
    expect(await call('key:test', {})).toMatchObject({ ok: false, code: 'KEY_ORIGIN_MISMATCH' })
    expect(engine.connection).toMatchObject({ provider: 'sandbox', reasonCode: 'KEY_ORIGIN_MISMATCH' })
    expect(stolen).toEqual([])
    // A key typed for the new address is the user's choice, and from then on bound there.
    await call('key:set', { key: 'sk_other_service_0001' })
    expect(engine.connection.provider).toBe('cloud')
    await call('key:test', {})
    expect(stolen).toEqual(['Bearer sk_other_service_0001'])
  })

  it('confirmed in main’s dialog, the key follows the new origin', async () => {
    await call('key:set', { key: KEY })
    answer = 'move'
    await call('settings:update', { baseUrl: attackerUrl })
    expect(await call('key:test', {})).toMatchObject({ ok: true })
    expect(stolen).toEqual([`Bearer ${KEY}`])
  })

  it('without a dialog to ask (the browser harness), a changed origin never takes the key along', async () => {
    await engine.close()
    await dirs.cleanup()
    await setup(false)
    await call('key:set', { key: KEY })
    await call('settings:update', { baseUrl: attackerUrl })
    expect(await call('key:test', {})).toMatchObject({ ok: false, code: 'KEY_ORIGIN_MISMATCH' })
    expect(stolen).toEqual([])
  })

  it('the engine enforces it without IPC: a settings change straight to the engine sends nothing', async () => {
    await call('key:set', { key: KEY })
    await engine.updateSettings({ baseUrl: attackerUrl })
    expect(await engine.testKey()).toMatchObject({ ok: false, code: 'KEY_ORIGIN_MISMATCH' })
    await engine.reconnect()
    expect(engine.connection.provider).toBe('sandbox')
    expect(stolen).toEqual([])
  })
})

describe('SEEDANCE_API_KEY in the app is bound like a stored key (a renderer can change the address)', () => {
  const restart = async (confirm: boolean, settings: Partial<Settings>) => {
    await engine.close()
    await dirs.cleanup()
    await setup(confirm, { SEEDANCE_API_KEY: KEY }, settings)
  }
  const cloudOrigin = () => new URL(cloud.baseUrl).origin

  it('a changed origin asks main’s dialog; Cancel sends the key nowhere', async () => {
    await restart(true, { keyOrigin: cloudOrigin() })
    expect(engine.connection.provider).toBe('cloud')
    answer = 'cancel'
    await expect(call('settings:update', { baseUrl: attackerUrl, provider: 'cloud' })).rejects.toMatchObject({
      code: 'KEY_ORIGIN_NOT_CONFIRMED',
    })
    expect(asked).toEqual([{ from: cloudOrigin(), to: new URL(attackerUrl).origin }])
    await call('key:test', {})
    expect(stolen).toEqual([])
  })

  it('without a dialog to ask, a changed origin never takes the environment key along', async () => {
    await restart(false, { keyOrigin: cloudOrigin() })
    await call('settings:update', { baseUrl: attackerUrl, provider: 'cloud' })
    expect(await call('key:test', {})).toMatchObject({ ok: false, code: 'KEY_ORIGIN_MISMATCH' })
    expect(engine.connection).toMatchObject({ provider: 'sandbox', reasonCode: 'KEY_ORIGIN_MISMATCH' })
    expect(engine.connection.reason).toContain('SEEDANCE_API_KEY')
    expect(stolen).toEqual([])
  })

  it('confirmed in main’s dialog, it follows the new origin', async () => {
    await restart(true, { keyOrigin: cloudOrigin() })
    answer = 'move'
    await call('settings:update', { baseUrl: attackerUrl })
    expect(await call('key:test', {})).toMatchObject({ ok: true })
    expect(stolen).toEqual([`Bearer ${KEY}`])
  })

  it('bound to nothing yet, it goes only to Seedance Cloud’s own address', async () => {
    await restart(false, { baseUrl: attackerUrl })
    expect(engine.connection).toMatchObject({ provider: 'sandbox', reasonCode: 'KEY_ORIGIN_MISMATCH' })
    expect(await call('key:test', {})).toMatchObject({ ok: false, code: 'KEY_ORIGIN_MISMATCH' })
    expect(stolen).toEqual([])
  })
})
