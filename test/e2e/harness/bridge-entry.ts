// Browser side of the test harness: builds window.seedance with the same bridge factory the preload
// uses, over a Playwright binding (window.__seedanceInvoke) instead of ipcRenderer. Bundled by
// global-setup.ts and injected with page.addInitScript before any app script runs.
import { type BridgeTransport, createBridge } from '../../../electron/shared/bridge'

type Listener = (payload: unknown) => void

interface HarnessWindow {
  __seedanceInvoke(channel: string, payload: unknown): Promise<unknown>
  __seedanceHarness: { emit(channel: string, payload: unknown): number }
}

const w = window as unknown as Window & HarnessWindow
const listeners = new Map<string, Set<Listener>>()

const transport: BridgeTransport = {
  invoke: (channel, payload) => w.__seedanceInvoke(channel, payload),
  subscribe(channel, listener) {
    const set = listeners.get(channel) ?? new Set<Listener>()
    set.add(listener)
    listeners.set(channel, set)
    return () => {
      set.delete(listener)
    }
  },
}

// Main → renderer events: the Node side calls this through page.evaluate, as webContents.send would.
w.__seedanceHarness = {
  emit(channel, payload) {
    const set = listeners.get(channel)
    for (const l of set ?? []) l(payload)
    return set?.size ?? 0
  },
}
Object.defineProperty(window, 'seedance', { value: createBridge(transport), enumerable: true })
