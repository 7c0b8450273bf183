import type { BrowserWindowConstructorOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import { createMainWindow, mainWindowOptions } from '../../electron/main/window'
import { FakeEmitter } from '../fakes/electron'

class FakeBrowserWindow extends FakeEmitter {
  static last: FakeBrowserWindow | undefined
  loaded: string | undefined
  shown = false
  maximized = false
  constructor(readonly options: BrowserWindowConstructorOptions) {
    super()
    FakeBrowserWindow.last = this
  }
  async loadURL(url: string) {
    this.loaded = url
  }
  show() {
    this.shown = true
  }
  maximize() {
    this.maximized = true
  }
}

const base = { preload: '/p.cjs', title: 'Seedance Studio', backgroundColor: '#111318' }

describe('mainWindowOptions', () => {
  it('creates the window hidden, with the remembered bounds and secure web preferences', () => {
    const o = mainWindowOptions({ ...base, state: { x: 5, y: 6, width: 1300, height: 900, maximized: false } })
    expect(o).toMatchObject({ x: 5, y: 6, width: 1300, height: 900, show: false })
    expect(o.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false })
  })
})

describe('createMainWindow', () => {
  it('loads the renderer and shows the window when ready, maximised if it was', () => {
    createMainWindow(
      FakeBrowserWindow as unknown as Parameters<typeof createMainWindow>[0],
      { ...base, state: { width: 1300, height: 900, maximized: true } },
      'app://renderer/index.html',
    )
    const win = FakeBrowserWindow.last
    expect(win?.loaded).toBe('app://renderer/index.html')
    expect(win?.shown).toBe(false)
    win?.emit('ready-to-show')
    expect(win?.shown).toBe(true)
    expect(win?.maximized).toBe(true)
  })
})
