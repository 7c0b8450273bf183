// Composition root of the desktop shell: wires Electron to the engine and nothing more.
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  Notification,
  nativeTheme,
  protocol,
  screen,
  session,
  shell,
} from 'electron'
import { createAppInfo } from '../core/app-info'
import { type Engine, openEngine } from '../core/engine'
import { APP_NAME, defaultDataPaths } from '../core/paths'
import { type SandboxOnDemand, sandboxOnDemand } from '../sandbox/on-demand'
import { genSecondsFromEnv } from '../sandbox/options'
import { contentSecurityPolicy } from '../shared/csp'
import type { DataPaths } from '../shared/model'
import { APP_ORIGIN, APP_SCHEME, APP_SCHEME_PRIVILEGES, createRendererHandler } from './app-protocol'
import { createExportPicker } from './export-dialog'
import { createHandlers, forwardEvents } from './handlers'
import { createSenderPolicy, originOf, registerHandlers } from './ipc'
import { createKeyOriginConfirm } from './key-origin-dialog'
import { createMediaHandler, MEDIA_BASE, MEDIA_SCHEME, MEDIA_SCHEME_PRIVILEGES } from './media-protocol'
import { buildMenuTemplate, type MenuView } from './menu'
import { applyTheme, createBadgeUpdater, createJobNotifier } from './native'
import { openSettingsStore } from './platform/settings-store'
import { createShellStore } from './platform/store'
import { createPermissionPolicy, hardenWebContents, safeOpenExternal } from './security'
import { claimSingleInstance, focusWindow } from './single-instance'
import { createMainWindow } from './window'
import { restoreWindowState, trackWindowState } from './window-state'

interface ShellConfig {
  paths: DataPaths
  /** The Vite dev server in development, else the app: protocol. */
  rendererUrl: string
  devServerUrl: string | undefined
}

function configureSession({ rendererUrl, devServerUrl }: ShellConfig): void {
  const appOrigin = originOf(rendererUrl) ?? APP_ORIGIN
  const permissions = createPermissionPolicy((url) => originOf(url) === appOrigin)
  session.defaultSession.setPermissionRequestHandler(permissions.request)
  session.defaultSession.setPermissionCheckHandler(permissions.check)
  protocol.handle(APP_SCHEME, createRendererHandler(fileURLToPath(new URL('../renderer', import.meta.url))))
  if (devServerUrl) {
    // Production pages get the CSP from the app: protocol's header and a <meta>; the dev server needs a looser one.
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({
        responseHeaders: {
          ...details.responseHeaders,
          'Content-Security-Policy': [contentSecurityPolicy({ dev: true })],
        },
      })
    })
  }
}

/** The app icon, for drags of a video without a thumbnail (shipped as an extra resource, see electron-builder.yml). */
function appIcon(): string {
  return app.isPackaged
    ? path.join(process.resourcesPath, 'icon.png')
    : fileURLToPath(new URL('../../resources/icon.png', import.meta.url))
}

/**
 * Start the engine, with the built-in Sandbox it starts on first need (a door with no key); explain and quit if
 * it cannot start. Main owns the Sandbox (issue 10, point 3): the engine gets its doors, main closes it.
 */
async function startEngine(config: ShellConfig, sandbox: SandboxOnDemand): Promise<Engine | null> {
  try {
    // Settings live in electron-store's config.json, the very file (and schema) the CLI reads.
    const settingsStore = await openSettingsStore(config.paths)
    return await openEngine({
      saveSettings: (settings) => void settingsStore.update(settings),
      paths: config.paths,
      role: 'app',
      sandbox: 'setting',
      sandboxDoors: sandbox.start,
      trash: (file) => shell.trashItem(file),
    })
  } catch (error) {
    await sandbox.close().catch(() => undefined)
    dialog.showErrorBox('Seedance Studio cannot start', (error as Error).message)
    app.quit()
    return null
  }
}

