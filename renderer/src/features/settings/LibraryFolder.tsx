// Settings › Library: where the videos live, how much room is left there, and choosing another folder (the OS
// picker in main) — then moving the videos there, or using the folder as it is.
import { useEffect, useState } from 'react'
import { formatBytes } from '../../../../electron/shared/format'
import type { FolderInfo, LibraryLocation } from '../../../../electron/shared/model'
import { AppError, call } from '../../bridge'

const plural = (n: number, one: string) => `${n.toLocaleString()} ${one}${n === 1 ? '' : 's'}`

function space(free: number | null, total: number | null): string {
  if (free === null) return 'free space unknown'
  return total ? `${formatBytes(free)} free of ${formatBytes(total)}` : `${formatBytes(free)} free`
}

function folderSummary(choice: FolderInfo): string {
  if (!choice.exists) return `A new folder will be made there (${space(choice.freeBytes, choice.totalBytes)}).`
  const holds = choice.isLibrary
    ? `It holds a Seedance library with ${plural(choice.videos, 'video')}`
    : choice.videos
      ? `It already holds ${plural(choice.videos, 'video')}`
      : 'It is empty of videos'
  return `${holds} (${space(choice.freeBytes, choice.totalBytes)}).`
}

export function LibraryFolder({ onChanged }: { onChanged: () => void }) {
  const [location, setLocation] = useState<LibraryLocation | null>(null)
  const [choice, setChoice] = useState<FolderInfo | null>(null)
  const [working, setWorking] = useState<'choose' | 'move' | 'rescan' | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)

  useEffect(() => {
    void call('library:location', undefined).then(setLocation)
  }, [])

  async function run(kind: 'choose' | 'move' | 'rescan', work: () => Promise<void>) {
    setWorking(kind)
    setError(null)
    setDone(null)
    try {
      await work()
    } catch (e) {
      setError(e instanceof AppError ? e.message : String(e))
    } finally {
      setWorking(null)
    }
  }

  const choose = () =>
    run('choose', async () => {
      const { dir } = await call('library:choose-folder', undefined)
      setChoice(dir ? await call('library:inspect-folder', { dir }) : null)
    })

  const change = (mode: 'move' | 'rescan') =>
    run(mode, async () => {
      if (!choice) return
      const result = await call('library:change-folder', { dir: choice.dir, mode })
      setChoice(null)
      setLocation(await call('library:location', undefined))
      setDone(
        result.moved
          ? `Moved ${plural(result.moved.moved, 'video')} to ${result.dir}${result.moved.renamed ? ` (${plural(result.moved.renamed, 'video')} renamed: a file there had the same name)` : ''}.`
          : `The library is now ${result.dir}, with ${plural(result.videos, 'video')}.`,
      )
      onChanged()
    })

  const busy = working !== null
  const short = choice && location && choice.freeBytes !== null && choice.freeBytes < location.bytes
  return (
    <fieldset className="card-block" aria-busy={busy}>
      <legend>Library folder</legend>
      {location ? (
        <>
          <p className="path" data-testid="library-dir">
            {location.dir}
          </p>
          <p className="muted small" data-testid="library-space">
            {plural(location.videos, 'video')} · {formatBytes(location.bytes)} ·{' '}
            {space(location.freeBytes, location.totalBytes)}
          </p>
        </>
      ) : (
        <p className="muted">Reading the library folder…</p>
      )}
      <div className="row-inline">
        <button type="button" disabled={busy} onClick={() => void choose()}>
          Change folder…
        </button>
      </div>
      {choice && (
        <section className="notice folder-choice" aria-label="New library folder" data-testid="folder-choice">
          <p className="path">{choice.dir}</p>
          {choice.problem ? (
            <p className="field-error" role="alert">
              {choice.problem}
            </p>
          ) : (
            <>
              <p>{folderSummary(choice)}</p>
              {short && (
                <p className="field-error">
                  Moving needs up to {formatBytes(location.bytes)} there when it is another disk; it has{' '}
                  {formatBytes(choice.freeBytes ?? 0)}.
                </p>
              )}
              <p className="muted small">
                <strong>Move</strong> takes your {plural(location?.videos ?? 0, 'video')} there and removes them from
                the old folder. <strong>Use as it is</strong> shows what that folder holds; your videos stay where they
                are.
              </p>
            </>
          )}
          <div className="row-inline">
            {!choice.problem && (
              <>
                <button type="button" className="primary" disabled={busy} onClick={() => void change('move')}>
                  {working === 'move' ? 'Moving…' : `Move ${plural(location?.videos ?? 0, 'video')} here`}
                </button>
                <button type="button" disabled={busy} onClick={() => void change('rescan')}>
                  {working === 'rescan' ? 'Scanning…' : 'Use as it is'}
                </button>
              </>
            )}
            <button type="button" className="quiet" disabled={busy} onClick={() => setChoice(null)}>
              Cancel
            </button>
          </div>
        </section>
      )}
      <div aria-live="polite">
        {error && (
          <p className="field-error" role="alert" data-testid="library-folder-error">
            {error}
          </p>
        )}
        {done && (
          <p className="ok" data-testid="library-folder-done">
            {done}
          </p>
        )}
      </div>
    </fieldset>
  )
}
