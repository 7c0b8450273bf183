// Security policies for every web contents the app creates, as small functions over injected Electron
// objects (typed with `import type`) so each rule is unit-tested with a fake.
import type { HandlerDetails, WebContents, WebPreferences } from 'electron'

/** The web preferences every window gets. Never relax these: the renderer is untrusted. */
export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: true,
  }
}

/** Open a link in the user's browser only if it is https; anything else (file:, javascript:, custom schemes) is refused. */
export function safeOpenExternal(url: string, open: (url: string) => Promise<void> | void): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (parsed.protocol !== 'https:') return false
  void open(parsed.href)
  return true
}

type ContentsLike = Pick<WebContents, 'on' | 'setWindowOpenHandler'>

/**
 * Lock down a web contents: no navigation away from the app, no new windows (https links go to the
 * browser instead), no <webview>.
 */
export function hardenWebContents(contents: ContentsLike, openExternal: (url: string) => boolean): void {
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler((details: HandlerDetails) => {
    openExternal(details.url)
    return { action: 'deny' }
  })
}

/** Permissions the app actually uses: fullscreen for the player, writing text to the clipboard (copy prompt). */
export const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(['fullscreen', 'clipboard-sanitized-write'])

/**
 * Decide a permission request: granted only for the permissions above, and only to the app's own origin.
 * Camera, microphone, geolocation, notifications (shown by main, not the page), MIDI, HID, USB… are denied.
 */
export function createPermissionPolicy(isAppOrigin: (url: string) => boolean) {
  const allows = (permission: string, url: string) => GRANTED_PERMISSIONS.has(permission) && isAppOrigin(url)
  return {
    request(
      webContents: { getURL(): string } | null,
      permission: string,
      callback: (granted: boolean) => void,
      details?: { requestingUrl?: string },
    ): void {
      callback(allows(permission, details?.requestingUrl ?? webContents?.getURL() ?? ''))
    },
    check(_webContents: unknown, permission: string, requestingOrigin: string): boolean {
      return allows(permission, requestingOrigin)
    },
  }
}
