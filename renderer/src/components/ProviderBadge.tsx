import { providerInfo } from '../../../electron/shared/providers'
import { useEngine } from '../stores/engine'

/** Where new jobs go, visible everywhere: the default provider's service, or the local Sandbox's emulation of it. */
export function ProviderBadge() {
  const status = useEngine((s) => s.status)
  if (!status) return null
  const sandbox = status.target === 'sandbox'
  return (
    <span
      className={`provider ${sandbox ? 'sandbox' : 'cloud'}`}
      title={status.reason ?? status.baseUrl}
      data-testid="provider-badge"
    >
      {sandbox ? 'Sandbox' : providerInfo(status.provider).label}
    </span>
  )
}
