// The stored API key goes only where it was saved for (issue 9, point 6), tried as a compromised renderer would:
// through the real handler table and IPC schemas into a real engine, with a second local server standing in for
// the attacker's and recording every Authorization header it is sent.
import { readFile } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createAppInfo } from '../../electron/core/app-info'
import type { Engine } from '../../electron/core/engine'
import { Keychain, type KeytarLike } from '../../electron/core/secrets/keychain'
import type { Settings } from '../../electron/core/settings/settings'
import { createHandlers, type KeyOriginAnswer } from '../../electron/main/handlers'
import { createSenderPolicy, registerHandlers } from '../../electron/main/ipc'
import { type Sandbox, startSandbox } from '../../electron/sandbox/server'
import type { IpcResult, ProviderStatus } from '../../electron/shared/contract'
import type { ProviderId } from '../../electron/shared/providers'
import { type TestDirs, testDirs } from '../core/jobs/engine-helpers'
import { openEngineOnSandbox } from '../core/sandbox-engine'
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
let asked: Array<{ provider: string; from: string; to: string }>

async function setup(confirm = true, env: Record<string, string> = {}, settings: Partial<Settings> = {}) {
  dirs = await testDirs()
  engine = await openEngineOnSandbox({
    paths: dirs.paths,
    role: 'app',
    sandbox: 'setting',
    keychain: new Keychain({ backend: memoryKeytar(), env }),
    settingsOverride: { provider: 'seedance', baseUrls: { seedance: cloud.baseUrl }, ...settings },
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
            confirmKeyOrigin: async (change: { provider: ProviderId; from: string; to: string }) => {
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
    await expect(call('settings:update', { baseUrls: { seedance: baseUrl } })).rejects.toMatchObject({
      code: 'INVALID_BASE_URL',
    })
    await expect(call('settings:update', { baseUrls: { fal: baseUrl } })).rejects.toMatchObject({
      code: 'INVALID_BASE_URL',
    })
    expect((await call<Settings>('settings:get')).baseUrls).toEqual({ seedance: cloud.baseUrl })
    // The engine refuses it too, without the IPC schema in front (the CLI, a future caller).
    await expect(engine.updateSettings({ baseUrls: { ark: baseUrl } })).rejects.toMatchObject({
      code: 'INVALID_BASE_URL',
    })
  })

  it.each(['https://api.example.com/v1', 'http://localhost:8787/v1', 'http://127.0.0.2:9/v1', 'http://[::1]:8787/v1'])(
    'accepts %s',
    async (baseUrl) => {
      answer = 'keep'
      expect((await call<Settings>('settings:update', { baseUrls: { seedance: baseUrl } })).baseUrls.seedance).toBe(
        baseUrl,
      )
    },
  )
})

