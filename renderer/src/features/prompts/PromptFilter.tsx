// The library shows the videos of one prompt when opened from the prompt history: this says so and undoes it.
import { useUi } from '../../stores/ui'

export function PromptFilter() {
  const prompt = useUi((s) => s.filters.prompt)
  if (prompt === undefined) return null
  return (
    <span className="prompt-filter" data-testid="prompt-filter">
      <span className="prompt-filter-text" title={prompt}>
        Prompt: “{prompt}”
      </span>
      <button
        type="button"
        className="link"
        aria-label="Show every prompt's videos"
        onClick={() => useUi.getState().setFilters({ prompt: undefined })}
      >
        ×
      </button>
    </span>
  )
}
