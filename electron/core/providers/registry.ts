// Every door's adapter, by provider id (ISSUE10 interface 3): the engine builds a provider instance per door and
// endpoint from here. Adding a door is one line: its `create<Id>Provider` from providers/<id>/adapter.ts.
import type { ProviderId } from '../../shared/providers'
import type { ProviderFactory } from './port'
import { createSeedanceProvider } from './seedance/adapter'

// Partial until the other doors' adapters are merged in (the coordinator adds ark, fal and replicate, then makes this
// a full Record<ProviderId, ProviderFactory>, so a missing door becomes a type error).
export const PROVIDER_FACTORIES: Partial<Record<ProviderId, ProviderFactory>> = {
  seedance: createSeedanceProvider,
}
