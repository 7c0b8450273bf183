// Keeps the mirror stores in step with the engine: an initial load, then every jobs:changed and
// library:changed event. The only writer of the jobs and library stores.
import { call, subscribe } from './bridge'
import { useBudget } from './stores/budget'
import { useEngine } from './stores/engine'
import { useJobs } from './stores/jobs'
import { useLibrary } from './stores/library'
import { useUi } from './stores/ui'

/** The newest videos first, so the grid paints at once; then the whole library for local search. */
async function reloadLibrary(firstPage = false): Promise<void> {
  if (firstPage) {
    const first = await call('library:query', { limit: 120 })
    if (first.total > first.items.length) useLibrary.getState().set(first.items, false)
    else return useLibrary.getState().set(first.items)
  }
  const page = await call('library:query', {})
  useLibrary.getState().set(page.items)
}

export function startSync(): () => void {
  let pending: ReturnType<typeof setTimeout> | null = null
  const offJobs = subscribe('jobs:changed', (job) => {
    useJobs.getState().upsert(job)
    if (job.error?.code === 'INVALID_API_KEY' || job.error?.code === 'INSUFFICIENT_CREDITS')
      void useEngine.getState().refresh()
  })
  const offLibrary = subscribe('library:changed', () => {
    // Coalesce bursts (a batch finishing) into one reload.
    if (pending) clearTimeout(pending)
    pending = setTimeout(() => void reloadLibrary(), 100)
  })
  const offRemoved = subscribe('jobs:removed', ({ id }) => useJobs.getState().remove(id))
  const offEngine = subscribe('engine:changed', () => void useEngine.getState().refresh())
  const offNavigate = subscribe('ui:navigate', ({ view, videoId }) => {
    useUi.getState().go(view)
    if (videoId) useUi.getState().openDetail(videoId)
  })
  // Budget (issue 11): spend, caps and held queues; a hold also shows in engine:status (paused).
  const offBudget = subscribe('budget:changed', (status) => {
    useBudget.getState().set(status)
    void useEngine.getState().refresh()
  })
  void useBudget.getState().refresh()
  void useEngine.getState().refresh()
  void call('jobs:list', undefined).then((jobs) => useJobs.getState().hydrate(jobs))
  void reloadLibrary(true)
  return () => {
    offJobs()
    offLibrary()
    offEngine()
    offRemoved()
    offNavigate()
    offBudget()
    if (pending) clearTimeout(pending)
  }
}
