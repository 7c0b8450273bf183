// The harness's transport-independent half, shared by the Playwright fixture (start.ts) and the browser preview
// (`npm run ui`, preview.ts): the built renderer served over HTTP by the app's own app: handler, the app's media:
// handler under /__media/, and the real handler table (registerHandlers: schema and sender checks) over the real
// engine on the built-in Sandbox. Only Electron's IPC transport is left to the caller.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { createAppInfo } from '../../../electron/core/app-info'
import { type Engine, openEngine } from '../../../electron/core/engine'
import { APP_NAME, defaultDataPaths } from '../../../electron/core/paths'
import { Keychain, type KeytarLike } from '../../../electron/core/secrets/keychain'
import { createRendererHandler } from '../../../electron/main/app-protocol'
import { createHandlers, forwardEvents } from '../../../electron/main/handlers'
import { createSenderPolicy, type InvokeEventLike, registerHandlers } from '../../../electron/main/ipc'
import { createMediaHandler } from '../../../electron/main/media-protocol'
import { sandboxOnDemand } from '../../../electron/sandbox/on-demand'
import type { Sandbox } from '../../../electron/sandbox/server'
import type { DataPaths } from '../../../electron/shared/model'
import { FakeIpcMain } from '../../fakes/electron'
import { serveHandler } from './http'
import { rendererDir, repoRoot } from './paths'

type Handler = (request: Request) => Promise<Response>

export interface HarnessCoreOptions {
  /** The data folder's home: settings, journal and library live under it. */
  home: string
  /** Seconds each Sandbox job takes to generate (1: fast, for tests). */
  genSeconds?: number
  /** Answers requests before the renderer does (null: not mine); the preview's bridge and token gate. */
  route?: (request: Request, next: Handler) => Promise<Response>
  /** Where main → renderer events go, as webContents.send would deliver them. */
  emit(channel: string, payload: unknown): void
  /** Keychain service name, so nothing touches a developer's real key. */
  keychainService: string
  /** The keychain's store (default: the OS keychain); the preview keeps its key in memory. */
  keychainBackend?: KeytarLike
}

export interface HarnessCore {
  /** Where the renderer is served (http://127.0.0.1:port). */
  url: string
  paths: DataPaths
  engine: Engine
  /** The built-in Sandbox the harness started for the engine, as main does (null until a door needed it). */
  sandbox(): Sandbox | null
  /** Run one IPC request through the real handler table, as ipcMain would. */
  invoke(channel: string, payload: unknown, sender: InvokeEventLike): Promise<unknown>
  /** What the OS folder picker answers next (null: the user cancels). */
  answerFolderPicker(dir: string | null): void
  /** What the OS file picker answers next for a batch CSV (null: the user cancels). */
  answerCsvPicker(file: string | null): void
  close(): Promise<void>
}

const version = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version

export async function startHarnessCore(options: HarnessCoreOptions): Promise<HarnessCore> {
  let media: Handler | null = null
  const renderer = createRendererHandler(rendererDir, null)
  const files: Handler = (request) =>
    new URL(request.url).pathname.startsWith('/__media/') && media ? media(request) : renderer(request)
  const served = await serveHandler((request) => (options.route ? options.route(request, files) : files(request)))
  const paths = defaultDataPaths({ platform: process.platform, home: options.home, env: {} })
  const appInfo = createAppInfo({
    name: APP_NAME,
    version,
    platform: process.platform,
    arch: process.arch,
    versions: process.versions,
    paths,
  })
  // As on a fresh machine: no key, so the engine runs the built-in Sandbox.
  const seconds = options.genSeconds ?? 1
  // As main does: the harness starts the Sandbox (on the engine's first need) and closes it after the engine.
  const sandbox = sandboxOnDemand({ genSeconds: { min: seconds, max: seconds } })
  const engine = await openEngine({
    paths,
    role: 'app',
    sandbox: 'setting',
    sandboxDoors: sandbox.start,
    keychain: new Keychain({ env: {}, service: options.keychainService, backend: options.keychainBackend }),
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
      onEngineChanged: (p) => options.emit('engine:changed', p),
    }),
    createSenderPolicy([served.url]),
  )
  const stopEvents = forwardEvents(engine, options.emit)
  return {
    url: served.url,
    paths,
    engine,
    sandbox: () => sandbox.running(),
    invoke: (channel, payload, sender) => ipc.invoke(channel, payload, sender),
    answerFolderPicker(dir) {
      folderAnswer = dir
    },
    answerCsvPicker(file) {
      csvAnswer = file
    },
    async close() {
      stopEvents()
      await engine.close()
      await sandbox.close()
      await served.close()
    },
  }
}
