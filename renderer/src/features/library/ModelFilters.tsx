// The library's service and model filters: only the doors and models its videos were made with are offered
// (entries written before issue 10 count as the guide's API and its one model).
import { useMemo } from 'react'
import type { LibraryEntry, ProviderId } from '../../../../electron/shared/model'
import { findModel, PROVIDER_IDS, providerInfo } from '../../../../electron/shared/providers'
import { useLibrary } from '../../stores/library'
import { useUi } from '../../stores/ui'

/** provider → model ids, in catalog order, for the videos present. */
export function presentModels(entries: readonly LibraryEntry[]): Array<{ provider: ProviderId; models: string[] }> {
  const seen = new Map<ProviderId, Set<string>>()
  for (const e of entries) {
    const provider = e.provider ?? 'seedance'
    const models = seen.get(provider) ?? new Set<string>()
    models.add(e.model ?? 'standard')
    seen.set(provider, models)
  }
  return PROVIDER_IDS.filter((p) => seen.has(p)).map((provider) => {
    const order = providerInfo(provider).models.map((m) => m.id)
    const rank = (id: string) => (order.includes(id) ? order.indexOf(id) : order.length)
    return { provider, models: [...(seen.get(provider) ?? [])].sort((a, b) => rank(a) - rank(b)) }
  })
}

const label = (provider: ProviderId, model: string) => findModel(provider, model)?.label ?? model

export function ModelFilters() {
  const entries = useLibrary((s) => s.entries)
  const provider = useUi((s) => s.filters.provider)
  const model = useUi((s) => s.filters.model)
  const setFilters = useUi((s) => s.setFilters)
  const present = useMemo(() => presentModels(entries), [entries])
  const models = present.filter((p) => !provider || p.provider === provider)
  return (
    <>
      <select
        aria-label="Service"
        value={provider ?? ''}
        onChange={(e) =>
          setFilters({ provider: (e.target.value || undefined) as ProviderId | undefined, model: undefined })
        }
      >
        <option value="">Any service</option>
        {present.map((p) => (
          <option key={p.provider} value={p.provider}>
            {providerInfo(p.provider).label}
          </option>
        ))}
      </select>
      <select
        aria-label="Model"
        value={model && provider ? `${provider} ${model}` : ''}
        onChange={(e) => {
          // Model ids repeat across doors (fal and Replicate both serve bytedance/seedance-2.0): pick the pair.
          const [p, m] = e.target.value.split(' ') as [ProviderId | '', string | undefined]
          setFilters(p ? { provider: p, model: m } : { model: undefined })
        }}
      >
        <option value="">Any model</option>
        {models.flatMap((p) =>
          p.models.map((m) => (
            <option key={`${p.provider} ${m}`} value={`${p.provider} ${m}`}>
              {provider ? label(p.provider, m) : `${label(p.provider, m)} (${providerInfo(p.provider).label})`}
            </option>
          )),
        )}
      </select>
    </>
  )
}
