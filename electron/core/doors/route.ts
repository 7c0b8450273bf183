// Which provider instance sends or follows a job (issue 10, interface 2 of the shared plan). A job already sent
// (its service journaled before the POST) is followed where it went, whatever the default door is now: changing the
// default never strands a running job. A job not yet sent goes where its door goes now (connection.ts). A job whose
// door cannot be reached now is held with the reason: never failed, never sent again for it.
import type { JobRecord } from '../../shared/model'
import { type ProviderId, providerInfo } from '../../shared/providers'
import { serviceOrigin } from '../../shared/service-url'
import type { JobRoute } from '../jobs/route'
import type { ProviderConfig, ProviderFactory, VideoProvider } from '../providers/port'
import type { DoorTable, SandboxDoors } from './connection'

/** The job manager's route (jobs/route.ts), as the engine builds it. */
export type Route = JobRoute

export interface RouterDeps {
  /** The adapters by door (electron/core/providers/registry.ts PROVIDER_FACTORIES; tests pass fakes). */
  factories: Partial<Record<ProviderId, ProviderFactory>>
  /** The door table now (read at every call: it changes with keys and settings). */
  doors: () => DoorTable
  /** The Sandbox's doors, once it runs; null before. */
  sandbox: () => SandboxDoors
  /** Ark's region now (its model ids' form). */
  region: () => string | null
  /** What every instance shares: fetch, clock, rate window, the log of its requests. */
  config: Omit<ProviderConfig, 'apiKey' | 'baseUrl' | 'keyOrigin' | 'region'>
}

export interface Router {
  route(job: Pick<JobRecord, 'request' | 'service' | 'state'>): Route
  /** The instance for a door at an endpoint (key tests, imports); built once per door, address, key and region. */
  instance(provider: ProviderId, endpoint: { baseUrl: string; apiKey: string; keyOrigin: string }): VideoProvider
}

export function createRouter(deps: RouterDeps): Router {
  // One instance per door + endpoint, so each keeps its own rate limiter across jobs. The key is part of the cache
  // key (in memory only): a changed key gets a fresh instance rather than one still holding the old key.
  const cache = new Map<string, VideoProvider>()
  const instance: Router['instance'] = (provider, endpoint) => {
    const region = provider === 'ark' ? deps.region() : null
    const id = JSON.stringify([provider, endpoint.baseUrl, endpoint.keyOrigin, endpoint.apiKey, region])
    let found = cache.get(id)
    if (!found) {
      const factory = deps.factories[provider]
      if (!factory) throw new Error(`No adapter is registered for ${provider}.`)
      found = factory({ ...deps.config, ...endpoint, region })
      cache.set(id, found)
    }
    return found
  }

  const atSandbox = (provider: ProviderId): Route => {
    const door = deps.sandbox()?.[provider]
    if (!door) return { held: `Waiting for the built-in Sandbox, which is not running in this session.` }
    const origin = serviceOrigin(door.baseUrl)
    return {
      provider: instance(provider, { baseUrl: door.baseUrl, apiKey: door.apiKey, keyOrigin: origin }),
      service: { kind: 'sandbox', origin },
    }
  }

  const atService = (provider: ProviderId, origin: string | null): Route => {
    const door = deps.doors()[provider]
    const label = providerInfo(provider).label
    const cloud = door.cloud
    if (cloud && (origin === null || cloud.origin === origin))
      return {
        provider: instance(provider, { baseUrl: cloud.baseUrl, apiKey: cloud.apiKey, keyOrigin: cloud.origin }),
        service: { kind: 'cloud', origin: cloud.origin },
      }
    const where = origin ?? serviceOrigin(door.serviceUrl)
    const why = !door.key
      ? 'the keychain cannot be read'
      : !door.key.hasKey
        ? `no ${label} key is set`
        : cloud
          ? `its base URL now points at ${cloud.origin}`
          : (door.reason ?? `the ${label} key may not be sent there`)
    return {
      held: `Waiting for ${label} at ${where}: the job was sent there, and ${why}. Nothing is sent again or given up; restore the key or address, or cancel the job.`,
    }
  }

  return {
    instance,
    route(job) {
      const provider = job.request.provider ?? 'seedance'
      if (!deps.factories[provider]) return { held: `${providerInfo(provider).label} is not available in this build.` }
      // Sent (or being sent): followed where it went. A pending job is at no service, whatever it was sent to
      // before (a POST refused before it reached one): it goes where its door goes now.
      if (job.service && job.state !== 'pending')
        return job.service.kind === 'sandbox' ? atSandbox(provider) : atService(provider, job.service.origin)
      // Not sent yet: where its door goes now.
      return deps.doors()[provider].target === 'sandbox' ? atSandbox(provider) : atService(provider, null)
    },
  }
}
