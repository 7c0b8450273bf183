// The composer's prompt history (issue 11, point 6): a button beside the prompt field opens every prompt used,
// starred first, searchable; ↑/↓ move, Enter (or a click) puts the prompt in the composer, Esc closes. Each row
// stars its prompt or opens the library on its videos.
import { useEffect, useId, useMemo, useRef, useState } from 'react'
import { type PromptHistoryItem, searchPromptHistory } from '../../../../electron/shared/prompt-history'
import { useComposer } from '../../stores/composer'
import { showPromptVideos, usePromptHistory } from './history'
import { usePromptStars } from './stars'

/** Rows drawn at once: a long history is narrowed by the search, not scrolled through by the thousand. */
const SHOWN = 200
const DAY = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })

export function PromptHistory() {
  const [open, setOpen] = useState(false)
  const trigger = useRef<HTMLButtonElement>(null)
  const box = useRef<HTMLDivElement>(null)
  const id = useId()
  const close = (refocus: boolean) => {
    setOpen(false)
    if (refocus) trigger.current?.focus()
  }
  // A click anywhere else closes it.
  useEffect(() => {
    if (!open) return
    const away = (e: MouseEvent) => {
      if (!box.current?.contains(e.target as Node) && !trigger.current?.contains(e.target as Node)) setOpen(false)
    }
    document.addEventListener('mousedown', away)
    return () => document.removeEventListener('mousedown', away)
  }, [open])
  return (
    <div className="prompt-history" ref={box}>
      <button
        ref={trigger}
        type="button"
        className="link"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        data-testid="prompt-history-button"
        onClick={() => setOpen(!open)}
      >
        History
      </button>
      {open && <HistoryPanel id={id} onClose={close} />}
    </div>
  )
}

function HistoryPanel({ id, onClose }: { id: string; onClose(refocus: boolean): void }) {
  const history = usePromptHistory()
  const setStar = usePromptStars((s) => s.set)
  const [search, setSearch] = useState('')
  const [starredOnly, setStarredOnly] = useState(false)
  const [active, setActive] = useState(0)
  const [error, setError] = useState<string | null>(null)
  const list = useRef<HTMLUListElement>(null)
  const found = useMemo(
    () => searchPromptHistory(history, { search, starred: starredOnly }),
    [history, search, starredOnly],
  )
  const shown = found.slice(0, SHOWN)
  const current = Math.min(active, Math.max(0, shown.length - 1))
  useEffect(() => {
    void usePromptStars
      .getState()
      .load()
      .catch((e: Error) => setError(e.message))
  }, [])
  // Keep the highlighted row in view as the arrows move it.
  useEffect(() => {
    list.current?.querySelector(`[data-row="${current}"]`)?.scrollIntoView({ block: 'nearest' })
  }, [current])

  const insert = (item: PromptHistoryItem) => {
    useComposer.getState().patch({ prompt: item.prompt })
    onClose(false)
    const field = document.getElementById('prompt') as HTMLTextAreaElement | null
    field?.focus()
    field?.setSelectionRange(item.prompt.length, item.prompt.length)
  }
  const star = (item: PromptHistoryItem) => {
    setError(null)
    setStar(item.prompt, !item.starred).catch((e: Error) => setError(e.message))
  }
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault()
      e.stopPropagation()
      onClose(true)
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault()
      const step = e.key === 'ArrowDown' ? 1 : -1
      setActive(Math.max(0, Math.min(shown.length - 1, current + step)))
    } else if (e.key === 'Enter' && e.target instanceof HTMLInputElement && e.target.type === 'search') {
      e.preventDefault()
      const item = shown[current]
      if (item) insert(item)
    }
  }

  return (
    <div className="history-panel" id={id} role="dialog" aria-label="Prompt history" onKeyDown={onKeyDown}>
      <div className="history-tools">
        <input
          type="search"
          // biome-ignore lint/a11y/noAutofocus: the panel opens to be searched
          autoFocus
          placeholder="Search your prompts…"
          aria-label="Search your prompts"
          aria-describedby={`${id}-help`}
          value={search}
          onChange={(e) => {
            setSearch(e.target.value)
            setActive(0)
          }}
        />
        <label className="check">
          <input
            type="checkbox"
            checked={starredOnly}
            onChange={(e) => {
              setStarredOnly(e.target.checked)
              setActive(0)
            }}
          />{' '}
          Starred
        </label>
      </div>
      <p id={`${id}-help`} className="muted small history-help">
        ↑ ↓ to choose, Enter to use it, Esc to close.{' '}
        <span role="status">
          {found.length === 0
            ? history.length === 0
              ? 'No prompts yet: the prompts you generate with appear here.'
              : 'No prompt matches.'
            : `${found.length.toLocaleString()} prompt${found.length === 1 ? '' : 's'}${found.length > SHOWN ? `, the first ${SHOWN} shown` : ''}.`}
        </span>
      </p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <ul className="history-list" ref={list} aria-label="Prompts">
        {shown.map((item, i) => (
          <li key={item.prompt} data-row={i} className={i === current ? 'active' : ''} data-testid="history-row">
            <button
              type="button"
              className={`star ${item.starred ? 'on' : ''}`}
              aria-pressed={item.starred}
              aria-label={item.starred ? 'Unstar this prompt' : 'Star this prompt'}
              title={item.starred ? 'Unstar' : 'Star: keep it at the top'}
              onClick={() => star(item)}
            >
              {item.starred ? '★' : '☆'}
            </button>
            <button
              type="button"
              className="history-use"
              aria-current={i === current ? 'true' : undefined}
              onClick={() => insert(item)}
              onMouseEnter={() => setActive(i)}
            >
              <span className="history-prompt">{item.prompt}</span>
              <span className="muted small">
                {item.count > 0 ? `Used ${item.count}×` : 'Not used yet'}
                {item.lastUsed !== null && ` · ${DAY.format(item.lastUsed)}`}
              </span>
            </button>
            {item.videoIds.length > 0 && (
              <button type="button" className="link small history-videos" onClick={() => showPromptVideos(item.prompt)}>
                {item.videoIds.length} video{item.videoIds.length === 1 ? '' : 's'}
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  )
}
