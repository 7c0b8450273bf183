import { describe, expect, it, vi } from 'vitest'
import { type BridgeTransport, createBridge } from '../../electron/shared/bridge'
import type { EventChannel } from '../../electron/shared/contract'

function transport(overrides: Partial<BridgeTransport> = {}): BridgeTransport {
  return {
    invoke: vi.fn(async () => ({ ok: true, data: 'pong' })),
    subscribe: vi.fn(() => () => {}),
    ...overrides,
  }
}

describe('createBridge', () => {
  it('forwards contract channels to the transport and returns its result', async () => {
    const t = transport()
    const bridge = createBridge(t)
    await expect(bridge.invoke('app:info', undefined)).resolves.toEqual({ ok: true, data: 'pong' })
    expect(t.invoke).toHaveBeenCalledWith('app:info', undefined)
  })

  it('refuses a channel outside the contract without touching the transport', async () => {
    const t = transport()
    const bridge = createBridge(t)
    // A compromised renderer can call with any string; the type system is no defence at run time.
    const result = await bridge.invoke('fs:readFile' as 'app:info', undefined)
    expect(result).toEqual({
      ok: false,
      error: { code: 'IPC_UNKNOWN_CHANNEL', message: 'Unknown channel: fs:readFile' },
    })
    expect(t.invoke).not.toHaveBeenCalled()
  })

  it('refuses to subscribe to an event channel outside the contract', () => {
    const t = transport()
    const bridge = createBridge(t)
    expect(() => bridge.on('ipc:anything' as EventChannel, () => {})).toThrow(/Unknown event channel/)
    expect(t.subscribe).not.toHaveBeenCalled()
  })

  it('is frozen, so page scripts cannot swap its methods', () => {
    const bridge = createBridge(transport())
    expect(Object.isFrozen(bridge)).toBe(true)
  })
})