describe('a key is bound to the origin it was saved for', () => {
  it('records the origin when the key is saved, out of the renderer’s reach', async () => {
    await call('key:set', { provider: 'seedance', key: KEY })
    const file = JSON.parse(await readFile(dirs.paths.settingsFile, 'utf8'))
    expect(file.keyOrigins).toEqual({ seedance: new URL(cloud.baseUrl).origin })
    expect(await call('settings:get')).not.toHaveProperty('keyOrigins')
    // The renderer cannot move the binding itself: the field is not part of settings:update.
    await call('settings:update', { keyOrigins: { seedance: new URL(attackerUrl).origin }, theme: 'dark' }).catch(
      () => undefined,
    )
    expect(JSON.parse(await readFile(dirs.paths.settingsFile, 'utf8')).keyOrigins).toEqual({
      seedance: new URL(cloud.baseUrl).origin,
    })
    expect(engine.connection.target).toBe('cloud')
  })

  it('a changed origin asks main’s dialog; Cancel changes nothing and sends nothing', async () => {
    await call('key:set', { provider: 'seedance', key: KEY })
    answer = 'cancel'
    await expect(call('settings:update', { baseUrls: { seedance: attackerUrl } })).rejects.toMatchObject({
      code: 'KEY_ORIGIN_NOT_CONFIRMED',
    })
    expect(asked).toEqual([
      { provider: 'seedance', from: new URL(cloud.baseUrl).origin, to: new URL(attackerUrl).origin },
    ])
    expect(engine.settings.baseUrls.seedance).toBe(cloud.baseUrl)
    await call('key:test', { provider: 'seedance' })
    expect(stolen).toEqual([])
  })

  it('"enter a new key": the address changes, the stored key is never sent there', async () => {
    await call('key:set', { provider: 'seedance', key: KEY })
    answer = 'keep'
    await call('settings:update', { baseUrls: { seedance: attackerUrl } })
    expect(await call('key:test', { provider: 'seedance' })).toMatchObject({ ok: false, code: 'KEY_ORIGIN_MISMATCH' })
    expect(engine.connection).toMatchObject({ target: 'sandbox', reasonCode: 'KEY_ORIGIN_MISMATCH' })
    expect(stolen).toEqual([])
    // A key typed for the new address is the user's choice, and from then on bound there.
    await call('key:set', { provider: 'seedance', key: 'sk_other_service_0001' })
    expect(engine.connection.target).toBe('cloud')
    await call('key:test', { provider: 'seedance' })
    expect(stolen).toEqual(['Bearer sk_other_service_0001'])
  })

  it('confirmed in main’s dialog, the key follows the new origin', async () => {
    await call('key:set', { provider: 'seedance', key: KEY })
    answer = 'move'
    await call('settings:update', { baseUrls: { seedance: attackerUrl } })
    expect(await call('key:test', { provider: 'seedance' })).toMatchObject({ ok: true })
    expect(stolen).toEqual([`Bearer ${KEY}`])
  })

  it('without a dialog to ask (the browser harness), a changed origin never takes the key along', async () => {
    await engine.close()
    await dirs.cleanup()
    await setup(false)
    await call('key:set', { provider: 'seedance', key: KEY })
    await call('settings:update', { baseUrls: { seedance: attackerUrl } })
    expect(await call('key:test', { provider: 'seedance' })).toMatchObject({ ok: false, code: 'KEY_ORIGIN_MISMATCH' })
    expect(stolen).toEqual([])
  })

  it('the engine enforces it without IPC: a settings change straight to the engine sends nothing', async () => {
    await call('key:set', { provider: 'seedance', key: KEY })
    await engine.updateSettings({ baseUrls: { seedance: attackerUrl } })
    expect(await engine.testKey('seedance')).toMatchObject({ ok: false, code: 'KEY_ORIGIN_MISMATCH' })
    await engine.reconnect()
    expect(engine.connection.target).toBe('sandbox')
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
    await restart(true, { keyOrigins: { seedance: cloudOrigin() } })
    expect(engine.connection.target).toBe('cloud')
    answer = 'cancel'
    await expect(
      call('settings:update', { baseUrls: { seedance: attackerUrl }, provider: 'seedance' }),
    ).rejects.toMatchObject({
      code: 'KEY_ORIGIN_NOT_CONFIRMED',
    })
    expect(asked).toEqual([{ provider: 'seedance', from: cloudOrigin(), to: new URL(attackerUrl).origin }])
    await call('key:test', { provider: 'seedance' })
    expect(stolen).toEqual([])
  })

  it('without a dialog to ask, a changed origin never takes the environment key along', async () => {
    await restart(false, { keyOrigins: { seedance: cloudOrigin() } })
    await call('settings:update', { baseUrls: { seedance: attackerUrl }, provider: 'seedance' })
    expect(await call('key:test', { provider: 'seedance' })).toMatchObject({ ok: false, code: 'KEY_ORIGIN_MISMATCH' })
    expect(engine.connection).toMatchObject({ target: 'sandbox', reasonCode: 'KEY_ORIGIN_MISMATCH' })
    expect(engine.connection.reason).toContain('SEEDANCE_API_KEY')
    expect(stolen).toEqual([])
  })

  it('confirmed in main’s dialog, it follows the new origin', async () => {
    await restart(true, { keyOrigins: { seedance: cloudOrigin() } })
    answer = 'move'
    await call('settings:update', { baseUrls: { seedance: attackerUrl } })
    expect(await call('key:test', { provider: 'seedance' })).toMatchObject({ ok: true })
    expect(stolen).toEqual([`Bearer ${KEY}`])
  })

  it('bound to nothing yet, it goes only to the guide’s API’s own address', async () => {
    await restart(false, { baseUrls: { seedance: attackerUrl } })
    expect(engine.connection).toMatchObject({ target: 'sandbox', reasonCode: 'KEY_ORIGIN_MISMATCH' })
    expect(await call('key:test', { provider: 'seedance' })).toMatchObject({ ok: false, code: 'KEY_ORIGIN_MISMATCH' })
    expect(stolen).toEqual([])
  })
})

