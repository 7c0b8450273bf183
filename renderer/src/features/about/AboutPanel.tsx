import { useEffect } from 'react'
import { useAppInfo } from '../../stores/app-info'

const PLATFORM_NAMES: Record<string, string> = { darwin: 'macOS', win32: 'Windows', linux: 'Linux' }

export function AboutPanel() {
  const info = useAppInfo((s) => s.info)
  const error = useAppInfo((s) => s.error)
  const load = useAppInfo((s) => s.load)

  useEffect(() => {
    void load()
  }, [load])

  if (error) {
    return (
      <section className="card" aria-labelledby="about-title">
        <h2 id="about-title">About this installation</h2>
        <p role="alert" className="error">
          {error.message} <span className="code">({error.code})</span>
        </p>
        <button type="button" onClick={() => void load()}>
          Try again
        </button>
      </section>
    )
  }
  if (!info) {
    return (
      <section className="card" aria-busy="true" aria-labelledby="about-title">
        <h2 id="about-title">About this installation</h2>
        <p className="muted">Connecting to the engine…</p>
      </section>
    )
  }
  const runtime = info.runtime.electron
    ? `Electron ${info.runtime.electron} · Chromium ${info.runtime.chrome} · Node ${info.runtime.node}`
    : `Node ${info.runtime.node} (browser harness)`
  return (
    <section className="card" aria-labelledby="about-title">
      <h2 id="about-title">About this installation</h2>
      <dl className="facts">
        <dt>Version</dt>
        <dd data-testid="app-version">{info.version}</dd>
        <dt>System</dt>
        <dd data-testid="app-platform">
          {PLATFORM_NAMES[info.platform] ?? info.platform} ({info.arch})
        </dd>
        <dt>Runtime</dt>
        <dd>{runtime}</dd>
        <dt>Settings and journal</dt>
        <dd className="path" data-testid="path-userdata">
          {info.paths.userData}
        </dd>
        <dt>Logs</dt>
        <dd className="path">{info.paths.logs}</dd>
        <dt>Video library</dt>
        <dd className="path" data-testid="path-library">
          {info.paths.library}
        </dd>
      </dl>
    </section>
  )
}
