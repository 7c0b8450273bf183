import { useJobs } from '../stores/jobs'
import { useLibrary } from '../stores/library'
import { useUi, type View } from '../stores/ui'

const ITEMS: Array<{ view: View; label: string }> = [
  { view: 'create', label: 'Create' },
  { view: 'queue', label: 'Queue' },
  { view: 'library', label: 'Library' },
  { view: 'usage', label: 'Usage' },
  { view: 'settings', label: 'Settings' },
  { view: 'about', label: 'About' },
]

export function Sidebar() {
  const view = useUi((s) => s.view)
  const go = useUi((s) => s.go)
  const active = useJobs((s) => s.activeCount)
  const videos = useLibrary((s) => s.entries.length)
  return (
    <nav className="sidebar" aria-label="Main">
      <ul>
        {ITEMS.map((item) => (
          <li key={item.view}>
            <button
              type="button"
              aria-current={view === item.view ? 'page' : undefined}
              className={view === item.view ? 'on' : ''}
              onClick={() => go(item.view)}
            >
              <span>
                {item.label}
                {item.view === 'library' && videos > 0 && (
                  <span className="sr-only">
                    , {videos.toLocaleString()} video{videos === 1 ? '' : 's'}
                  </span>
                )}
              </span>
              {item.view === 'queue' && active > 0 && (
                <span className="count-badge">
                  {active}
                  <span className="sr-only"> active</span>
                </span>
              )}
              {item.view === 'library' && videos > 0 && (
                <span className="muted small" aria-hidden="true">
                  {videos.toLocaleString()}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  )
}
