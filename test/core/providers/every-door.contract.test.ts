// The one port contract (contract-suite.ts), run against every adapter of the registry over its Sandbox door: a door
// added to PROVIDER_FACTORIES is held to it without another line here. Each service's own details (Ark's queue full,
// fal's result errors, Replicate's Retry-After) stay in its own <provider>.contract.test.ts.
import { PROVIDER_FACTORIES } from '../../../electron/core/providers/registry'
import { PROVIDER_IDS, providerInfo } from '../../../electron/shared/providers'
import { providerContract } from './contract-suite'

for (const provider of PROVIDER_IDS) {
  const info = providerInfo(provider)
  // A quick render: the door's first model that makes 480p, else its default model.
  const model = info.models.find((m) => m.resolutions[0] === '480p')?.id ?? info.defaultModel
  providerContract({ provider, factory: PROVIDER_FACTORIES[provider], model })
}
