// Issue 9, point 12, at the engine: a keychain that cannot be read never blocks the Sandbox, in the CLI's mode
// ('auto') and the app's ('setting' with Seedance Cloud chosen); the reason says why.
import { afterEach, describe, expect, it } from 'vitest'
import { Keychain } from '../../electron/core/secrets/keychain'
import { lockedBackend } from '../fakes/keychain'
import { type TestDirs, testDirs } from './jobs/engine-helpers'
import { openEngineOnSandbox } from './sandbox-engine'

let dirs: TestDirs | null = null
afterEach(async () => {
  await dirs?.cleanup()
  dirs = null
})

describe('openEngine with a keychain that cannot be read', () => {
  it.each([
    ['auto' as const, {}],
    ['setting' as const, { provider: 'seedance' as const }],
  ])('mode %s: starts on the built-in Sandbox and says why', async (sandbox, settingsOverride) => {
    dirs = await testDirs()
    const engine = await openEngineOnSandbox({
      paths: dirs.paths,
      role: 'cli',
      sandbox,
      settingsOverride,
      keychain: new Keychain({ backend: lockedBackend(), env: {} }),
    })
    try {
      expect(engine.connection).toMatchObject({
        provider: 'seedance',
        target: 'sandbox',
        reasonCode: 'KEYCHAIN_UNAVAILABLE',
      })
      expect(engine.connection.reason).toMatch(
        /^The system keychain is not available \(Couldn't access platform storage: AccessDenied\)/,
      )
      expect(engine.connection.reason).toContain('go to the built-in Sandbox')
    } finally {
      await engine.close()
    }
  })
})
