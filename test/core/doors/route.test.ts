// route(job) (issue 10, interface 2): a job already sent is followed where it went, whatever the default door is now;
// a job not yet sent goes where its door goes now; a job whose door cannot be reached now is held with the reason.
// Adapters are fakes recording what they were built with: no HTTP here.
import { describe, expect, it } from 'vitest'
import type { DoorState, DoorTable } from '../../../electron/core/doors/connection'
import { createRouter } from '../../../electron/core/doors/route'
import type { ProviderConfig, ProviderFactory, VideoProvider } from '../../../electron/core/providers/port'
import { PROVIDER_IDS, type ProviderId, providerInfo } from '../../../electron/shared/providers'
import { job } from '../../fixtures/records'

const SANDBOX = 'http://127.0.0.1:4100'
const sandboxDoors = {
  seedance: { baseUrl: `${SANDBOX}/v1`, apiKey: 'sandbox-key' },
  ark: { baseUrl: `${SANDBOX}/ark/api/v3`, apiKey: 'sandbox-key' },
  fal: { baseUrl: `${SANDBOX}/fal`, apiKey: 'sandbox-key' },
  replicate: { baseUrl: `${SANDBOX}/replicate/v1`, apiKey: 'sandbox-key' },
}

function door(provider: ProviderId, over: Partial<DoorState> = {}): DoorState {
  return {
    provider,
    serviceUrl: providerInfo(provider).defaultBaseUrl,
    key: { hasKey: false, last4: null, source: null },
    cloud: null,
    target: 'sandbox',
    reason: 'No key is set.',
    reasonCode: null,
    ...over,
  }
}

const keyed = (provider: ProviderId, apiKey: string, baseUrl = providerInfo(provider).defaultBaseUrl): DoorState =>
  door(provider, {
    key: { hasKey: true, last4: apiKey.slice(-4), source: 'keychain' },
    cloud: { apiKey, baseUrl, origin: new URL(baseUrl).origin },
    target: 'cloud',
    reason: null,
  })

function setup(initial: Partial<DoorTable> = {}, { sandboxRunning = true } = {}) {
  let table = Object.fromEntries(PROVIDER_IDS.map((p) => [p, initial[p] ?? door(p)])) as DoorTable
  const built: Array<{ provider: ProviderId; config: ProviderConfig }> = []
  const factory =
    (provider: ProviderId): ProviderFactory =>
    (config) => {
      built.push({ provider, config })
      return { id: provider, baseUrl: config.baseUrl } as unknown as VideoProvider
    }
  const router = createRouter({
    factories: Object.fromEntries(PROVIDER_IDS.map((p) => [p, factory(p)])),
    doors: () => table,
    sandbox: () => (sandboxRunning ? sandboxDoors : null),
    region: () => 'ap-southeast',
    config: {},
  })
  return {
    router,
    built,
    set(provider: ProviderId, state: DoorState) {
      table = { ...table, [provider]: state }
    },
  }
}

const pending = (provider: ProviderId) =>
  job({ state: 'pending', service: undefined, request: { ...job().request, provider } })
const sent = (provider: ProviderId, kind: 'cloud' | 'sandbox', origin: string) =>
  job({ state: 'processing', service: { kind, origin }, request: { ...job().request, provider } })

describe('route: a job not yet sent goes where its door goes now', () => {
  it('to the service with its own key', () => {
    const { router, built } = setup({ ark: keyed('ark', 'ark-key-0001') })
    const route = router.route(pending('ark'))
    expect(route).toMatchObject({ service: { kind: 'cloud', origin: 'https://ark.ap-southeast.bytepluses.com' } })
    expect(built).toEqual([
      {
        provider: 'ark',
        config: expect.objectContaining({
          apiKey: 'ark-key-0001',
          baseUrl: providerInfo('ark').defaultBaseUrl,
          keyOrigin: 'https://ark.ap-southeast.bytepluses.com',
          region: 'ap-southeast',
        }),
      },
    ])
  })

  it('to the Sandbox’s emulation of its door when it has no key, never with another provider’s key', () => {
    const { router, built } = setup({ ark: keyed('ark', 'ark-key-0001') })
    expect(router.route(pending('fal'))).toMatchObject({ service: { kind: 'sandbox', origin: SANDBOX } })
    expect(built).toEqual([
      {
        provider: 'fal',
        config: expect.objectContaining({ apiKey: 'sandbox-key', baseUrl: `${SANDBOX}/fal`, keyOrigin: SANDBOX }),
      },
    ])
  })

  it('is held while the Sandbox it needs is not running', () => {
    const { router } = setup({}, { sandboxRunning: false })
    expect(router.route(pending('replicate'))).toEqual({
      held: 'Waiting for the built-in Sandbox, which is not running in this session.',
    })
  })
})

