// BRIDGE (issue 10, until the route-based job manager and the registry land): today's job manager still takes
// one SeedanceClient for the guide's door, and a key test of the guide's door without a registered adapter uses the
// same client. Everything here goes once `route` feeds the job manager and PROVIDER_FACTORIES has `seedance`.
import type { KeyTestResult } from '../../shared/contract'
import { serviceOrigin } from '../../shared/service-url'
import { EngineError } from '../engine-error'
import { ClientRateLimiter } from '../providers/rate-limiter'
import { DEFAULT_REQUESTS_PER_MINUTE, realClock, SeedanceClient } from '../providers/seedance/client'
import type { Logger } from '../util/logger'
import type { Doors } from './doors'

export interface LegacyEndpoint {
  apiKey: string
  baseUrl: string
  keyOrigin: string
}

export function legacyClient(
  endpoint: LegacyEndpoint,
  o: { fetch?: typeof fetch; rateWindowMs?: number; logger: Logger },
): SeedanceClient {
  return new SeedanceClient({
    ...endpoint,
    fetch: o.fetch,
    limiter: new ClientRateLimiter(DEFAULT_REQUESTS_PER_MINUTE, realClock, o.rateWindowMs ?? 60_000),
    onEvent: (e) =>
      o.logger.info(`api ${e.type} ${e.method} ${e.path}`, {
        status: e.status,
        code: e.code,
        attempt: e.attempt,
        delayMs: e.delayMs,
        ms: e.durationMs,
      }),
  })
}

/** One authenticated call, no retries: what the service says about the key, with its rate-limit figures. */
export async function legacyKeyTest(endpoint: LegacyEndpoint, fetchImpl?: typeof fetch): Promise<KeyTestResult> {
  const probe = new SeedanceClient({
    ...endpoint,
    fetch: fetchImpl,
    limiter: new ClientRateLimiter(DEFAULT_REQUESTS_PER_MINUTE, realClock),
    retry: { maxAttempts: 1, max429Waits: 0 },
  })
  try {
    await probe.listJobs({ limit: 1 })
    const rate = probe.rateLimit()
    return { ok: true, limit: rate?.limit ?? null, remaining: rate?.remaining ?? null, resetAt: rate?.resetAt ?? null }
  } catch (error) {
    const e = error as { code?: string; message: string }
    return { ok: false, code: e.code ?? 'INTERNAL_ERROR', message: e.message }
  }
}

/** The client for the guide's door as it stands: its service with its key, else the Sandbox's emulation of it. */
export function legacyClientFor(
  doors: Doors,
  o: { fetch?: typeof fetch; rateWindowMs?: number; logger: Logger },
): SeedanceClient {
  const door = doors.door('seedance')
  const at = door.target === 'cloud' ? door.cloud : null
  const emulated = doors.sandbox()?.seedance
  const endpoint = at
    ? { apiKey: at.apiKey, baseUrl: at.baseUrl, keyOrigin: at.origin }
    : emulated
      ? { apiKey: emulated.apiKey, baseUrl: emulated.baseUrl, keyOrigin: serviceOrigin(emulated.baseUrl) }
      : null
  if (!endpoint)
    throw new EngineError('SANDBOX_UNAVAILABLE', 'The built-in Sandbox is not running, and no Seedance API key is set.')
  return legacyClient(endpoint, o)
}
