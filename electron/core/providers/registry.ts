// Every door's adapter, by provider id : the engine builds a provider instance per door and
// endpoint from here. Adding a door is one line: its `create<Id>Provider` from providers/<id>/adapter.ts.
import type { ProviderId } from '../../shared/providers'
import { createArkProvider } from './ark/adapter'
import { createFalProvider } from './fal/adapter'
import type { ProviderFactory } from './port'
import { createReplicateProvider } from './replicate/adapter'
import { createSeedanceProvider } from './seedance/adapter'

// Every door of shared/providers.ts PROVIDER_IDS: a door without an adapter is a type error.
export const PROVIDER_FACTORIES: Record<ProviderId, ProviderFactory> = {
  seedance: createSeedanceProvider,
  ark: createArkProvider,
  fal: createFalProvider,
  replicate: createReplicateProvider,
}
