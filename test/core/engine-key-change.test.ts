// Changing or removing a provider's API key while its jobs are out at its service (issue 9 review): refused with
// JOBS_ACTIVE before the keychain is touched, so the key in use stays the one the jobs are followed with; once they
// have finished (or are cancelled) the change goes through and the engine reconnects at once. Another provider's
// key is never blocked by them (issue 10: each job is followed through its own door).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Engine } from '../../electron/core/engine'
import { Keychain, type KeytarLike } from '../../electron/core/secrets/keychain'
import { type Sandbox, startSandbox } from '../../electron/sandbox/server'
import { type TestDirs, testDirs, until } from './jobs/engine-helpers'
import { openEngineOnSandbox } from './sandbox-engine'

const KEY = 'sk_live_cloud_key_5678'

function memoryKeytar(): KeytarLike & { entries: Map<string, string> } {
  const entries = new Map<string, string>()
  return {
    entries,
    getPassword: async (s, a) => entries.get(`${s}/${a}`) ?? null,
    setPassword: async (s, a, p) => void entries.set(`${s}/${a}`, p),
    deletePassword: async (s, a) => entries.delete(`${s}/${a}`),
  }
}

let cloud: Sandbox
let dirs: TestDirs
let engine: Engine
let keytar: ReturnType<typeof memoryKeytar>
beforeEach(async () => {
  // A job stays at the service for an hour: only the test's cancel ends it. A service of its own per test, so no
  // job of an earlier test counts against its concurrency.
  cloud = await startSandbox({ apiKey: KEY, genSeconds: { min: 3600, max: 3600 } })
  dirs = await testDirs()
  keytar = memoryKeytar()
  engine = await openEngineOnSandbox({
    paths: dirs.paths,
    role: 'app',
    sandbox: 'setting',
    keychain: new Keychain({ backend: keytar, env: {} }),
    settingsOverride: { provider: 'seedance', baseUrls: { seedance: cloud.baseUrl } },
  })
  await engine.setKey('seedance', KEY)
  expect(engine.connection).toMatchObject({ provider: 'seedance', target: 'cloud' })
})
afterEach(async () => {
  await engine.close()
  await cloud.close()
  await dirs.cleanup()
})

async function jobAtTheService(): Promise<string> {
  const outcome = await engine.submit({ prompt: 'harbor at dusk, slow pan', duration: 2 })
  const id = (outcome as { job: { id: string } }).job.id
  await until(() => ['queued', 'processing'].includes(engine.jobs.get(id)?.state ?? ''), 30_000, 'the job sent')
  return id
}

describe('the API key while jobs are out at the service', () => {
  it.each([
    ['removed', () => engine.removeKey('seedance')],
    ['changed', () => engine.setKey('seedance', 'sk_live_other_key_0001')],
  ])('cannot be %s: JOBS_ACTIVE, the key and the connection unchanged', async (verb, change) => {
    await jobAtTheService()
    await expect(change()).rejects.toMatchObject({
      code: 'JOBS_ACTIVE',
      message: expect.stringContaining(`The Seedance API key cannot be ${verb} while 1 of its job is running`),
    })
    expect([...keytar.entries.values()]).toEqual([KEY])
    expect(engine.connection).toMatchObject({ provider: 'seedance', target: 'cloud' })
  })

  it('never blocks another provider’s key', async () => {
    await jobAtTheService()
    expect(await engine.setKey('fal', 'fal-key-abcd0042')).toMatchObject({ hasKey: true, last4: '0042' })
    expect(keytar.entries.get('Seedance Studio/fal')).toBe('fal-key-abcd0042')
    expect(await engine.removeKey('fal')).toEqual({ hasKey: false, last4: null, source: null })
  })

  it('is removed once they have finished, and the engine reconnects at once', async () => {
    const id = await jobAtTheService()
    await engine.jobs.cancel(id)
    await until(() => engine.jobs.get(id)?.state === 'cancelled', 30_000, 'the job cancelled')
    expect(await engine.removeKey('seedance')).toEqual({ hasKey: false, last4: null, source: null })
    expect(keytar.entries.size).toBe(0)
    expect(engine.connection).toMatchObject({ provider: 'seedance', target: 'sandbox' })
  })
})
