// Creates the main window with the secure defaults and the remembered bounds.
import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron'
import { secureWebPreferences } from './security'
import { MIN_SIZE, type WindowState } from './window-state'

export interface MainWindowOptions {
  state: WindowState
  preload: string
  title: string
  backgroundColor: string
}

export function mainWindowOptions({
  state,
  preload,
  title,
  backgroundColor,
}: MainWindowOptions): BrowserWindowConstructorOptions {
  return {
    title,
    x: state.x,
    y: state.y,
    width: state.width,
    height: state.height,
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false, // shown on ready-to-show, so the user never sees a blank white frame
    backgroundColor,
    webPreferences: secureWebPreferences(preload),
  }
}

type WindowCtor = new (options: BrowserWindowConstructorOptions) => BrowserWindow

export function createMainWindow(Ctor: WindowCtor, options: MainWindowOptions, url: string): BrowserWindow {
  const win = new Ctor(mainWindowOptions(options))
  win.once('ready-to-show', () => {
    if (options.state.maximized) win.maximize()
    win.show()
  })
  void win.loadURL(url)
  return win
}
