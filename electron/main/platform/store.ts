// The shell's own small store (window state). One of the only runtime importers of electron-store.
import Store from 'electron-store'
import type { WindowState } from '../window-state'

interface ShellState {
  window?: WindowState
}

export function createShellStore(cwd: string): { loadWindow(): unknown; saveWindow(state: WindowState): void } {
  // clearInvalidConfig: a corrupt file is replaced by defaults rather than crashing the app.
  const store = new Store<ShellState>({ name: 'window-state', cwd, clearInvalidConfig: true })
  return {
    loadWindow: () => store.get('window'),
    saveWindow: (state) => store.set('window', state),
  }
}
