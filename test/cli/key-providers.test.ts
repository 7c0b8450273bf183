// `seedance key set|clear|status` per provider (issue 10, point 4): the provider comes from --provider or
// SEEDANCE_PROVIDER (default: the guide's API); each key is stored under its own entry and bound to that provider's
// address; each provider's own variable is reported for it alone.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { EXIT } from '../../electron/cli/exit-codes'
import { memoryBackend, runMain } from './run-main'

let dataDir = ''
afterEach(() => rm(dataDir, { recursive: true, force: true }))

describe('seedance key, per provider', () => {
  it('stores a key under its provider’s entry, bound to that provider’s address', async () => {
    const backend = memoryBackend()
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'key-providers-'))
    const env = { SEEDANCE_PROVIDER: 'ark', SEEDANCE_DATA_DIR: dataDir }
    const set = await runMain(['key', 'set'], { env, backend, stdin: 'ark-live-key-0042\n' })
    expect(set).toMatchObject({ code: EXIT.ok })
    expect(set.stdout).toBe(
      'Saved the BytePlus ModelArk key ending in …0042 to the system keychain, for https://ark.ap-southeast.bytepluses.com only.\n',
    )
    expect(await backend.getPassword(`Seedance Studio CLI test ${process.pid}`, 'ark')).toBe('ark-live-key-0042')
    expect(await backend.getPassword(`Seedance Studio CLI test ${process.pid}`, 'seedance')).toBeNull()
    const file = JSON.parse(await readFile(path.join(dataDir, 'config.json'), 'utf8'))
    expect(file.keyOrigins).toEqual({ ark: 'https://ark.ap-southeast.bytepluses.com' })
    // ARK_BASE_URL binds it to that address instead.
    await runMain(['key', 'set'], {
      env: { ...env, ARK_BASE_URL: 'http://127.0.0.1:9/ark/api/v3' },
      backend,
      stdin: 'ark-live-key-0043',
    })
    expect(JSON.parse(await readFile(path.join(dataDir, 'config.json'), 'utf8')).keyOrigins).toEqual({
      ark: 'http://127.0.0.1:9',
    })
    expect((await runMain(['key', 'status'], { env, backend })).stdout).toBe(
      'A BytePlus ModelArk key ending in …0043 is set (in the system keychain).\n',
    )
    expect((await runMain(['key', 'clear'], { env, backend })).stdout).toBe(
      'Removed the BytePlus ModelArk key from the system keychain.\n',
    )
  })

  it('reports each provider’s own variable for it alone', async () => {
    const backend = memoryBackend()
    const fal = await runMain(['key', 'status'], {
      env: { SEEDANCE_PROVIDER: 'fal', FAL_KEY: 'fal-env-key-7777' },
      backend,
    })
    expect(fal.stdout).toBe('A fal.ai key ending in …7777 is set (from FAL_KEY).\n')
    const ark = await runMain(['key', 'status'], {
      env: { SEEDANCE_PROVIDER: 'ark', FAL_KEY: 'fal-env-key-7777' },
      backend,
    })
    expect(ark.stdout).toBe('No BytePlus ModelArk key is set; its jobs go to the built-in Sandbox.\n')
  })

  it('refuses an unknown provider, naming the known ones', async () => {
    const r = await runMain(['key', 'status'], { env: { SEEDANCE_PROVIDER: 'mars' }, backend: memoryBackend() })
    expect(r.code).toBe(EXIT.usage)
    expect(r.stderr).toContain('Unknown provider "mars": use one of seedance, ark, fal, replicate.')
  })
})
