// Runs against the real OS keychain. In CI that is gnome-keyring under dbus-run-session (.ci/run); where no
// keychain is reachable the real-keychain tests are skipped, except in CI, where that is a failure.
import * as keytar from '@napi-rs/keyring/keytar.js'
import { afterAll, describe, expect, it } from 'vitest'
import { KEYCHAIN_SERVICE, Keychain, KeychainError } from '../../../electron/core/secrets/keychain'
import { halfFailingBackend, refusingWritesBackend } from '../../fakes/keychain'

const SERVICE = `Seedance Studio test ${process.pid}`

async function keychainReachable(): Promise<boolean> {
  try {
    // Reading can succeed without a store behind it; writing cannot.
    await keytar.setPassword(SERVICE, 'probe', 'probe-value')
    await keytar.deletePassword(SERVICE, 'probe')
    return true
  } catch {
    return false
  }
}

const reachable = await keychainReachable()
if (!reachable && process.env.CI) throw new Error('CI must provide a Secret Service (see .ci/run)')

describe.skipIf(!reachable)('Keychain against the real Secret Service', () => {
  const keychain = new Keychain({ service: SERVICE, env: {} })
  afterAll(async () => {
    await keychain.delete('seedance').catch(() => undefined)
    await keychain.delete('ark').catch(() => undefined)
  })

  it('stores, reads, reports and deletes a key, one account per provider', async () => {
    expect(await keychain.status('seedance')).toEqual({ hasKey: false, last4: null, source: null })
    expect(await keychain.set('seedance', '  sk_live_abcdefgh1234 ')).toEqual({
      hasKey: true,
      last4: '1234',
      source: 'keychain',
    })
    expect(await keychain.get('seedance')).toBe('sk_live_abcdefgh1234')
    expect(await keychain.get('ark')).toBeNull()
    expect(await keychain.status('seedance')).toEqual({ hasKey: true, last4: '1234', source: 'keychain' })
    // Really in the OS store, under the documented service and account.
    expect(await keytar.getPassword(SERVICE, 'seedance')).toBe('sk_live_abcdefgh1234')
    expect(await keychain.delete('seedance')).toBe(true)
    expect(await keychain.get('seedance')).toBeNull()
    expect(await keychain.delete('seedance')).toBe(false)
  })

  it('keeps one entry per provider, under its id (issue 10, point 4)', async () => {
    await keychain.set('ark', 'ark-key-abcd1111')
    await keychain.set('fal', 'fal-key-abcd2222')
    expect(await keytar.getPassword(SERVICE, 'ark')).toBe('ark-key-abcd1111')
    expect(await keytar.getPassword(SERVICE, 'fal')).toBe('fal-key-abcd2222')
    expect(await keychain.get('replicate')).toBeNull()
    await keychain.delete('ark')
    expect(await keychain.get('fal')).toBe('fal-key-abcd2222')
    await keychain.delete('fal')
  })

  it('lets SEEDANCE_API_KEY override the stored key', async () => {
    await keychain.set('seedance', 'stored-key-0000')
    const withEnv = new Keychain({ service: SERVICE, env: { SEEDANCE_API_KEY: 'env-key-9999' } })
    expect(await withEnv.get('seedance')).toBe('env-key-9999')
    expect(await withEnv.status('seedance')).toEqual({ hasKey: true, last4: '9999', source: 'environment' })
  })
})

describe('Keychain without a keychain', () => {
  const broken = {
    getPassword: async () => {
      throw new Error("Couldn't access platform storage: AccessDenied")
    },
    setPassword: async () => {
      throw new Error("Couldn't access platform storage: AccessDenied")
    },
    deletePassword: async () => {
      throw new Error("Couldn't access platform storage: AccessDenied")
    },
  }

  it('says so clearly and refuses to store the key anywhere else', async () => {
    const keychain = new Keychain({ backend: broken, env: {} })
    const error = await keychain.set('seedance', 'sk_live_abcdefgh1234').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KeychainError)
    expect((error as KeychainError).code).toBe('KEYCHAIN_UNAVAILABLE')
    expect((error as Error).message).toMatch(/not available.*never in a file/s)
    expect((error as Error).message).not.toContain('sk_live')
  })

  it('still works from SEEDANCE_API_KEY', async () => {
    const keychain = new Keychain({ backend: broken, env: { SEEDANCE_API_KEY: 'env-key-1234' } })
    expect(await keychain.get('seedance')).toBe('env-key-1234')
  })

  it('rejects something that is not a key', async () => {
    const keychain = new Keychain({ backend: broken, env: {} })
    await expect(keychain.set('seedance', 'a b')).rejects.toMatchObject({ code: 'INVALID_API_KEY' })
  })
})

