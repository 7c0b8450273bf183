// The built-in Sandbox as the faces hand it to the engine (issue 10, point 3): started the first time a door needs
// it, its doors' addresses and key given as plain data (the engine's SandboxEndpoints, matched structurally: the
// Sandbox never imports the engine, nor the engine the Sandbox), closed by the face that made it.
import type { SandboxOptions } from './options'
import { type Sandbox, startSandbox } from './server'

export interface SandboxOnDemand {
  /** Starts the Sandbox once (later calls wait for the same start) and gives its doors. */
  start(): Promise<Pick<Sandbox, 'doors'>>
  /** The running Sandbox, or null when no door has needed it yet. */
  running(): Sandbox | null
  close(): Promise<void>
}

export function sandboxOnDemand(options: Partial<SandboxOptions> = {}): SandboxOnDemand {
  let started: Promise<Sandbox> | null = null
  let sandbox: Sandbox | null = null
  return {
    async start() {
      started ??= startSandbox(options).then((s) => {
        sandbox = s
        return s
      })
      try {
        return { doors: (await started).doors }
      } catch (error) {
        started = null // a failed start may be tried again
        throw error
      }
    },
    running: () => sandbox,
    async close() {
      const s = await started?.catch(() => null)
      started = null
      sandbox = null
      await s?.close()
    },
  }
}
