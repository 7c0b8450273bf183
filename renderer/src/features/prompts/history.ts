// The prompt history as the composer shows it: built from the renderer's mirrors of the jobs and the library
// (the same pure rule as `seedance prompts`, shared/prompt-history.ts) and the starred list.
import { useMemo } from 'react'
import { buildPromptHistory, type PromptHistoryItem } from '../../../../electron/shared/prompt-history'
import { useJobs } from '../../stores/jobs'
import { useLibrary } from '../../stores/library'
import { useUi } from '../../stores/ui'
import { usePromptStars } from './stars'

/** Every prompt used, starred first; recomputed only when jobs, videos or stars change (and only while shown). */
export function usePromptHistory(): PromptHistoryItem[] {
  const byId = useJobs((s) => s.byId)
  const entries = useLibrary((s) => s.entries)
  const starred = usePromptStars((s) => s.starred)
  return useMemo(() => buildPromptHistory(Object.values(byId), entries, starred), [byId, entries, starred])
}

/** Open the library showing only the videos made from this prompt. */
export function showPromptVideos(prompt: string): void {
  const ui = useUi.getState()
  ui.setSearch('')
  ui.setFilters({ prompt })
  ui.openDetail(null)
  ui.go('library')
}
