// A recording stand-in for Electron's main-process API, for the boot test (test/main/boot.test.ts): the built
// main bundle imports `electron` and gets this module instead (see hooks.mjs). It enforces the rules Electron
// documents, and a break of one is recorded and thrown, as Electron throws:
//   - protocol.registerSchemesAsPrivileged: before `ready`, once (https://www.electronjs.org/docs/latest/api/protocol)
//   - protocol.handle, BrowserWindow, session.defaultSession: only once `ready` has fired
//   - app.requestSingleInstanceLock: the lock is held by another instance when BOOT_LOCK_HELD=1
// It talks to the test over the child-process IPC channel: it reports what the app did, and runs the test's
// commands (invoke an IPC handler as the window's page would, fetch through a registered protocol, quit).
import { EventEmitter } from 'node:events'
import { mkdirSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const repoRoot = path.resolve(import.meta.dirname, '../../..')
const state = {
  ready: false,
  privileged: null,
  lockRequests: 0,
  violations: [],
  handlers: new Map(),
  protocols: new Map(),
  windows: [],
  errorBoxes: [],
  menuSet: false,
}

function report(message) {
  process.send?.(message)
}

function rule(ok, message) {
  if (ok) return
  state.violations.push(message)
  report({ type: 'violation', message })
  throw new Error(message)
}

class WebContents extends EventEmitter {
  constructor(win) {
    super()
    this.win = win
  }
  send(channel, payload) {
    report({ type: 'send', channel, payload })
  }
  getURL() {
    return this.win.url ?? ''
  }
  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler
  }
  startDrag() {}
  isDestroyed() {
    return false
  }
}

// ── app ──────────────────────────────────────────────────────────────────────────────────────────────────────
const paths = new Map()
const scratch = path.join(process.env.BOOT_SCRATCH ?? os.tmpdir(), 'electron-paths')
for (const name of ['home', 'appData', 'temp', 'logs', 'downloads', 'videos', 'userData']) {
  paths.set(name, path.join(scratch, name))
}
let readyResolve
const readyPromise = new Promise((resolve) => {
  readyResolve = resolve
})
let quitting = false

class App extends EventEmitter {
  isPackaged = false
  name = 'Electron'
  whenReady() {
    return readyPromise
  }
  isReady() {
    return state.ready
  }
  setName(name) {
    this.name = name
  }
  getName() {
    return this.name
  }
  getVersion() {
    return JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version
  }
  getPath(name) {
    const p = paths.get(name)
    if (!p) throw new Error(`Failed to get '${name}' path`)
    mkdirSync(p, { recursive: true })
    return p
  }
  setPath(name, p) {
    rule(path.isAbsolute(p), `app.setPath('${name}') needs an absolute path, got ${p}`)
    paths.set(name, p)
  }
  requestSingleInstanceLock() {
    state.lockRequests += 1
    return process.env.BOOT_LOCK_HELD !== '1'
  }
  setBadgeCount() {
    return true
  }
  quit() {
    if (quitting) return
    const event = {
      defaultPrevented: false,
      preventDefault() {
        event.defaultPrevented = true
      },
    }
    this.emit('before-quit', event)
    if (event.defaultPrevented) return
    quitting = true
    this.emit('will-quit', { preventDefault() {} })
    this.emit('quit')
    report({ type: 'quit', state: snapshot() })
    // As Electron ends the process once quit has run its course.
    setImmediate(() => process.exit(0))
  }
}
export const app = new App()

// ── protocol and session ─────────────────────────────────────────────────────────────────────────────────────
export const protocol = {
  registerSchemesAsPrivileged(schemes) {
    rule(!state.ready, 'protocol.registerSchemesAsPrivileged must be called before the app is ready')
    rule(state.privileged === null, 'protocol.registerSchemesAsPrivileged can be called only once')
    state.privileged = schemes.map((s) => ({ scheme: s.scheme, privileges: s.privileges }))
  },
  handle(scheme, handler) {
    rule(state.ready, `protocol.handle('${scheme}') before the app is ready`)
    rule(!state.protocols.has(scheme), `protocol.handle('${scheme}') twice`)
    state.protocols.set(scheme, handler)
  },
  isProtocolHandled(scheme) {
    return state.protocols.has(scheme)
  },
}

const defaultSession = {
  setPermissionRequestHandler(h) {
    this.permissionRequest = h
  },
  setPermissionCheckHandler(h) {
    this.permissionCheck = h
  },
  webRequest: { onHeadersReceived() {} },
  on() {},
}
export const session = {
  get defaultSession() {
    rule(state.ready, 'session.defaultSession used before the app is ready')
    return defaultSession
  },
}

