// One function registers every IPC handler. It refuses channels outside the contract, senders that are
// not the app's own top-level frame, and payloads that fail the channel's schema, and it always answers
// with an IpcResult so error codes survive the trip (Electron forwards only `message` from a throw).
import type { z } from 'zod'
import {
  type InvokeChannel,
  type InvokeResponse,
  IPC_ERROR,
  type IpcResult,
  isInvokeChannel,
  requestSchemas,
} from '../shared/contract'

/** The part of an IpcMainInvokeEvent we rely on: who sent it. */
export interface InvokeEventLike {
  senderFrame: { url: string; parent: unknown } | null
}

/** The part of Electron's ipcMain we use; the browser harness passes its own. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, payload: unknown) => Promise<unknown>): void
  removeHandler(channel: string): void
}

export type HandlerTable = {
  [C in InvokeChannel]: (
    request: z.output<(typeof requestSchemas)[C]>,
  ) => InvokeResponse<C> | Promise<InvokeResponse<C>>
}

export type SenderPolicy = (event: InvokeEventLike) => boolean

/** Scheme + host of a URL, which (unlike URL.origin) is meaningful for custom schemes such as app://. */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}`
  } catch {
    return null
  }
}

/** Trust only the main frame of a page whose origin is one of the app's own. */
export function createSenderPolicy(allowedOrigins: readonly string[]): SenderPolicy {
  const allowed = new Set(allowedOrigins.map((o) => originOf(o)).filter((o): o is string => o !== null))
  return (event) => {
    const frame = event.senderFrame
    if (!frame || frame.parent !== null) return false
    const origin = originOf(frame.url)
    return origin !== null && allowed.has(origin)
  }
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code) ? code : IPC_ERROR.internal
}

function fail(code: string, message: string): IpcResult<never> {
  return { ok: false, error: { code, message } }
}

/** Run one request through the checks and its handler. Exported for the harness and tests. */
export async function dispatch(
  table: HandlerTable,
  isTrusted: SenderPolicy,
  channel: string,
  event: InvokeEventLike,
  payload: unknown,
): Promise<IpcResult<unknown>> {
  if (!isInvokeChannel(channel)) return fail(IPC_ERROR.unknownChannel, `Unknown channel: ${channel}`)
  if (!isTrusted(event)) return fail(IPC_ERROR.untrustedSender, `Refused ${channel} from an untrusted sender`)
  const parsed = requestSchemas[channel].safeParse(payload)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : ''
    return fail(IPC_ERROR.invalidPayload, `Invalid request for ${channel}${where}: ${issue?.message ?? 'rejected'}`)
  }
  try {
    const handler = table[channel] as (request: unknown) => unknown
    return { ok: true, data: await handler(parsed.data) }
  } catch (error) {
    return fail(errorCode(error), error instanceof Error ? error.message : String(error))
  }
}

/** Register every channel of the contract on ipcMain; returns a function that removes them again. */
export function registerHandlers(ipc: IpcMainLike, table: HandlerTable, isTrusted: SenderPolicy): () => void {
  const channels = Object.keys(requestSchemas) as InvokeChannel[]
  for (const channel of channels) {
    ipc.handle(channel, (event, payload) => dispatch(table, isTrusted, channel, event, payload))
  }
  return () => {
    for (const channel of channels) ipc.removeHandler(channel)
  }
}
