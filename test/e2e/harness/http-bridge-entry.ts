// Browser side of the preview (`npm run ui`): builds window.seedance with the same bridge factory the preload
// uses, over plain HTTP to the preview server (POST /__bridge/invoke; events from GET /__bridge/events as
// server-sent events), so any browser shows the app. Bundled and served by preview.ts as a classic script the
// page loads before its own module (CSP: script-src and connect-src 'self').
import { type BridgeTransport, createBridge } from '../../../electron/shared/bridge'
import { decodeWire, encodeWire } from './wire'

type Listener = (payload: unknown) => void
const listeners = new Map<string, Set<Listener>>()

const events = new EventSource('/__bridge/events')
events.onmessage = (e: MessageEvent<string>) => {
  const { channel, payload } = decodeWire(e.data) as { channel: string; payload: unknown }
  for (const l of listeners.get(channel) ?? []) l(payload)
}

const transport: BridgeTransport = {
  async invoke(channel, payload) {
    const response = await fetch('/__bridge/invoke', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: encodeWire({ channel, payload }),
    })
    return decodeWire(await response.text())
  },
  subscribe(channel, listener) {
    const set = listeners.get(channel) ?? new Set<Listener>()
    set.add(listener)
    listeners.set(channel, set)
    return () => {
      set.delete(listener)
    }
  },
}

Object.defineProperty(window, 'seedance', { value: createBridge(transport), enumerable: true })
