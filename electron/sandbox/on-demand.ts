// The built-in Sandbox as the faces hand it to the engine (issue 10, point 3): started the first time a door needs
// it, its doors' addresses and key given as plain data (the engine's SandboxEndpoints, matched structurally: the
// Sandbox never imports the engine, nor the engine the Sandbox), closed by the face that made it.
import type { ProviderId } from '../shared/providers'
import type { SandboxOptions } from './options'
import { type Sandbox, startSandbox } from './server'

export type SandboxDoors = Record<ProviderId, { baseUrl: string; apiKey: string }>

/**
 * Each door's base URL at the Sandbox: `Sandbox.doors` where the server gives it, else worked out from its origin by
 * the mount points the plan fixes (seedance /v1, ark /ark/api/v3, fal /fal, replicate /replicate/v1).
 */
export function doorsOf(sandbox: Sandbox): SandboxDoors {
  const given = (sandbox as Sandbox & { doors?: SandboxDoors }).doors
  if (given) return given
  const at = (prefix: string) => ({ baseUrl: `${sandbox.origin}${prefix}`, apiKey: sandbox.apiKey })
  return { seedance: at('/v1'), ark: at('/ark/api/v3'), fal: at('/fal'), replicate: at('/replicate/v1') }
}

export interface SandboxOnDemand {
  /** Starts the Sandbox once (later calls wait for the same start) and gives its doors. */
  start(): Promise<{ doors: SandboxDoors }>
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
        return { doors: doorsOf(await started) }
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