describe('each provider’s key is bound on its own (issue 10, point 4)', () => {
  it('moving one door’s address asks for that door’s key only, and leaves the others where they were', async () => {
    await call('key:set', { provider: 'seedance', key: KEY })
    await call('key:set', { provider: 'fal', key: 'fal-key-abcd0042' })
    const falOrigin = new URL(engine.settings.baseUrls.fal ?? 'https://queue.fal.run').origin
    expect(JSON.parse(await readFile(dirs.paths.settingsFile, 'utf8')).keyOrigins).toEqual({
      seedance: new URL(cloud.baseUrl).origin,
      fal: falOrigin,
    })
    answer = 'keep'
    await call('settings:update', { baseUrls: { fal: attackerUrl } })
    expect(asked).toEqual([{ provider: 'fal', from: falOrigin, to: new URL(attackerUrl).origin }])
    expect(await call('key:test', { provider: 'fal' })).toMatchObject({ ok: false, code: 'KEY_ORIGIN_MISMATCH' })
    // The guide's key still goes where it was saved for.
    expect(await call('key:test', { provider: 'seedance' })).toMatchObject({ ok: true })
    expect(stolen).toEqual([])
  })

  it('switching Ark’s region asks before its key goes to the other region', async () => {
    await call('key:set', { provider: 'ark', key: 'ark-key-abcd0042' })
    answer = 'cancel'
    await expect(call('settings:update', { arkRegion: 'cn-beijing' })).rejects.toMatchObject({
      code: 'KEY_ORIGIN_NOT_CONFIRMED',
      message: expect.stringContaining('BytePlus ModelArk'),
    })
    expect(asked).toEqual([
      { provider: 'ark', from: 'https://ark.ap-southeast.bytepluses.com', to: 'https://ark.cn-beijing.volces.com' },
    ])
    expect(engine.settings.arkRegion).toBe('ap-southeast')
    answer = 'keep'
    await call('settings:update', { arkRegion: 'cn-beijing' })
    const ark = (await call<ProviderStatus[]>('providers:list')).find((p) => p.id === 'ark')
    expect(ark).toMatchObject({
      baseUrl: 'https://ark.cn-beijing.volces.com/api/v3',
      target: 'sandbox',
      reasonCode: 'KEY_ORIGIN_MISMATCH',
    })
  })

  it('an environment key is bound to its own provider’s address only', async () => {
    await engine.close()
    await dirs.cleanup()
    await setup(true, { FAL_KEY: 'fal-env-key-0042' })
    const list = await call<ProviderStatus[]>('providers:list')
    expect(list.find((p) => p.id === 'fal')).toMatchObject({
      key: { hasKey: true, last4: '0042', source: 'environment' },
      target: 'cloud',
    })
    for (const other of ['seedance', 'ark', 'replicate'])
      expect(list.find((p) => p.id === other)).toMatchObject({ key: { hasKey: false }, target: 'sandbox' })
    // Never a key in what the renderer receives.
    expect(JSON.stringify(list)).not.toContain('fal-env-key')
  })
})
