// The engine over its doors (issue 10, points 3, 4 and 7), opened with a fake Sandbox endpoints object and fake
// adapters: it imports no Sandbox, starts it only through the starter it is given, picks the default door by the
// keys it finds (each provider's own variable only), routes jobs per door, and lets the default change under
// running jobs while refusing to move a door's address under them.
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Engine, type EngineOptions, openEngine } from '../../electron/core/engine'
import type { ProviderConfig, ProviderFactory, VideoProvider } from '../../electron/core/providers/port'
import { Keychain, type KeytarLike } from '../../electron/core/secrets/keychain'
import { PROVIDER_IDS, type ProviderId } from '../../electron/shared/providers'
import { job } from '../fixtures/records'
import { type TestDirs, testDirs } from './jobs/engine-helpers'

const SANDBOX = 'http://127.0.0.1:4100'
const doors = {
  seedance: { baseUrl: `${SANDBOX}/v1`, apiKey: 'sandbox-key' },
  ark: { baseUrl: `${SANDBOX}/ark/api/v3`, apiKey: 'sandbox-key' },
  fal: { baseUrl: `${SANDBOX}/fal`, apiKey: 'sandbox-key' },
  replicate: { baseUrl: `${SANDBOX}/replicate/v1`, apiKey: 'sandbox-key' },
}

function memoryKeytar(initial: Record<string, string> = {}): KeytarLike {
  const entries = new Map(Object.entries(initial))
  return {
    getPassword: async (s, a) => entries.get(`${s}/${a}`) ?? null,
    setPassword: async (s, a, p) => void entries.set(`${s}/${a}`, p),
    deletePassword: async (s, a) => entries.delete(`${s}/${a}`),
  }
}

let dirs: TestDirs
let engine: Engine | null
let starts: number
let built: Array<{ provider: ProviderId; config: ProviderConfig }>
beforeEach(async () => {
  dirs = await testDirs()
  engine = null
  starts = 0
  built = []
})
afterEach(async () => {
  await engine?.close()
  await dirs.cleanup()
})

const factories = Object.fromEntries(
  PROVIDER_IDS.map((p): [ProviderId, ProviderFactory] => [
    p,
    (config) => {
      built.push({ provider: p, config })
      return { id: p, baseUrl: config.baseUrl } as unknown as VideoProvider
    },
  ]),
)

async function open(env: Record<string, string> = {}, extra: Partial<EngineOptions> = {}, stored = {}) {
  engine = await openEngine({
    paths: dirs.paths,
    role: 'cli',
    keychain: new Keychain({ backend: memoryKeytar(stored), env }),
    sandboxDoors: async () => {
      starts += 1
      return { doors }
    },
    factories,
    resumeJobs: false,
    ...extra,
  })
  return engine
}

describe('the engine over its doors', () => {
  it('with no key: the guide’s API through the Sandbox it was handed, started once, and why', async () => {
    const e = await open()
    expect(e.connection).toEqual({
      provider: 'seedance',
      model: 'standard',
      target: 'sandbox',
      baseUrl: `${SANDBOX}/v1`,
      reason: expect.stringContaining('No Seedance API key is set (Settings, or SEEDANCE_API_KEY)'),
      reasonCode: null,
    })
    await e.providers()
    await e.reconnect()
    expect(starts).toBe(1)
  })

  it('with one key: that provider is the default, and its variable reaches it alone (a FAL_KEY never reaches Ark)', async () => {
    const e = await open({ FAL_KEY: 'fal-env-key-0042' })
    expect(e.connection).toMatchObject({ provider: 'fal', target: 'cloud', baseUrl: 'https://queue.fal.run' })
    const list = await e.providers()
    expect(list.map((p) => [p.id, p.target, p.key?.source ?? null])).toEqual([
      ['seedance', 'sandbox', null],
      ['ark', 'sandbox', null],
      ['fal', 'cloud', 'environment'],
      ['replicate', 'sandbox', null],
    ])
    // An Ark job's door is the Sandbox's, which starts when such a job is prepared (the default door is fal's cloud).
    expect(
      e.route(job({ state: 'pending', service: undefined, request: { ...job().request, provider: 'ark' } })),
    ).toEqual({
      held: expect.stringContaining('Sandbox, which is not running'),
    })
    await e.prepare({ prompt: 'a harbour at dawn', provider: 'ark' })
    expect(starts).toBe(1)
    e.route(job({ state: 'pending', service: undefined, request: { ...job().request, provider: 'ark' } }))
    e.route(job({ state: 'pending', service: undefined, request: { ...job().request, provider: 'fal' } }))
    expect(built.map((b) => [b.provider, b.config.apiKey, b.config.baseUrl])).toEqual([
      ['ark', 'sandbox-key', `${SANDBOX}/ark/api/v3`],
      ['fal', 'fal-env-key-0042', 'https://queue.fal.run'],
    ])
  })

  it('the CLI’s provider and model win over Settings; an unknown model is refused with its code', async () => {
    const e = await open({}, { provider: 'replicate', model: 'bytedance/seedance-2.0-fast' })
    expect(e.connection).toMatchObject({
      provider: 'replicate',
      model: 'bytedance/seedance-2.0-fast',
      target: 'sandbox',
    })
    // A request that names no door takes the run's door and model.
    expect(await e.prepare({ prompt: 'a harbour at dusk', duration: 5 })).toMatchObject({
      provider: 'replicate',
      model: 'bytedance/seedance-2.0-fast',
    })
    await e.close()
    engine = null
    await expect(open({}, { provider: 'ark', model: 'no-such-model' })).rejects.toMatchObject({ code: 'UNKNOWN_MODEL' })
  })

  it('--base-url for the chosen door is checked like any address', async () => {
    await expect(open({}, { provider: 'fal', baseUrl: 'http://evil.example' })).rejects.toMatchObject({
      code: 'INVALID_BASE_URL',
    })
    await expect(open({}, { baseUrls: { ark: 'file:///etc' } })).rejects.toMatchObject({
      code: 'INVALID_BASE_URL',
      message: expect.stringContaining('ARK_BASE_URL'),
    })
  })
})

