import { isProviderId, providerInfo } from '../../../electron/shared/providers'
import { useEngine } from '../stores/engine'

/**
 * Where new jobs go, visible everywhere: the local Sandbox, or the service of the default door. Read defensively:
 * engine:status says `target` with issue 10's doors, and only `provider: 'sandbox' | 'cloud'` before them.
 */
export function ProviderBadge() {
  const status = useEngine((s) => s.status) as {
    provider: unknown
    target?: unknown
    reason: string | null
    baseUrl: string
  } | null
  if (!status) return null
  const sandbox = status.target === undefined ? status.provider === 'sandbox' : status.target === 'sandbox'
  const door = isProviderId(status.provider) ? status.provider : 'seedance'
  return (
    <span
      className={`provider ${sandbox ? 'sandbox' : 'cloud'}`}
      title={status.reason ?? status.baseUrl}
      data-testid="provider-badge"
    >
      {sandbox ? 'Sandbox' : door === 'seedance' ? 'Seedance Cloud' : providerInfo(door).label}
    </span>
  )
}
