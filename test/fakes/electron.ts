// Small hand-written stand-ins for the Electron objects the shell's services take as arguments
// (Signal's style: pass the object in, never mock electron globally).
import type { InvokeEventLike, IpcMainLike } from '../../electron/main/ipc'

type Listener = (...args: unknown[]) => unknown

export class FakeEmitter {
  readonly listeners = new Map<string, Listener[]>()
  on(event: string, listener: Listener): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener])
    return this
  }
  once(event: string, listener: Listener): this {
    return this.on(event, listener)
  }
  emit(event: string, ...args: unknown[]): unknown[] {
    return (this.listeners.get(event) ?? []).map((l) => l(...args))
  }
}

/** A navigation-style event whose preventDefault we can observe. */
export function fakeEvent(): { preventDefault(): void; defaultPrevented: boolean } {
  const e = {
    defaultPrevented: false,
    preventDefault() {
      e.defaultPrevented = true
    },
  }
  return e
}

export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: InvokeEventLike, payload: unknown) => Promise<unknown>>()
  handle(channel: string, listener: (event: InvokeEventLike, payload: unknown) => Promise<unknown>): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
    this.handlers.set(channel, listener)
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel)
  }
  invoke(channel: string, payload: unknown, sender: InvokeEventLike): Promise<unknown> {
    const h = this.handlers.get(channel)
    if (!h) return Promise.reject(new Error(`No handler registered for '${channel}'`))
    return h(sender, payload)
  }
}

export const mainFrame = (url: string): InvokeEventLike => ({ senderFrame: { url, parent: null } })
export const subFrame = (url: string): InvokeEventLike => ({ senderFrame: { url, parent: {} } })