describe('Keychain over a store that fails half-way (issue 9, point 12)', () => {
  it('leaves nothing behind after a failed store, so reading the key still works', async () => {
    const backend = halfFailingBackend()
    const keychain = new Keychain({ backend, env: {} })
    const error = await keychain.set('seedance', 'sk_live_abcdefgh1234').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KeychainError)
    expect((error as Error).message).toContain('The key was not saved.')
    expect(backend.entries.size).toBe(0)
    expect(await keychain.get('seedance')).toBeNull()
    expect(await keychain.status('seedance')).toEqual({ hasKey: false, last4: null, source: null })
  })

  it('does not count a key as saved when it cannot be read back', async () => {
    const entries = new Map<string, string>()
    const keychain = new Keychain({
      env: {},
      backend: {
        getPassword: async () => null, // the write "succeeded" but the entry is not there
        setPassword: async (s, a, p) => void entries.set(`${s}/${a}`, p),
        deletePassword: async (s, a) => entries.delete(`${s}/${a}`),
      },
    })
    await expect(keychain.set('seedance', 'sk_live_abcdefgh1234')).rejects.toBeInstanceOf(KeychainError)
    expect(entries.size).toBe(0)
  })
})

describe('Keychain: a failed store keeps the key in use (issue 9, point 12)', () => {
  const entry = `${KEYCHAIN_SERVICE}/seedance`

  it('keeps the previous key when the keychain refuses the new one', async () => {
    const backend = refusingWritesBackend({ [entry]: 'sk_live_working0001' })
    const keychain = new Keychain({ backend, env: {} })
    const error = await keychain.set('seedance', 'sk_live_mistyped9999').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(KeychainError)
    expect((error as Error).message).toContain('The key was not saved; the previous key is kept.')
    expect(await keychain.get('seedance')).toBe('sk_live_working0001')
    expect(await keychain.status('seedance')).toEqual({ hasKey: true, last4: '0001', source: 'keychain' })
  })

  it('puts the previous key back when a failed store changed the entry', async () => {
    const backend = refusingWritesBackend({ [entry]: 'sk_live_working0001' }, { writesThenFails: true })
    const keychain = new Keychain({ backend, env: {} })
    await expect(keychain.set('seedance', 'sk_live_mistyped9999')).rejects.toBeInstanceOf(KeychainError)
    expect(backend.entries.get(entry)).toBe('sk_live_working0001')
  })

  it('leaves an entry it cannot restore readable (removed), never half-written', async () => {
    const backend = halfFailingBackend()
    backend.entries.set(entry, 'sk_live_working0001')
    const keychain = new Keychain({ backend, env: {} })
    await expect(keychain.set('seedance', 'sk_live_mistyped9999')).rejects.toBeInstanceOf(KeychainError)
    expect(await keychain.status('seedance')).toEqual({ hasKey: false, last4: null, source: null })
  })

  it('leaves no entry after a failed first store', async () => {
    const backend = refusingWritesBackend({}, { writesThenFails: true })
    const keychain = new Keychain({ backend, env: {} })
    await expect(keychain.set('seedance', 'sk_live_mistyped9999')).rejects.toBeInstanceOf(KeychainError)
    expect(backend.entries.size).toBe(0)
  })
})

