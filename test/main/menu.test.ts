import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import { buildMenuTemplate } from '../../electron/main/menu'

function roles(template: MenuItemConstructorOptions[]): string[] {
  return template.flatMap((item) => [
    ...(item.role ? [item.role] : []),
    ...(Array.isArray(item.submenu) ? roles(item.submenu) : []),
  ])
}

function menu(label: string, template: MenuItemConstructorOptions[]) {
  const found = template.find((m) => m.label === label)
  return Array.isArray(found?.submenu) ? found.submenu : []
}

describe('buildMenuTemplate', () => {
  it('starts with the app menu on macOS only', () => {
    const mac = buildMenuTemplate({ platform: 'darwin', isDev: false, appName: 'Seedance Studio' })
    expect(mac[0]).toMatchObject({ role: 'appMenu', label: 'Seedance Studio' })
    for (const platform of ['win32', 'linux']) {
      const other = buildMenuTemplate({ platform, isDev: false, appName: 'Seedance Studio' })
      expect(roles(other)).not.toContain('appMenu')
      expect(roles(menu('File', other))).toContain('quit')
    }
  })

  it.each(['darwin', 'win32', 'linux'])('has an Edit menu with copy and paste on %s', (platform) => {
    const edit = roles(menu('Edit', buildMenuTemplate({ platform, isDev: false, appName: 'S' })))
    for (const role of ['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']) expect(edit).toContain(role)
  })

  it('has menu items with shortcuts for the main views', () => {
    const seen: string[] = []
    const template = buildMenuTemplate({ platform: 'linux', isDev: false, appName: 'S', navigate: (v) => seen.push(v) })
    const items = template.flatMap((m) => (Array.isArray(m.submenu) ? m.submenu : []))
    const byLabel = (label: string) => items.find((i) => i.label === label)
    expect(byLabel('New Video')).toMatchObject({ accelerator: 'CmdOrCtrl+N' })
    expect(byLabel('Settings')).toMatchObject({ accelerator: 'CmdOrCtrl+,' })
    expect(byLabel('Library')).toMatchObject({ accelerator: 'CmdOrCtrl+3' })
    for (const label of ['New Video', 'Queue', 'Library', 'Usage', 'Settings']) {
      const click = byLabel(label)?.click as unknown as () => void
      click()
    }
    expect(seen).toEqual(['create', 'queue', 'library', 'usage', 'settings'])
  })

  it('offers reload and developer tools only in development', () => {
    const prod = roles(buildMenuTemplate({ platform: 'linux', isDev: false, appName: 'S' }))
    expect(prod).not.toContain('reload')
    expect(prod).not.toContain('forceReload')
    expect(prod).not.toContain('toggleDevTools')
    const dev = roles(buildMenuTemplate({ platform: 'linux', isDev: true, appName: 'S' }))
    expect(dev).toContain('reload')
    expect(dev).toContain('toggleDevTools')
  })
})
