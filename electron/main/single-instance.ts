// One running app per user: a second launch hands over to the first window and quits.
import type { App } from 'electron'

type AppLike = Pick<App, 'requestSingleInstanceLock' | 'quit'> & {
  on(event: 'second-instance', listener: () => void): unknown
}

/** Returns false (and quits) when another instance already holds the lock. */
export function claimSingleInstance(app: AppLike, focusExisting: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return false
  }
  app.on('second-instance', focusExisting)
  return true
}

/** Bring a window to the front, restoring it if minimised. */
export function focusWindow(
  win: { isMinimized(): boolean; restore(): void; show(): void; focus(): void } | null | undefined,
): void {
  if (!win) return
  if (win.isMinimized()) win.restore()
  win.show()
  win.focus()
}
