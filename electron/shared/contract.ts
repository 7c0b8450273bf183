// The one typed IPC contract: for every channel its request schema, and the request, response and
// event types derived from it. Main validates every request against these schemas; the renderer
// imports only the types (and the bridge its channel names from channels.ts).
import { z } from 'zod'
import type { EventChannel, InvokeChannel } from './channels'
import type { AppErrorShape, AppInfo } from './model'

export type { EventChannel, InvokeChannel } from './channels'
export { EVENT_CHANNELS, INVOKE_CHANNELS, isEventChannel, isInvokeChannel } from './channels'

/** Request schemas, one per invoke channel. `z.undefined()` means the channel takes no payload. */
export const requestSchemas = {
  'app:info': z.undefined(),
} satisfies Record<InvokeChannel, z.ZodType>

interface ResponseTypes {
  'app:info': AppInfo
}

// Event payloads pushed from main to the renderer, keyed by channel.
type EventTypes = Record<EventChannel, never>

export type InvokeRequest<C extends InvokeChannel> = z.input<(typeof requestSchemas)[C]>
export type InvokeResponse<C extends InvokeChannel> = ResponseTypes[C]
export type EventPayload<E extends EventChannel> = EventTypes[E]

/** What every invoke resolves to: Electron forwards only `message` from thrown errors, so errors travel as data. */
export type IpcResult<T> = { ok: true; data: T } | { ok: false; error: AppErrorShape }

/** Stable error codes produced by the IPC layer itself (handlers add their own). */
export const IPC_ERROR = {
  unknownChannel: 'IPC_UNKNOWN_CHANNEL',
  untrustedSender: 'IPC_UNTRUSTED_SENDER',
  invalidPayload: 'IPC_INVALID_PAYLOAD',
  internal: 'INTERNAL_ERROR',
} as const

/** The surface exposed on `window.seedance`, built by createBridge (bridge.ts). */
export interface SeedanceBridge {
  invoke<C extends InvokeChannel>(channel: C, request: InvokeRequest<C>): Promise<IpcResult<InvokeResponse<C>>>
  on<E extends EventChannel>(channel: E, listener: (payload: EventPayload<E>) => void): () => void
}