// ── windows ──────────────────────────────────────────────────────────────────────────────────────────────────
const windows = []
export class BrowserWindow extends EventEmitter {
  static getAllWindows() {
    return windows.filter((w) => !w.destroyed)
  }
  constructor(options) {
    rule(state.ready, 'new BrowserWindow() before the app is ready')
    super()
    this.options = options
    this.url = null
    this.destroyed = false
    this.webContents = new WebContents(this)
    windows.push(this)
    app.emit('web-contents-created', {}, this.webContents)
  }
  loadURL(url) {
    this.url = url
    report({
      type: 'window',
      url,
      webPreferences: this.options.webPreferences,
      show: this.options.show,
    })
    setImmediate(() => this.emit('ready-to-show'))
    return Promise.resolve()
  }
  show() {}
  focus() {}
  restore() {}
  maximize() {}
  isMaximized() {
    return false
  }
  isMinimized() {
    return false
  }
  isDestroyed() {
    return this.destroyed
  }
  getNormalBounds() {
    return { x: 0, y: 0, width: this.options.width ?? 1200, height: this.options.height ?? 800 }
  }
  getBounds() {
    return this.getNormalBounds()
  }
}

// ── the rest the shell touches ───────────────────────────────────────────────────────────────────────────────
export const ipcMain = {
  handle(channel, listener) {
    rule(!state.handlers.has(channel), `Attempted to register a second handler for '${channel}'`)
    state.handlers.set(channel, listener)
  },
  removeHandler(channel) {
    state.handlers.delete(channel)
  },
  on() {},
}

export const dialog = {
  showErrorBox(title, content) {
    state.errorBoxes.push({ title, content })
    report({ type: 'error-box', title, content })
  },
  async showOpenDialog() {
    return { canceled: true, filePaths: [] }
  },
}

export const Menu = {
  buildFromTemplate: (template) => ({ template }),
  setApplicationMenu() {
    state.menuSet = true
  },
}

export class Notification extends EventEmitter {
  static isSupported() {
    return false
  }
  show() {}
}

export const nativeTheme = Object.assign(new EventEmitter(), { themeSource: 'system', shouldUseDarkColors: false })
export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] }
export const shell = {
  trashItem: async () => {},
  showItemInFolder() {},
  openExternal: async () => {},
  openPath: async () => '',
}

export default {
  app,
  protocol,
  session,
  BrowserWindow,
  ipcMain,
  dialog,
  Menu,
  Notification,
  nativeTheme,
  screen,
  shell,
}

// ── the test's side ──────────────────────────────────────────────────────────────────────────────────────────
function snapshot() {
  return {
    ready: state.ready,
    privileged: state.privileged,
    lockRequests: state.lockRequests,
    violations: state.violations,
    channels: [...state.handlers.keys()].sort(),
    protocols: [...state.protocols.keys()].sort(),
    windows: windows.length,
    errorBoxes: state.errorBoxes,
    menuSet: state.menuSet,
  }
}

async function command(message) {
  switch (message.cmd) {
    case 'state':
      return snapshot()
    case 'invoke': {
      // As Electron's IPC delivers it: the sender is the main frame of the window's loaded page.
      const handler = state.handlers.get(message.channel)
      if (!handler) throw new Error(`No handler registered for '${message.channel}'`)
      const url = message.senderUrl ?? windows[0]?.url ?? ''
      return handler({ senderFrame: { url, parent: message.subFrame ? {} : null } }, message.payload)
    }
    case 'fetch': {
      const scheme = new URL(message.url).protocol.slice(0, -1)
      const handler = state.protocols.get(scheme)
      if (!handler) throw new Error(`No protocol handler for ${scheme}:`)
      const response = await handler(new Request(message.url))
      const text = await response.text()
      return { status: response.status, type: response.headers.get('content-type'), text: text.slice(0, 2000) }
    }
    case 'quit':
      app.quit()
      return null
    default:
      throw new Error(`Unknown command ${message.cmd}`)
  }
}

process.on('message', (message) => {
  command(message).then(
    (result) => report({ type: 'reply', id: message.id, result }),
    (error) => report({ type: 'reply', id: message.id, error: String(error?.stack ?? error) }),
  )
})
process.on('uncaughtException', (error) => {
  report({ type: 'crash', error: String(error?.stack ?? error) })
  process.exit(70)
})
process.on('unhandledRejection', (error) => {
  report({ type: 'crash', error: String(error?.stack ?? error) })
  process.exit(70)
})

// Electron emits `ready` once the main script has run: the whole module graph is evaluated in one pass,
// so a macrotask scheduled now runs after it.
setImmediate(() => {
  state.ready = true
  app.emit('ready')
  readyResolve()
  report({ type: 'ready' })
})
