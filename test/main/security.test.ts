import type { HandlerDetails } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import {
  createPermissionPolicy,
  hardenWebContents,
  safeOpenExternal,
  secureWebPreferences,
} from '../../electron/main/security'
import { FakeEmitter, fakeEvent } from '../fakes/electron'

class FakeContents extends FakeEmitter {
  openHandler: ((details: HandlerDetails) => { action: string }) | undefined
  setWindowOpenHandler(handler: (details: HandlerDetails) => { action: string }) {
    this.openHandler = handler
  }
}

function hardened() {
  const contents = new FakeContents()
  const opened: string[] = []
  const openExternal = (url: string) => safeOpenExternal(url, (u) => void opened.push(u))
  // biome-ignore lint/suspicious/noExplicitAny: the fake implements the subset hardenWebContents uses.
  hardenWebContents(contents as any, openExternal)
  return { contents, opened }
}

describe('secureWebPreferences', () => {
  it('sandboxes the renderer, isolates its context and gives it no Node', () => {
    const prefs = secureWebPreferences('/app/preload.cjs')
    expect(prefs.sandbox).toBe(true)
    expect(prefs.contextIsolation).toBe(true)
    expect(prefs.nodeIntegration).toBe(false)
    expect(prefs.nodeIntegrationInWorker).toBe(false)
    expect(prefs.nodeIntegrationInSubFrames).toBe(false)
    expect(prefs.webSecurity).toBe(true)
    expect(prefs.allowRunningInsecureContent).toBe(false)
    expect(prefs.webviewTag).toBe(false)
    expect(prefs.preload).toBe('/app/preload.cjs')
  })
})

describe('hardenWebContents', () => {
  it('prevents every navigation away from the app', () => {
    const { contents } = hardened()
    for (const name of ['will-navigate', 'will-redirect']) {
      const e = fakeEvent()
      contents.emit(name, e, 'https://evil.example/')
      expect(e.defaultPrevented, name).toBe(true)
    }
  })

  it('refuses to attach a <webview>', () => {
    const { contents } = hardened()
    const e = fakeEvent()
    contents.emit('will-attach-webview', e, {}, {})
    expect(e.defaultPrevented).toBe(true)
  })

  it('denies every new window, sending https links to the browser instead', () => {
    const { contents, opened } = hardened()
    const open = (url: string) => contents.openHandler?.({ url } as HandlerDetails)
    expect(open('https://seedance.tv/pricing')).toEqual({ action: 'deny' })
    expect(open('http://example.com/')).toEqual({ action: 'deny' })
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' })
    expect(opened).toEqual(['https://seedance.tv/pricing'])
  })
})

describe('safeOpenExternal', () => {
  it.each([
    'http://example.com',
    'file:///C:/Windows/System32/calc.exe',
    'javascript:alert(1)',
    'smb://host/share',
    'ms-msdt:/id',
    'not a url',
  ])('refuses %s', (url) => {
    const open = vi.fn()
    expect(safeOpenExternal(url, open)).toBe(false)
    expect(open).not.toHaveBeenCalled()
  })

  it('opens https links', () => {
    const open = vi.fn()
    expect(safeOpenExternal('https://seedance.tv/docs', open)).toBe(true)
    expect(open).toHaveBeenCalledWith('https://seedance.tv/docs')
  })
})

describe('createPermissionPolicy', () => {
  const policy = createPermissionPolicy((url) => url.startsWith('app://renderer'))
  const ask = (permission: string, url = 'app://renderer/index.html') => {
    let answer: boolean | undefined
    policy.request({ getURL: () => url }, permission, (granted) => {
      answer = granted
    })
    return answer
  }

  it.each([
    'media',
    'geolocation',
    'notifications',
    'midi',
    'midiSysex',
    'pointerLock',
    'openExternal',
    'hid',
    'serial',
    'usb',
    'clipboard-read',
    'display-capture',
    'idle-detection',
    'unknown',
  ])('denies %s', (permission) => {
    expect(ask(permission)).toBe(false)
    expect(policy.check(null, permission, 'app://renderer')).toBe(false)
  })

  it('grants fullscreen and clipboard writes to the app only', () => {
    expect(ask('fullscreen')).toBe(true)
    expect(ask('clipboard-sanitized-write')).toBe(true)
    expect(ask('fullscreen', 'https://evil.example/')).toBe(false)
    expect(policy.check(null, 'fullscreen', 'https://evil.example')).toBe(false)
  })
})