/** A keychain in memory, keyed "service/account", as the OS one. */
function memoryBackend(initial: Record<string, string> = {}) {
  const entries = new Map(Object.entries(initial))
  return {
    entries,
    getPassword: async (s: string, a: string) => entries.get(`${s}/${a}`) ?? null,
    setPassword: async (s: string, a: string, p: string) => void entries.set(`${s}/${a}`, p),
    deletePassword: async (s: string, a: string) => entries.delete(`${s}/${a}`),
  }
}

describe('Keychain: each provider’s own environment variable (issue 10, point 4)', () => {
  const env = {
    SEEDANCE_API_KEY: 'seedance-env-1111',
    ARK_API_KEY: 'ark-env-2222',
    FAL_KEY: 'fal-env-3333',
    REPLICATE_API_TOKEN: 'replicate-env-4444',
  }

  it('applies each variable to its provider only', async () => {
    for (const [provider, name] of [
      ['seedance', 'SEEDANCE_API_KEY'],
      ['ark', 'ARK_API_KEY'],
      ['fal', 'FAL_KEY'],
      ['replicate', 'REPLICATE_API_TOKEN'],
    ] as const) {
      const keychain = new Keychain({ backend: memoryBackend(), env: { [name]: env[name] } })
      expect(await keychain.get(provider)).toBe(env[name])
      expect(await keychain.status(provider)).toMatchObject({ source: 'environment', last4: env[name].slice(-4) })
      expect(keychain.envName(provider)).toBe(name)
      // Every other provider sees nothing: a FAL_KEY never reaches Ark, SEEDANCE_API_KEY never reaches Replicate.
      for (const other of ['seedance', 'ark', 'fal', 'replicate'] as const) {
        if (other === provider) continue
        expect(await keychain.get(other)).toBeNull()
        expect(await keychain.status(other)).toEqual({ hasKey: false, last4: null, source: null })
      }
    }
  })

  it('lets a variable override only its own provider’s stored key', async () => {
    const backend = memoryBackend({
      'Seedance Studio/ark': 'ark-stored-5555',
      'Seedance Studio/fal': 'fal-stored-6666',
    })
    const keychain = new Keychain({ backend, env: { FAL_KEY: 'fal-env-3333' } })
    expect(await keychain.get('fal')).toBe('fal-env-3333')
    expect(await keychain.get('ark')).toBe('ark-stored-5555')
  })
})

describe('Keychain: the key saved before issue 10 (account "cloud") is the guide’s API’s', () => {
  it('reads it as seedance’s and moves it to the seedance entry', async () => {
    const backend = memoryBackend({ 'Seedance Studio/cloud': 'sk_live_oldkey0001' })
    const keychain = new Keychain({ backend, env: {} })
    expect(await keychain.status('seedance')).toEqual({ hasKey: true, last4: '0001', source: 'keychain' })
    expect(await keychain.get('seedance')).toBe('sk_live_oldkey0001')
    expect([...backend.entries.keys()]).toEqual(['Seedance Studio/seedance'])
    // No other provider takes it.
    expect(await keychain.get('ark')).toBeNull()
  })

  it('still serves the old entry when the keychain refuses the move', async () => {
    const backend = refusingWritesBackend({ 'Seedance Studio/cloud': 'sk_live_oldkey0001' })
    const keychain = new Keychain({ backend, env: {} })
    expect(await keychain.get('seedance')).toBe('sk_live_oldkey0001')
    expect(backend.entries.get('Seedance Studio/cloud')).toBe('sk_live_oldkey0001')
  })

  it('removing the seedance key removes the old entry too, so it never comes back', async () => {
    const backend = memoryBackend({ 'Seedance Studio/cloud': 'sk_live_oldkey0001' })
    const keychain = new Keychain({
      backend: refusingWritesBackend({ 'Seedance Studio/cloud': 'sk_live_oldkey0001' }),
      env: {},
    })
    expect(await keychain.delete('seedance')).toBe(true)
    expect(await keychain.get('seedance')).toBeNull()
    const other = new Keychain({ backend, env: {} })
    await other.set('seedance', 'sk_live_newkey0002')
    expect([...backend.entries.keys()]).toEqual(['Seedance Studio/seedance'])
  })
})
