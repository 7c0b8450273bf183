import { AboutPanel } from './features/about/AboutPanel'
import { useAppInfo } from './stores/app-info'

export function App() {
  const name = useAppInfo((s) => s.info?.name ?? 'Seedance Studio')
  return (
    <div className="shell">
      <header className="titlebar">
        <span className="logo" aria-hidden="true" />
        <h1>{name}</h1>
      </header>
      <main className="content">
        <AboutPanel />
      </main>
    </div>
  )
}
