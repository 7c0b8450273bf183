import { useState } from 'react'
import type { BatchPreviewRow } from '../../../../electron/shared/contract'
import { AppError, call } from '../../bridge'
import { useUi } from '../../stores/ui'

const STATUS: Record<BatchPreviewRow['status'], string> = {
  ready: 'Ready',
  exists: 'In library',
  running: 'In the queue',
  invalid: 'Invalid',
}

/** Import a CSV of prompts (id, prompt, and optional duration, resolution, aspect_ratio, style…), preview, then queue. */
export function BatchImport() {
  const go = useUi((s) => s.go)
  // The CSV is picked in main's OS dialog and read there: the renderer only names it back (issue 9).
  const [file, setFile] = useState<{ name: string; file: string } | null>(null)
  const [rows, setRows] = useState<BatchPreviewRow[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const ready = rows?.filter((r) => r.status === 'ready').length ?? 0

  async function open() {
    setError(null)
    try {
      const picked = await call('batch:choose-file', undefined)
      if (!picked.file || !picked.name) return
      setRows(null)
      setFile({ name: picked.name, file: picked.file })
      setRows(await call('batch:preview', { file: picked.file }))
    } catch (e) {
      setError(e instanceof AppError ? e.message : String(e))
    }
  }

  return (
    <section className="batch" aria-label="Batch from CSV">
      <div className="row-inline">
        <button type="button" onClick={() => void open()}>
          Import a CSV batch…
        </button>
        <span className="muted small">
          Columns: id, prompt, and optionally duration, resolution, aspect_ratio, style, filename, image (a file in the
          CSV's folder).
        </span>
      </div>
      {error && (
        <p className="field-error" role="alert" data-testid="batch-error">
          {error}
        </p>
      )}
      {rows && file && (
        <div className="batch-preview" data-testid="batch-preview">
          <table>
            <caption>
              {file.name}: {rows.length} row{rows.length === 1 ? '' : 's'}
            </caption>
            <thead>
              <tr>
                <th scope="col">id</th>
                <th scope="col">Prompt</th>
                <th scope="col">Settings</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} className={r.status}>
                  <td>{r.id}</td>
                  <td>{r.prompt}</td>
                  <td className="muted small">{r.summary}</td>
                  <td title={r.message ?? undefined}>
                    {STATUS[r.status]}
                    {r.message && r.status === 'invalid' ? `: ${r.message}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="row-inline">
            <button
              type="button"
              className="primary"
              disabled={ready === 0 || busy}
              onClick={() => {
                setBusy(true)
                void call('batch:submit', { file: file.file })
                  .then(() => {
                    setRows(null)
                    setFile(null)
                    go('queue')
                  })
                  .catch((e: unknown) => setError(e instanceof AppError ? e.message : String(e)))
                  .finally(() => setBusy(false))
              }}
            >
              Queue {ready} video{ready === 1 ? '' : 's'}
            </button>
            <button
              type="button"
              className="quiet"
              onClick={() => {
                setRows(null)
                setFile(null)
              }}
            >
              Cancel
            </button>
          </div>
        </div>
      )}
    </section>
  )
}
