import { useEffect } from 'react'
import type { ProviderId } from '../../../../electron/shared/model'
import { useComposer } from '../../stores/composer'
import { useEngine } from '../../stores/engine'
import { engineDefault, modelChoices, PROVIDER_CHOICES } from './capabilities'

/**
 * The door and model the video is made with. Until the user picks one here, it follows the engine's default
 * (Settings, or the one provider with a key); every other control is then built from the model's capabilities.
 */
export function ModelPicker() {
  const provider = useComposer((s) => s.provider)
  const model = useComposer((s) => s.model)
  const chosen = useComposer((s) => s.chosen)
  const notice = useComposer((s) => s.fitNotice)
  const chooseModel = useComposer((s) => s.chooseModel)
  const status = useEngine((s) => s.status)
  const fallback = engineDefault(status)

  useEffect(() => {
    if (!chosen && (fallback.provider !== provider || fallback.model !== model))
      chooseModel(fallback.provider, fallback.model, false)
  }, [chosen, fallback.provider, fallback.model, provider, model, chooseModel])

  return (
    <>
      <div className="row">
        <div className="field">
          <label htmlFor="composer-provider">Service</label>
          <select
            id="composer-provider"
            value={provider}
            onChange={(e) => {
              const next = e.target.value as ProviderId
              chooseModel(next, next === fallback.provider ? fallback.model : '')
            }}
          >
            {PROVIDER_CHOICES.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="composer-model">Model</label>
          <select id="composer-model" value={model} onChange={(e) => chooseModel(provider, e.target.value)}>
            {modelChoices(provider).map((m) => (
              <option key={m.id} value={m.id}>
                {m.label}
                {m.legacy ? ' (older)' : ''}
              </option>
            ))}
          </select>
        </div>
      </div>
      {notice.length > 0 && (
        <div className="notice" role="status" data-testid="fit-notice">
          <p>Changed to fit this model:</p>
          <ul>
            {notice.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </div>
      )}
    </>
  )
}