describe('route: a job already sent is followed where it went (changing the default never strands it)', () => {
  it('a job back in pending (its POST refused before it reached the service) goes where its door goes now', () => {
    const { router } = setup({ seedance: keyed('seedance', 'sk_live_0001') })
    const refused = job({
      state: 'pending',
      service: { kind: 'cloud', origin: 'http://127.0.0.1:9' },
      request: { ...job().request, provider: 'seedance' },
    })
    expect(router.route(refused)).toMatchObject({ service: { kind: 'cloud', origin: 'https://api.seedance.tv' } })
    // Still being sent: the outcome is unknown, so it is followed where it went.
    expect(router.route({ ...refused, state: 'submitting' })).toEqual({
      held: expect.stringContaining('Waiting for Seedance API at http://127.0.0.1:9'),
    })
  })

  it('at the service, even after its door was switched to the Sandbox', () => {
    const { router, set } = setup({ seedance: keyed('seedance', 'sk_live_0001') })
    const running = sent('seedance', 'cloud', 'https://api.seedance.tv')
    set('seedance', { ...keyed('seedance', 'sk_live_0001'), target: 'sandbox' }) // "use the built-in Sandbox" ticked
    expect(router.route(running)).toMatchObject({ service: { kind: 'cloud', origin: 'https://api.seedance.tv' } })
    // A new job of the same door goes to the Sandbox.
    expect(router.route(pending('seedance'))).toMatchObject({ service: { kind: 'sandbox' } })
  })

  it('at the Sandbox, even after a key was added for its door', () => {
    const { router } = setup({ fal: keyed('fal', 'fal-key-0001') })
    expect(router.route(sent('fal', 'sandbox', 'http://127.0.0.1:1'))).toMatchObject({
      service: { kind: 'sandbox', origin: SANDBOX },
    })
  })

  it('is held, with the reason, when its key was removed or no longer goes to where it was sent', () => {
    const { router, set } = setup()
    const running = sent('replicate', 'cloud', 'https://api.replicate.com')
    const held = router.route(running)
    expect(held).toEqual({ held: expect.stringContaining('Waiting for Replicate at https://api.replicate.com') })
    expect((held as { held: string }).held).toContain('no Replicate key is set')
    expect((held as { held: string }).held).toContain('Nothing is sent again or given up')
    set('replicate', keyed('replicate', 'r8_key_0001', 'https://proxy.example/v1'))
    expect((router.route(running) as { held: string }).held).toContain(
      'its base URL now points at https://proxy.example',
    )
  })
})

describe('route: provider instances', () => {
  it('are built once per door, address and key, so each keeps its own rate limiter', () => {
    const { router, built, set } = setup({ ark: keyed('ark', 'ark-key-0001') })
    const first = router.route(pending('ark'))
    const again = router.route(sent('ark', 'cloud', 'https://ark.ap-southeast.bytepluses.com'))
    expect('provider' in first && 'provider' in again && first.provider === again.provider).toBe(true)
    expect(built).toHaveLength(1)
    set('ark', keyed('ark', 'ark-key-0002'))
    router.route(pending('ark'))
    expect(built.map((b) => b.config.apiKey)).toEqual(['ark-key-0001', 'ark-key-0002'])
  })

  it('a door without a registered adapter holds its jobs', () => {
    const router = createRouter({
      factories: {},
      doors: () => Object.fromEntries(PROVIDER_IDS.map((p) => [p, door(p)])) as DoorTable,
      sandbox: () => sandboxDoors,
      region: () => null,
      config: {},
    })
    expect(router.route(pending('fal'))).toEqual({ held: 'fal.ai is not available in this build.' })
  })
})
