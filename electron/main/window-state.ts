// Remembers the main window's size and position, and restores them only where they are still visible
// (a monitor may have been unplugged since).

export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

export interface WindowState {
  x?: number
  y?: number
  width: number
  height: number
  maximized: boolean
}

export const DEFAULT_STATE: WindowState = { width: 1280, height: 820, maximized: false }
export const MIN_SIZE = { width: 960, height: 640 }

function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v)
}

function intersects(a: Rect, b: Rect, minOverlap: number): boolean {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return w >= minOverlap && h >= minOverlap
}

/** Validate a saved state against the current displays' work areas; fall back to defaults (centred by the OS). */
export function restoreWindowState(saved: unknown, workAreas: readonly Rect[]): WindowState {
  const s = (saved ?? {}) as Partial<WindowState>
  if (!isNumber(s.width) || !isNumber(s.height)) return { ...DEFAULT_STATE }
  const largest = workAreas.reduce(
    (m, a) => ({ width: Math.max(m.width, a.width), height: Math.max(m.height, a.height) }),
    {
      width: MIN_SIZE.width,
      height: MIN_SIZE.height,
    },
  )
  const width = Math.round(Math.min(Math.max(s.width, MIN_SIZE.width), largest.width))
  const height = Math.round(Math.min(Math.max(s.height, MIN_SIZE.height), largest.height))
  const maximized = s.maximized === true
  if (!isNumber(s.x) || !isNumber(s.y)) return { width, height, maximized }
  // Require the title bar area (top 48 px) to overlap a display by a grabbable amount.
  const titleBar = { x: s.x, y: s.y, width, height: 48 }
  const visible = workAreas.some((area) => intersects(titleBar, area, 32))
  return visible ? { x: Math.round(s.x), y: Math.round(s.y), width, height, maximized } : { width, height, maximized }
}

export interface TrackedWindow {
  on(event: 'resize' | 'move' | 'close', listener: () => void): unknown
  getNormalBounds(): Rect
  isMaximized(): boolean
}

/** Save the window state shortly after it settles, and at once when the window closes. */
export function trackWindowState(
  win: TrackedWindow,
  save: (state: WindowState) => void,
  timers: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout } = globalThis,
  delayMs = 400,
): void {
  let pending: ReturnType<typeof setTimeout> | undefined
  const snapshot = () => ({ ...win.getNormalBounds(), maximized: win.isMaximized() })
  const schedule = () => {
    if (pending !== undefined) timers.clearTimeout(pending)
    pending = timers.setTimeout(() => {
      pending = undefined
      save(snapshot())
    }, delayMs)
  }
  win.on('resize', schedule)
  win.on('move', schedule)
  win.on('close', () => {
    if (pending !== undefined) timers.clearTimeout(pending)
    pending = undefined
    save(snapshot())
  })
}
