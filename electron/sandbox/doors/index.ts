// The doors the Sandbox emulates besides the guide's API (which server.ts serves at /v1): one module each.
import type { Door } from './door'
import { replicateDoor } from './replicate'

export const DOORS: readonly Door[] = [replicateDoor]
