// A door: the Sandbox's emulation of one service's wire format (issue 10, point 5), mounted at a path prefix of its
// own on the Sandbox's one port. Each door owns its auth scheme, request fields, status names, error shapes, rate and
// concurrency behaviour and link lifetime; every door renders through the one job store (real H.264 at the model's
// sizes) and keeps the Sandbox's fault injection. The guide's API stays at /v1 (server.ts).
import type http from 'node:http'
import type { ProviderId } from '../../shared/providers'
import type { JobStore, SandboxJob } from '../jobs'
import type { SandboxOptions } from '../options'
import type { OutboundPolicy } from '../outbound'
import { FixedWindowLimiter } from '../rate-limit'

export type Json = Record<string, unknown> | unknown[]

export interface DoorAnswer {
  /** 0: the connection was dropped on purpose (an injected fault); nothing is sent. */
  status: number
  body?: Json
  headers?: Record<string, string>
}

export interface DoorContext {
  options: SandboxOptions
  now(): number
  random(): number
  jobs: JobStore
  /** Fetches made for a client (image URLs) reach public addresses only, unless allowed for tests. */
  policy: OutboundPolicy
  /** The request's JSON body (at most the Sandbox's body limit; 413 past it), or undefined when empty. */
  readBody(req: http.IncomingMessage): Promise<unknown>
  /** Signed links to a finished job's files, valid for `ttlSeconds` (capped by the Sandbox's retention). */
  fileUrls(
    job: SandboxJob,
    ttlSeconds: number,
  ): { video: string; thumbnail: string; lastFrame: string; expiresAt: number }
  /** A fixed-window limiter on the Sandbox's clock (its window is the Sandbox's rateWindowSeconds). */
  limiter(perWindow: number): FixedWindowLimiter
  /** Take credits from the Sandbox account; false (nothing taken) when too few remain. */
  spend(amount: number): boolean
  /** Fault injection: true when this request should be answered "unavailable" (faults.unavailableRate). */
  unavailable(): boolean
  /** Fault injection: true when a create should drop its connection after the job exists (faults.dropAfterCreateRate). */
  dropAfterCreate(): boolean
  log(line: string): void
}

export interface Door {
  id: ProviderId
  /** Path prefix, e.g. '/ark/api/v3'. */
  prefix: string
  /**
   * Answer one request under the prefix (`route` is the path after it, with a leading '/'). Throwing is a bug
   * (answered 500 in the guide's shape); a door answers its own errors in its service's shape.
   */
  handle(ctx: DoorContext, req: http.IncomingMessage, method: string, route: string, url: URL): Promise<DoorAnswer>
}

export function makeLimiterFactory(options: SandboxOptions): (perWindow: number) => FixedWindowLimiter {
  return (perWindow) => new FixedWindowLimiter(perWindow, options.now, options.rateWindowSeconds * 1000)
}

/** Where each door lives on the Sandbox's port (its base URL = origin + this). */
export const DOOR_PATHS: Record<ProviderId, string> = {
  seedance: '/v1',
  ark: '/ark/api/v3',
  fal: '/fal',
  replicate: '/replicate/v1',
}
