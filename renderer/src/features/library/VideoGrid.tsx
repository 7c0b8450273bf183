import { memo, useEffect, useRef, useState } from 'react'
import { mediaUrl } from '../../../../electron/shared/media'
import type { LibraryEntry } from '../../../../electron/shared/model'
import { providerInfo } from '../../../../electron/shared/providers'
import { call } from '../../bridge'
import { useReducedMotion } from '../../components/useReducedMotion'
import { useEngine } from '../../stores/engine'

const CARD_W = 236
const CARD_H = 200
const GAP = 14
const OVERSCAN_ROWS = 2
const HOVER_INTENT_MS = 250
/**
 * A card a search (or a filter) brings in loads its picture once it has stayed this long. Typing replaces the
 * cards on screen at every key; loading, decoding and painting twenty pictures that the next key throws away is
 * what made the search update miss its frame (issue 11: 10,000 videos, painted within 50 ms at p95). Scrolling
 * and the first view load pictures at once, and a picture already shown once needs no wait.
 */
const PICTURE_SETTLE_MS = 100
/** Pictures already loaded in this window: the browser holds them, so showing one again costs nothing. */
const shownPictures = new Set<string>()
// One formatter for every card: toLocaleDateString builds a new one per call, which shows when typing
// re-renders a screenful of cards.
const DAY = new Intl.DateTimeFormat(undefined, { dateStyle: 'short' })

/**
 * A virtualized grid: only the rows in view (plus a few) are in the DOM, so 10,000 videos scroll smoothly.
 * One tab stop: the arrow keys, Home / End and Page Up / Down move between cards (scrolling as needed),
 * Enter opens, Ctrl/⌘/Shift+Space adds to the selection.
 */
export function VideoGrid({
  items,
  selected,
  onOpen,
  onToggle,
}: {
  items: LibraryEntry[]
  selected: ReadonlySet<string>
  onOpen(id: string): void
  onToggle(id: string, extend: boolean): void
}) {
  const box = useRef<HTMLDivElement>(null)
  const [size, setSize] = useState({ width: 900, height: 600 })
  const [scrollTop, setScrollTop] = useState(0)
  const [focusIndex, setFocusIndex] = useState(0)
  // Read once for the grid, not once per card: every card re-renders as the user types.
  const mediaBase = useEngine((s) => s.status?.mediaBase)
  const still = useReducedMotion()
  const wantFocus = useRef(false)
  // Whether this render brings other videos (a search, a filter) rather than a scroll: read by cards as they mount.
  const lastItems = useRef(items)
  const itemsChanged = useRef(false)
  itemsChanged.current = lastItems.current !== items
  useEffect(() => {
    lastItems.current = items
  })
  useEffect(() => {
    const el = box.current
    if (!el) return
    const ro = new ResizeObserver(() => setSize({ width: el.clientWidth, height: el.clientHeight }))
    ro.observe(el)
    setSize({ width: el.clientWidth, height: el.clientHeight })
    return () => ro.disconnect()
  }, [])
  const columns = Math.max(1, Math.floor((size.width + GAP) / (CARD_W + GAP)))
  const rows = Math.ceil(items.length / columns)
  const rowH = CARD_H + GAP
  const first = Math.max(0, Math.floor(scrollTop / rowH) - OVERSCAN_ROWS)
  const last = Math.min(rows, Math.ceil((scrollTop + size.height) / rowH) + OVERSCAN_ROWS)
  const visible = items.slice(first * columns, last * columns)
  const current = Math.min(focusIndex, Math.max(0, items.length - 1))
  // The tab stop: the card last focused, or the first one in view when that card has scrolled away.
  const tabStop = current >= first * columns && current < last * columns ? current : first * columns

  // After a key moved the focus, focus the card once it is rendered (it may have just scrolled into view).
  useEffect(() => {
    if (!wantFocus.current) return
    wantFocus.current = false
    box.current?.querySelector<HTMLElement>(`[data-index="${current}"]`)?.focus()
  })

  const onKeyDown = (e: React.KeyboardEvent) => {
    const perPage = Math.max(1, Math.floor(size.height / rowH)) * columns
    const moves: Record<string, number> = {
      ArrowRight: 1,
      ArrowLeft: -1,
      ArrowDown: columns,
      ArrowUp: -columns,
      PageDown: perPage,
      PageUp: -perPage,
      Home: -Infinity,
      End: Infinity,
    }
    const step = moves[e.key]
    if (step === undefined || items.length === 0 || e.altKey) return
    e.preventDefault()
    const next = Math.max(0, Math.min(items.length - 1, current + step))
    const top = Math.floor(next / columns) * rowH
    const el = box.current
    if (el && top < el.scrollTop) el.scrollTop = top
    else if (el && top + rowH > el.scrollTop + size.height) el.scrollTop = top + rowH - size.height
    if (el) setScrollTop(el.scrollTop)
    wantFocus.current = true
    setFocusIndex(next)
  }

  return (
    <div
      ref={box}
      className="grid-scroll"
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      data-testid="video-grid"
    >
      <ul
        className="grid-canvas"
        aria-label={`Videos (${items.length})`}
        style={{ height: rows * rowH }}
        onKeyDown={onKeyDown}
      >
        {visible.map((entry, i) => {
          const index = first * columns + i
          return (
            <VideoCard
              key={entry.id}
              entry={entry}
              index={index}
              total={items.length}
              tabbable={index === tabStop}
              selected={selected.has(entry.id)}
              top={Math.floor(index / columns) * rowH}
              left={(index % columns) * (CARD_W + GAP)}
              mediaBase={mediaBase}
              still={still}
              onOpen={onOpen}
              onToggle={onToggle}
              onFocusCard={setFocusIndex}
              settle={itemsChanged}
            />
          )
        })}
      </ul>
    </div>
  )
}

