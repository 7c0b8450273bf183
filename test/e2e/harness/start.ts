// The browser test harness, shared by the Playwright fixture and the UI benchmark: the built renderer served
// over HTTP, window.seedance built by the real bridge factory, and every call routed through the real
// registerHandlers (schema and sender checks) into the real engine. Only Electron's transport is replaced.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Page } from '@playwright/test'
import { createAppInfo } from '../../../electron/core/app-info'
import { type Engine, openEngine } from '../../../electron/core/engine'
import { APP_NAME, defaultDataPaths } from '../../../electron/core/paths'
import { Keychain } from '../../../electron/core/secrets/keychain'
import { createRendererHandler } from '../../../electron/main/app-protocol'
import { createHandlers, forwardEvents } from '../../../electron/main/handlers'
import { createSenderPolicy, registerHandlers } from '../../../electron/main/ipc'
import { createMediaHandler } from '../../../electron/main/media-protocol'
import type { DataPaths } from '../../../electron/shared/model'
import { FakeIpcMain } from '../../fakes/electron'
import { serveHandler } from './http'
import { harnessBundle, rendererDir, repoRoot } from './paths'

export interface Harness {
  /** Where the renderer is served. */
  url: string
  paths: DataPaths
  /** The real engine behind the page (with the in-process Sandbox, as on a fresh machine). */
  engine: Engine
  /** Open the app in the page, as a window load would. */
  open(): Promise<void>
  /** Push a main → renderer event, as webContents.send does; returns how many listeners got it. */
  emit(channel: string, payload: unknown): Promise<number>
  /** What the OS folder picker answers next (null: the user cancels), as a user choosing in the dialog. */
  answerFolderPicker(dir: string | null): void
  /** What the OS file picker answers next for a batch CSV (null: the user cancels). */
  answerCsvPicker(file: string | null): void
}

const version = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version

export async function startHarness(page: Page, home: string): Promise<{ harness: Harness; close(): Promise<void> }> {
  // The renderer under test and, under /__media/, the app's media: handler over the same origin.
  let media: ((r: Request) => Promise<Response>) | null = null
  const renderer = createRendererHandler(rendererDir, null)
  const served = await serveHandler((request) => {
    const { pathname } = new URL(request.url)
    return pathname.startsWith('/__media/') && media ? media(request) : renderer(request)
  })
  const paths = defaultDataPaths({ platform: process.platform, home, env: {} })
  const appInfo = createAppInfo({
    name: APP_NAME,
    version,
    platform: process.platform,
    arch: process.arch,
    versions: process.versions,
    paths,
  })
  // As on a fresh machine: no key, so the engine runs the built-in Sandbox (fast generations for tests).
  const engine = await openEngine({
    paths,
    role: 'app',
    sandbox: 'setting',
    // A keychain entry of its own, so tests never touch a developer's real key.
    keychain: new Keychain({ env: {}, service: `Seedance Studio e2e ${process.pid}` }),
    sandboxOptions: { genSeconds: { min: 1, max: 1 } },
  })
  let folderAnswer: string | null = null
  let csvAnswer: string | null = null
  media = createMediaHandler(() => ({ library: engine.library.dir, thumbs: engine.library.thumbsDir }))
  const ipc = new FakeIpcMain()
  registerHandlers(
    ipc,
    createHandlers({
      appInfo,
      engine,
      mediaBase: `${served.url}/__media/`,
      chooseFolder: async () => folderAnswer,
      chooseCsv: async () => csvAnswer,
      onEngineChanged: (p) => void emit('engine:changed', p).catch(() => 0),
    }),
    createSenderPolicy([served.url]),
  )
  // Main → renderer events, as webContents.send delivers them; the page may be between documents.
  const emit = (channel: string, payload: unknown) =>
    page.evaluate(
      ([c, p]) =>
        (window as unknown as { __seedanceHarness?: { emit(c: string, p: unknown): number } }).__seedanceHarness?.emit(
          c,
          p,
        ) ?? 0,
      [channel, payload] as const,
    )
  const stopEvents = forwardEvents(engine, (channel, payload) => void emit(channel, payload).catch(() => 0))

  await page.exposeBinding('__seedanceInvoke', (source, channel: string, payload: unknown) =>
    ipc.invoke(channel, payload, {
      senderFrame: { url: source.frame.url(), parent: source.frame.parentFrame() },
    }),
  )
  await page.addInitScript({ path: harnessBundle })

  const harness: Harness = {
    url: served.url,
    paths,
    engine,
    async open() {
      await page.goto(`${served.url}/index.html`)
    },
    emit,
    answerFolderPicker(dir) {
      folderAnswer = dir
    },
    answerCsvPicker(file) {
      csvAnswer = file
    },
  }
  return {
    harness,
    async close() {
      stopEvents()
      await engine.close()
      await served.close()
    },
  }
}
