import { useMemo, useRef } from 'react'
import { queryLibrary, searchText } from '../../../../electron/shared/library-query'
import type { LibraryEntry } from '../../../../electron/shared/model'
import { ASPECT_RATIOS, RESOLUTIONS } from '../../../../electron/shared/providers'
import { call } from '../../bridge'
import { useLibrary } from '../../stores/library'
import { useUi } from '../../stores/ui'
import { CompareButton } from '../compare/CompareButton'
import { Player } from '../player/Player'
import { PromptFilter } from '../prompts/PromptFilter'
import { DetailPanel } from './DetailPanel'
import { ModelFilters } from './ModelFilters'
import { VideoGrid } from './VideoGrid'

// Search text per entry, computed once (entries are immutable snapshots from the engine), and warmed in idle
// time after the library loads so the first keystroke is as quick as the rest.
const searchCache = new WeakMap<LibraryEntry, string>()
useLibrary.subscribe((state) => {
  const entries = state.entries
  let at = 0
  const warm = (deadline?: IdleDeadline) => {
    while (at < entries.length && (!deadline || deadline.timeRemaining() > 1))
      cachedSearchText(entries[at++] as LibraryEntry)
    if (at < entries.length) requestIdleCallback(warm)
  }
  if (typeof requestIdleCallback === 'function') requestIdleCallback(warm)
})
function cachedSearchText(entry: LibraryEntry): string {
  let text = searchCache.get(entry)
  if (text === undefined) {
    text = searchText(entry)
    searchCache.set(entry, text)
  }
  return text
}

/** Add a video to the selection, or take it out (stable, so the grid's cards can skip re-rendering). */
function toggleSelected(id: string): void {
  const { selected, select } = useUi.getState()
  select(selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id])
}

export function LibraryView() {
  const entries = useLibrary((s) => s.entries)
  const loaded = useLibrary((s) => s.loaded)
  const search = useUi((s) => s.search)
  const filters = useUi((s) => s.filters)
  const selected = useUi((s) => s.selected)
  const detailId = useUi((s) => s.detailId)
  const playingId = useUi((s) => s.playingId)
  const { setSearch, setFilters, select, openDetail, play, go } = useUi.getState()
  const last = useRef<{ entries: LibraryEntry[]; filters: object; search: string; items: LibraryEntry[] } | null>(null)
  const result = useMemo(() => {
    // Typing on narrows the previous result: when the new search extends the last one (same library, same
    // filters), only the videos that matched it can match, in the same order.
    const prev = last.current
    const narrowing =
      prev !== null &&
      prev.entries === entries &&
      prev.filters === filters &&
      search.toLowerCase().startsWith(prev.search.toLowerCase())
    const page = queryLibrary(narrowing ? prev.items : entries, { ...filters, search }, (e) => e, cachedSearchText)
    last.current = { entries, filters, search, items: page.items }
    return page
  }, [entries, filters, search])
  const selectedSet = useMemo(() => new Set(selected), [selected])
  const detail = detailId ? entries.find((e) => e.id === detailId) : undefined
  const playing = playingId ? entries.find((e) => e.id === playingId) : undefined

  if (loaded && entries.length === 0) {
    return (
      <section className="empty" aria-labelledby="library-title">
        <h2 id="library-title">Your library is empty</h2>
        <p className="muted">
          Every video you make is saved here, on your disk, and stays here to browse and play offline.
        </p>
        <button type="button" className="primary" onClick={() => go('create')}>
          Make your first video
        </button>
      </section>
    )
  }
  return (
    <section className="library" aria-labelledby="library-title">
      <div className="toolbar">
        <h2 id="library-title" className="view-title">
          Library
        </h2>
        <input
          type="search"
          placeholder="Search prompts…"
          aria-label="Search the library"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <PromptFilter />
        <ModelFilters />
        <select
          aria-label="Mode"
          value={filters.mode ?? ''}
          onChange={(e) => setFilters({ mode: (e.target.value || undefined) as 'text' | undefined })}
        >
          <option value="">All modes</option>
          <option value="text">Text</option>
          <option value="image">Image</option>
        </select>
        <select
          aria-label="Resolution"
          value={filters.resolution ?? ''}
          onChange={(e) => setFilters({ resolution: (e.target.value || undefined) as '720p' | undefined })}
        >
          <option value="">Any resolution</option>
          {RESOLUTIONS.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
        <select
          aria-label="Aspect ratio"
          value={filters.aspectRatio ?? ''}
          onChange={(e) => setFilters({ aspectRatio: e.target.value || undefined })}
        >
          <option value="">Any shape</option>
          {ASPECT_RATIOS.filter((r) => r !== 'adaptive').map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
        <select
          aria-label="Date"
          value={filters.from === undefined ? '' : String(Math.round((Date.now() - filters.from) / 86_400_000))}
          onChange={(e) =>
            setFilters({ from: e.target.value ? Date.now() - Number(e.target.value) * 86_400_000 : undefined })
          }
        >
          <option value="">Any time</option>
          <option value="1">Last 24 hours</option>
          <option value="7">Last 7 days</option>
          <option value="30">Last 30 days</option>
        </select>
        <label className="check">
          <input
            type="checkbox"
            checked={filters.favorite === true}
            onChange={(e) => setFilters({ favorite: e.target.checked ? true : undefined })}
          />{' '}
          Favourites
        </label>
        <select
          aria-label="Sort"
          value={filters.sort ?? 'newest'}
          onChange={(e) => setFilters({ sort: e.target.value as 'newest' })}
        >
          <option value="newest">Newest</option>
          <option value="oldest">Oldest</option>
          <option value="title">Title</option>
          <option value="duration">Longest</option>
          <option value="size">Largest</option>
        </select>
        <span className="muted small" role="status" data-testid="result-count">
          {result.total.toLocaleString()} video{result.total === 1 ? '' : 's'}
        </span>
        {/* Compare takes (issue 11, point 3) */}
        <CompareButton ids={selected} />
        {selected.length > 0 && (
          <button
            type="button"
            className="danger-outline"
            onClick={() => {
              if (window.confirm(`Move ${selected.length} video${selected.length === 1 ? '' : 's'} to the trash?`))
                void call('library:delete', { ids: selected }).then(() => select([]))
            }}
          >
            Delete {selected.length}
          </button>
        )}
      </div>
      <div className="library-body">
        <VideoGrid items={result.items} selected={selectedSet} onOpen={openDetail} onToggle={toggleSelected} />
        {detail && <DetailPanel entry={detail} />}
      </div>
      {playing && <Player entry={playing} onClose={() => play(null)} />}
    </section>
  )
}
