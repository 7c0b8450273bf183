// The doors the Sandbox emulates besides the guide's API (which server.ts serves at /v1): one module each.
import { arkDoor } from './ark'
import type { Door } from './door'
import { falDoor } from './fal'
import { replicateDoor } from './replicate'

export const DOORS: readonly Door[] = [arkDoor, falDoor, replicateDoor]
