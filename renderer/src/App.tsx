import { useEffect } from 'react'
import { ProviderBadge } from './components/ProviderBadge'
import { Sidebar } from './components/Sidebar'
import { AboutPanel } from './features/about/AboutPanel'
import { BudgetBanner } from './features/budget/BudgetBanner'
import { CompareView } from './features/compare/CompareView'
import { openCompare, useCompare } from './features/compare/store'
import { LibraryView } from './features/library/LibraryView'
import { QueueView } from './features/queue/QueueView'
import { continueFrom } from './features/sequence/continue'
import { SettingsView } from './features/settings/SettingsView'
import { StudioView } from './features/studio/StudioView'
import { UsageView } from './features/usage/UsageView'
import { useAppInfo } from './stores/app-info'
import { useEngine } from './stores/engine'
import { useUi } from './stores/ui'
import { startSync } from './sync'

export function App() {
  const name = useAppInfo((s) => s.info?.name ?? 'Seedance Studio')
  const view = useUi((s) => s.view)
  const paused = useEngine((s) => s.status?.paused)
  const go = useUi((s) => s.go)
  // While the compare view is open it is modal: the rest of the window is inert (no Tab, no click, no reader).
  const comparing = useCompare((s) => s.ids.length > 0)
  useEffect(() => startSync(), [])
  return (
    <div className="shell">
      <div className="shell-body" inert={comparing}>
        <header className="titlebar">
          <span className="logo" aria-hidden="true" />
          <h1>{name}</h1>
          <ProviderBadge />
        </header>
        <Sidebar />
        <main className="content">
          {/* Budget (issue 11): a queue held by a spending cap has its own banner. */}
          <BudgetBanner />
          {paused && paused.code !== 'BUDGET_CAP' && (
            <p className="banner" role="alert">
              {paused.code === 'INVALID_API_KEY'
                ? 'Your API key was rejected. '
                : paused.code === 'INSUFFICIENT_CREDITS'
                  ? 'Your account is out of credits. '
                  : ''}
              {paused.message} Jobs wait in the queue until this is fixed.{' '}
              {paused.code === 'INVALID_API_KEY' && (
                <button type="button" onClick={() => go('settings')}>
                  Open Settings
                </button>
              )}
            </p>
          )}
          {/* studio (issue 11, point 7): Create is the studio, with its takes; compare opens the compare view. */}
          {view === 'create' && <StudioView onCompare={openCompare} onContinue={continueFrom} />}
          {view === 'queue' && <QueueView />}
          {view === 'library' && <LibraryView />}
          {view === 'usage' && <UsageView />}
          {view === 'settings' && <SettingsView />}
          {view === 'about' && <AboutPanel />}
        </main>
      </div>
      {/* Compare takes (issue 11, point 3): an overlay over any view, opened with openCompare(ids, labels). */}
      <CompareView />
    </div>
  )
}