/** One card; memoized, so typing re-renders only the cards whose video, place or state changed. */
const VideoCard = memo(function VideoCard({
  entry,
  index,
  total,
  tabbable,
  selected,
  top,
  left,
  mediaBase: base,
  still,
  onOpen,
  onToggle,
  onFocusCard,
  settle,
}: {
  entry: LibraryEntry
  index: number
  total: number
  tabbable: boolean
  selected: boolean
  top: number
  left: number
  mediaBase: string | undefined
  /** Reduced motion: no preview on hover. */
  still: boolean
  onOpen(id: string): void
  onToggle(id: string, extend: boolean): void
  onFocusCard(index: number): void
  /** True while mounting: this card came with a search or filter change, so its picture waits to settle. */
  settle: { readonly current: boolean }
}) {
  const picture = entry.thumbnail ? mediaUrl('thumbs', entry.thumbnail, base) : null
  const [pictureReady, setPictureReady] = useState(
    () => !settle.current || (picture !== null && shownPictures.has(picture)),
  )
  useEffect(() => {
    if (pictureReady) return
    const timer = setTimeout(() => setPictureReady(true), PICTURE_SETTLE_MS)
    return () => clearTimeout(timer)
  }, [pictureReady])
  const [hover, setHover] = useState(false)
  // Preview only when the pointer rests on a card (not while it sweeps across the grid).
  const intent = useRef<ReturnType<typeof setTimeout> | null>(null)
  const endHover = () => {
    if (intent.current) clearTimeout(intent.current)
    intent.current = null
    setHover(false)
  }
  useEffect(
    () => () => {
      if (intent.current) clearTimeout(intent.current)
    },
    [],
  )
  return (
    <li
      className="card-slot"
      style={{ top, left, width: CARD_W, height: CARD_H }}
      aria-setsize={total}
      aria-posinset={index + 1}
    >
      <button
        type="button"
        className={`card ${selected ? 'selected' : ''} ${entry.missing ? 'missing' : ''}`}
        aria-pressed={selected}
        tabIndex={tabbable ? 0 : -1}
        data-index={index}
        data-testid="video-card"
        onMouseEnter={() => {
          intent.current = setTimeout(() => setHover(true), HOVER_INTENT_MS)
        }}
        onMouseLeave={endHover}
        onFocus={() => {
          endHover()
          onFocusCard(index)
        }}
        onKeyDown={(e) => {
          if (e.key === ' ' && (e.metaKey || e.ctrlKey || e.shiftKey)) {
            e.preventDefault()
            onToggle(entry.id, true)
          }
        }}
        onClick={(e) => (e.metaKey || e.ctrlKey || e.shiftKey ? onToggle(entry.id, true) : onOpen(entry.id))}
        draggable={!entry.expired && !entry.missing}
        onDragStart={(e) => {
          // The OS drag is started by main (webContents.startDrag) with the real file, so other apps receive it.
          e.preventDefault()
          void call('library:drag', { id: entry.id })
        }}
      >
        <div className="thumb">
          {hover && !still && !entry.expired && !entry.missing ? (
            <video src={mediaUrl('library', entry.file, base)} muted autoPlay loop playsInline tabIndex={-1} />
          ) : picture ? (
            pictureReady && (
              <img
                src={picture}
                alt=""
                decoding="async"
                onLoad={() => {
                  shownPictures.add(picture)
                }}
              />
            )
          ) : (
            <div className="thumb-missing">{entry.expired ? 'Link expired' : 'No preview'}</div>
          )}
          {entry.missing && <span className="missing-badge">File missing</span>}
          <span className="badge">
            {entry.duration} s · {entry.resolution}
          </span>
          {entry.favorite && (
            <span className="fav" role="img" aria-label="Favourite">
              ★
            </span>
          )}
        </div>
        <div className="card-title" title={entry.prompt}>
          {entry.title}
        </div>
        <div className="muted small">
          {DAY.format(entry.createdAt)} · {providerInfo(entry.provider ?? 'seedance').label}
        </div>
      </button>
    </li>
  )
})
