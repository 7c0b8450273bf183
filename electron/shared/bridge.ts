// The bridge factory: one implementation of `window.seedance` over an abstract transport, used by the
// real preload (ipcRenderer) and by the browser test harness (a Playwright binding). It forwards only
// the contract's channels; anything else is refused before it reaches the transport.
import { isEventChannel, isInvokeChannel } from './channels'
import type { IpcResult, SeedanceBridge } from './contract'

export interface BridgeTransport {
  invoke(channel: string, payload: unknown): Promise<unknown>
  /** Subscribe to an event channel; returns an unsubscribe function. */
  subscribe(channel: string, listener: (payload: unknown) => void): () => void
}

export function createBridge(transport: BridgeTransport): SeedanceBridge {
  return Object.freeze({
    invoke(channel, request) {
      if (!isInvokeChannel(channel)) {
        return Promise.resolve({
          ok: false,
          error: { code: 'IPC_UNKNOWN_CHANNEL', message: `Unknown channel: ${String(channel)}` },
        } as const)
      }
      // biome-ignore lint/suspicious/noExplicitAny: the transport is untyped; the contract types the result.
      return transport.invoke(channel, request) as Promise<IpcResult<any>>
    },
    on(channel, listener) {
      if (!isEventChannel(channel)) throw new Error(`Unknown event channel: ${String(channel)}`)
      // Wrap so the caller's function is never handed to the transport (and the event object never to the caller).
      return transport.subscribe(channel, (payload) => listener(payload as never))
    },
  } satisfies SeedanceBridge)
}
