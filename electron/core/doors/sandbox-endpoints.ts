// What the engine needs from the built-in Sandbox (issue 10, point 3): the address and key of each door's local
// emulation. The faces (main, the CLI) start the Sandbox and hand it over as this, so the engine never imports it
// (scripts/check-layers.mjs); the Sandbox's own type satisfies this one structurally.
import type { ProviderId } from '../../shared/providers'

export interface SandboxDoor {
  /** The door's base URL at the Sandbox (e.g. http://127.0.0.1:8787/ark/api/v3). */
  baseUrl: string
  apiKey: string
}

export interface SandboxEndpoints {
  doors: Record<ProviderId, SandboxDoor>
}

/**
 * Starts the Sandbox the first time a door needs it (a run whose every door has a key never starts one) and
 * answers the same endpoints after that. The face that passes it closes the Sandbox.
 */
export type SandboxStarter = () => Promise<SandboxEndpoints>
