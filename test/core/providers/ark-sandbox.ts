// The Ark adapter against the Sandbox's Ark door, on one fake clock shared by both: time only moves when a test
// (or the adapter's rate limiter, through clock.sleep) moves it. Renders are real; a test waits for one to finish
// through `until`, which polls on real time but asserts nothing about it.
import { createArkProvider } from '../../../electron/core/providers/ark/adapter'
import type { ClientEvent } from '../../../electron/core/providers/http'
import type { ProviderConfig, RemoteSnapshot, VideoProvider } from '../../../electron/core/providers/port'
import type { SandboxOptions } from '../../../electron/sandbox/options'
import { type Sandbox, startSandbox } from '../../../electron/sandbox/server'
import type { GenerationRequest } from '../../../electron/shared/model'

export interface FakeClock {
  now(): number
  advance(ms: number): void
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export function fakeClock(start = Date.parse('2026-12-01T08:00:00Z')): FakeClock {
  let t = start
  return {
    now: () => t,
    advance(ms) {
      t += ms
    },
    async sleep(ms, signal) {
      if (signal?.aborted) throw signal.reason
      t += ms
      await new Promise((r) => setImmediate(r))
    },
  }
}

export interface ArkRig {
  sandbox: Sandbox
  clock: FakeClock
  events: ClientEvent[]
  provider(overrides?: Partial<ProviderConfig>): VideoProvider
  close(): Promise<void>
}

export async function arkRig(options: Partial<SandboxOptions> = {}): Promise<ArkRig> {
  const clock = fakeClock()
  const sandbox = await startSandbox({
    genSeconds: { min: 10, max: 10 },
    renderWorkers: 2,
    allowPrivateUrls: true,
    seed: 7,
    now: () => clock.now(),
    ...options,
  })
  const events: ClientEvent[] = []
  return {
    sandbox,
    clock,
    events,
    provider: (overrides = {}) =>
      createArkProvider({
        apiKey: sandbox.apiKey,
        baseUrl: sandbox.doors.ark.baseUrl,
        keyOrigin: sandbox.origin,
        clock,
        random: () => 0.5,
        retry: { baseDelayMs: 10, maxDelayMs: 100 },
        onEvent: (e) => events.push(e),
        ...overrides,
      }),
    close: () => sandbox.close(),
  }
}

export function arkRequest(overrides: Partial<GenerationRequest> = {}): GenerationRequest {
  return {
    provider: 'ark',
    model: 'seedance-1-0-pro-250528',
    mode: 'text',
    prompt: 'a lighthouse at dusk, waves rolling in',
    duration: 2,
    resolution: '480p',
    aspectRatio: '16:9',
    style: null,
    motionIntensity: null,
    image: null,
    ...overrides,
  }
}

/** Poll `provider.get` until `done`; the fake clock is moved `stepMs` before each poll. Renders take real time. */
export async function until(
  rig: ArkRig,
  provider: VideoProvider,
  id: string,
  done: (s: RemoteSnapshot) => boolean,
  stepMs = 1000,
): Promise<RemoteSnapshot> {
  for (let i = 0; i < 600; i++) {
    const snap = (await provider.get([{ remoteId: id, model: 'x' }])).get(id)
    if (snap && done(snap)) return snap
    rig.clock.advance(stepMs)
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`task ${id} never reached the expected state`)
}