describe('a stored key and an address given for this run (the CLI)', () => {
  const stored = { 'Seedance Studio/seedance': 'sk_live_stored_0001', 'Seedance Studio/ark': 'ark-stored-key-0002' }

  it('is an error for the run’s own door, naming how to bind the key there', async () => {
    await expect(open({}, { provider: 'seedance', baseUrl: 'https://proxy.example/v1' }, stored)).rejects.toMatchObject(
      {
        code: 'KEY_ORIGIN_MISMATCH',
        message: expect.stringContaining('seedance key set --provider seedance --base-url https://proxy.example/v1'),
      },
    )
  })

  it('for another door (its *_BASE_URL) sends that door to the Sandbox, saying why, and the run goes on', async () => {
    const e = await open({}, { baseUrls: { ark: 'https://ark-proxy.example/api/v3' } }, stored)
    expect(e.connection).toMatchObject({ provider: 'seedance', target: 'cloud' })
    const ark = (await e.providers()).find((p) => p.id === 'ark')
    expect(ark).toMatchObject({ target: 'sandbox', reasonCode: 'KEY_ORIGIN_MISMATCH' })
    expect(ark?.reason).toContain('not sent to https://ark-proxy.example')
  })
})

describe('changing settings under running jobs', () => {
  it('the default door, a model and the Sandbox switch change at once; the running job keeps its route', async () => {
    const running = job({ id: 'r1', state: 'processing', service: { kind: 'cloud', origin: 'https://queue.fal.run' } })
    running.request = { ...running.request, provider: 'fal', model: 'bytedance/seedance-2.0' }
    await mkdir(dirs.paths.userData, { recursive: true })
    await writeFile(path.join(dirs.paths.userData, 'journal.jsonl'), `${JSON.stringify(running)}\n`)
    const e = await open({ FAL_KEY: 'fal-env-key-0042' }, { role: 'app', sandbox: 'setting' })
    await e.updateSettings({ provider: 'seedance', sandbox: true, models: { fal: 'fal-ai/bytedance/seedance/v1/pro' } })
    expect(e.connection).toMatchObject({ provider: 'seedance', target: 'sandbox' })
    const journaled = e.jobs.get('r1')
    expect(journaled && e.route(journaled)).toMatchObject({
      service: { kind: 'cloud', origin: 'https://queue.fal.run' },
    })
    // Moving fal's address would strand it: refused for that door only, nothing changed.
    await expect(e.updateSettings({ baseUrls: { fal: 'https://fal-proxy.example' } })).rejects.toMatchObject({
      code: 'JOBS_ACTIVE',
    })
    expect(e.settings.baseUrls).toEqual({})
    await expect(e.updateSettings({ baseUrls: { replicate: 'https://r8-proxy.example/v1' } })).resolves.toMatchObject({
      baseUrls: { replicate: 'https://r8-proxy.example/v1' },
    })
    await expect(e.updateSettings({ models: { ark: 'not-a-model' } })).rejects.toMatchObject({ code: 'UNKNOWN_MODEL' })
  })
})
