// The application menu, per platform: macOS gets the app menu; every platform gets an Edit menu so
// copy and paste work in text fields; reload and developer tools exist only in development.
import type { MenuItemConstructorOptions } from 'electron'

export type MenuView = 'create' | 'queue' | 'library' | 'usage' | 'settings'

export interface MenuOptions {
  platform: NodeJS.Platform | string
  isDev: boolean
  appName: string
  /** Opens a view in the window (the renderer is told through ui:navigate). */
  navigate?: (view: MenuView) => void
}

export function buildMenuTemplate({
  platform,
  isDev,
  appName,
  navigate = () => {},
}: MenuOptions): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin'
  const template: MenuItemConstructorOptions[] = []
  if (isMac) template.push({ label: appName, role: 'appMenu' })
  template.push({
    label: 'File',
    submenu: [
      { label: 'New Video', accelerator: 'CmdOrCtrl+N', click: () => navigate('create') },
      { type: 'separator' },
      { label: isMac ? 'Settings…' : 'Settings', accelerator: 'CmdOrCtrl+,', click: () => navigate('settings') },
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  })
  template.push({
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      ...(isMac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
      { role: 'delete' },
      { type: 'separator' },
      { role: 'selectAll' },
    ],
  })
  template.push({
    label: 'View',
    submenu: [
      { label: 'Create', accelerator: 'CmdOrCtrl+1', click: () => navigate('create') },
      { label: 'Queue', accelerator: 'CmdOrCtrl+2', click: () => navigate('queue') },
      { label: 'Library', accelerator: 'CmdOrCtrl+3', click: () => navigate('library') },
      { label: 'Usage', accelerator: 'CmdOrCtrl+4', click: () => navigate('usage') },
      { type: 'separator' },
      ...(isDev
        ? ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const)
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  })
  template.push({ label: 'Window', role: 'windowMenu' })
  return template
}