function start(config: ShellConfig): void {
  let mainWindow: BrowserWindow | null = null
  if (!claimSingleInstance(app, () => focusWindow(mainWindow))) return

  const openExternal = (url: string) => safeOpenExternal(url, (u) => shell.openExternal(u))
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, openExternal))
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })

  void app.whenReady().then(async () => {
    configureSession(config)
    // The Sandbox's lines go to the engine's log once it is open (the Sandbox starts while it opens: those are dropped).
    let engineLog: ((line: string) => void) | null = null
    const sandbox = sandboxOnDemand({
      ...genSecondsFromEnv(process.env.SEEDANCE_SANDBOX_GEN_SECONDS),
      log: (line) => engineLog?.(`sandbox: ${line}`),
    })
    const engine = await startEngine(config, sandbox)
    if (!engine) return
    engineLog = (line) => engine.logger.info(line)
    protocol.handle(
      MEDIA_SCHEME,
      createMediaHandler(() => ({ library: engine.library.dir, thumbs: engine.library.thumbsDir })),
    )
    // Let the engine finish its journal and library writes before the process ends.
    let closed = false
    app.on('before-quit', (event) => {
      if (closed) return
      event.preventDefault()
      // The engine first (it stops polling the Sandbox), then the Sandbox main started for it.
      void engine
        .close()
        .finally(() => sandbox.close())
        .finally(() => {
          closed = true
          app.quit()
        })
    })
    const broadcast = (channel: string, payload: unknown) => {
      for (const win of BrowserWindow.getAllWindows()) win.webContents.send(channel, payload)
    }
    const navigate = (view: MenuView, videoId: string | null = null) => {
      focusWindow(mainWindow)
      broadcast('ui:navigate', { view, videoId })
    }
    const isDev = config.devServerUrl !== undefined
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(buildMenuTemplate({ platform: process.platform, isDev, appName: APP_NAME, navigate })),
    )
    applyTheme(nativeTheme, engine.settings.theme)

    const appInfo = createAppInfo({
      name: APP_NAME,
      version: app.getVersion(),
      platform: process.platform,
      arch: process.arch,
      versions: process.versions,
      paths: config.paths,
    })
    // The OS picker for one file or folder, over the window when there is one; null when the user cancels.
    const pickOne = async (options: Electron.OpenDialogOptions) => {
      const picked = await (mainWindow ? dialog.showOpenDialog(mainWindow, options) : dialog.showOpenDialog(options))
      return picked.canceled ? null : (picked.filePaths[0] ?? null)
    }
    const handlers = createHandlers({
      appInfo,
      engine,
      mediaBase: MEDIA_BASE,
      reveal: (file) => shell.showItemInFolder(file),
      chooseFolder: () =>
        pickOne({
          title: 'Choose the library folder',
          buttonLabel: 'Use This Folder',
          defaultPath: engine.library.dir,
          properties: ['openDirectory', 'createDirectory', 'promptToCreate'],
        }),
      chooseCsv: () =>
        pickOne({
          title: 'Import a CSV batch',
          buttonLabel: 'Import',
          filters: [{ name: 'CSV', extensions: ['csv'] }],
          properties: ['openFile'],
        }),
      chooseVideoFile: (entry) =>
        pickOne({
          title: `Locate “${entry.title}”`,
          buttonLabel: 'Use This Video',
          defaultPath: engine.library.dir,
          filters: [{ name: 'MP4 video', extensions: ['mp4'] }],
          properties: ['openFile'],
        }),
      // A new service address takes the stored key along only if the user says so here (issue 9).
      confirmKeyOrigin: createKeyOriginConfirm(dialog, () => mainWindow),
      // Sequence (issue 11): the export's destination is picked here, in main (the engine embeds its settings).
      chooseExportFile: createExportPicker(
        dialog,
        () => mainWindow,
        () => app.getPath('videos'),
      ),
      // A drag needs an icon: the thumbnail, or the app icon when the video has none.
      startDrag: (file, icon) => mainWindow?.webContents.startDrag({ file, icon: icon ?? appIcon() }),
      onEngineChanged: (p) => {
        applyTheme(nativeTheme, engine.settings.theme)
        broadcast('engine:changed', p)
      },
    })
    registerHandlers(ipcMain, handlers, createSenderPolicy([config.rendererUrl]))
    forwardEvents(engine, broadcast)
    const notify = createJobNotifier({
      Notification,
      supported: () => Notification.isSupported(),
      enabled: () => engine.settings.notifications,
      open: (job) => navigate(job.state === 'done' ? 'library' : 'queue', job.videoId),
    })
    const badge = createBadgeUpdater((n) => app.setBadgeCount(n))
    engine.jobs.onChange((job) => {
      notify(job)
      badge(engine.jobs.list())
    })

    const store = createShellStore(config.paths.userData)
    const preload = fileURLToPath(new URL('../preload/index.cjs', import.meta.url))
    const openWindow = () => {
      const state = restoreWindowState(
        store.loadWindow(),
        screen.getAllDisplays().map((d) => d.workArea),
      )
      const win = createMainWindow(
        BrowserWindow,
        { state, preload, title: APP_NAME, backgroundColor: '#111318' },
        config.rendererUrl,
      )
      trackWindowState(win, (s) => store.saveWindow(s))
      win.on('closed', () => {
        mainWindow = null
      })
      mainWindow = win
    }
    openWindow()
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow()
    })
  })
}

const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL
const paths = defaultDataPaths({ platform: process.platform, home: os.homedir(), env: process.env })
// Before ready: the app and the CLI share this data folder; the app: scheme must be privileged early.
app.setName(APP_NAME)
app.setPath('userData', paths.userData)
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES, MEDIA_SCHEME_PRIVILEGES])
start({ paths, devServerUrl, rendererUrl: devServerUrl ?? `${APP_ORIGIN}/index.html` })
