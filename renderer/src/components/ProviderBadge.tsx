import { useEngine } from '../stores/engine'

/** Which service jobs go to, visible everywhere: the local Sandbox or Seedance Cloud. */
export function ProviderBadge() {
  const status = useEngine((s) => s.status)
  if (!status) return null
  const sandbox = status.provider === 'sandbox'
  return (
    <span
      className={`provider ${sandbox ? 'sandbox' : 'cloud'}`}
      title={status.reason ?? status.baseUrl}
      data-testid="provider-badge"
    >
      {sandbox ? 'Sandbox' : 'Seedance Cloud'}
    </span>
  )
}
