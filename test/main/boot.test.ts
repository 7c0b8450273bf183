// The composition root (electron/main/index.ts) as it ships: the BUILT main bundle, out/main/index.js, run by
// Node with `electron` resolved to a recording stand-in that enforces Electron's documented rules
// (test/fakes/electron-main), and the keychain binding to an in-memory one. It boots, opens its window, answers
// every contract channel, makes a video through the recorded ipcMain handler, and quits cleanly.
// Needs `npm run build` (npm test builds first); without out/ it is skipped, except under CI=true.
import { type ChildProcess, fork } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import vm from 'node:vm'
import { afterEach, describe, expect, it } from 'vitest'
import { INVOKE_CHANNELS } from '../../electron/shared/channels'

const root = path.resolve(import.meta.dirname, '../..')
const mainBundle = path.join(root, 'out/main/index.js')
const built = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'].every((f) =>
  existsSync(path.join(root, f)),
)
if (!built && process.env.CI) throw new Error('out/ is missing: CI runs `npm test`, which builds first')

type Message = { type: string; [key: string]: unknown }

interface Booted {
  child: ChildProcess
  messages: Message[]
  dir: string
  stderr: () => string
  waitFor(test: (m: Message) => boolean, what: string): Promise<Message>
  call(cmd: string, extra?: Record<string, unknown>): Promise<unknown>
  exited: Promise<number | null>
}

const running: Booted[] = []
afterEach(async () => {
  for (const b of running.splice(0)) {
    if (b.child.exitCode === null) b.child.kill('SIGKILL')
    await b.exited
    await rm(b.dir, { recursive: true, force: true })
  }
})

async function boot(env: Record<string, string> = {}): Promise<Booted> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'seedance-boot-'))
  const childEnv: Record<string, string | undefined> = {
    ...process.env,
    // Everything the app writes goes under one temporary folder; no developer data is read or touched.
    HOME: dir,
    XDG_CONFIG_HOME: path.join(dir, 'config'),
    BOOT_SCRATCH: dir,
    SEEDANCE_DATA_DIR: path.join(dir, 'data'),
    SEEDANCE_LIBRARY: path.join(dir, 'library'),
    SEEDANCE_SANDBOX_GEN_SECONDS: '1',
    ...env,
  }
  for (const k of ['ELECTRON_RENDERER_URL', 'SEEDANCE_API_KEY', 'NODE_OPTIONS']) delete childEnv[k]
  const child = fork(mainBundle, [], {
    cwd: root,
    execArgv: ['--import', './test/fakes/electron-main/register.mjs'],
    env: childEnv,
    serialization: 'advanced',
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  })
  let err = ''
  child.stderr?.on('data', (d) => {
    err += d
  })
  child.stdout?.resume()
  const messages: Message[] = []
  const waiters: Array<{ test: (m: Message) => boolean; resolve: (m: Message) => void }> = []
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  child.on('message', (m: Message) => {
    messages.push(m)
    for (const w of waiters.splice(0)) {
      if (w.test(m)) w.resolve(m)
      else waiters.push(w)
    }
  })
  let nextId = 0
  const b: Booted = {
    child,
    messages,
    dir,
    stderr: () => err,
    waitFor(test, what) {
      const seen = messages.find(test)
      if (seen) return Promise.resolve(seen)
      return new Promise((resolve, reject) => {
        waiters.push({ test, resolve })
        void exited.then((code) =>
          reject(new Error(`The app exited (${code}) before ${what}.\n${err}\n${JSON.stringify(messages.at(-1))}`)),
        )
      })
    },
    async call(cmd, extra = {}) {
      nextId += 1
      const id = nextId
      child.send({ cmd, id, ...extra })
      const reply = await b.waitFor((m) => m.type === 'reply' && m.id === id, `the answer to ${cmd}`)
      if (reply.error) throw new Error(String(reply.error))
      return reply.result
    },
    exited,
  }
  running.push(b)
  return b
}

interface Answer {
  ok: boolean
  data?: { job?: { id: string }; items?: Array<{ file: string }> }
  error?: { code: string }
}
const invoke = (b: Booted, channel: string, payload?: unknown, extra: Record<string, unknown> = {}) =>
  b.call('invoke', { channel, payload, ...extra }) as Promise<Answer>

/** Every file under dir whose name ends in .part. */
async function partFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true })
  return entries.filter((e) => e.endsWith('.part'))
}

/** Run the preload as Electron's sandboxed preload runs it: CommonJS, with only `electron` to require. */
function runPreload(file: string): Record<string, unknown> {
  const exposed: Record<string, unknown> = {}
  const electron = {
    contextBridge: {
      exposeInMainWorld(name: string, api: unknown) {
        exposed[name] = api
      },
    },
    ipcRenderer: { invoke: async () => ({ ok: true }), on() {}, removeListener() {} },
  }
  const module = { exports: {} }
  const sandboxedRequire = (id: string) => {
    if (id === 'electron') return electron
    throw new Error(`A sandboxed preload can require only electron, not ${id}`)
  }
  const wrapper = vm.runInNewContext(`(function (exports, require, module) {\n${readFileSync(file, 'utf8')}\n})`, {
    console,
  })
  wrapper(module.exports, sandboxedRequire, module)
  return exposed
}

describe.skipIf(!built)('the built app boots (out/main/index.js; run `npm run build` first, npm test does)', () => {
  it('follows Electron’s rules, opens its window, handles every channel, makes a video and quits cleanly', async () => {
    const app = await boot()
    const window = await app.waitFor((m) => m.type === 'window', 'opening its window')

    // The order Electron requires: privileged schemes before ready; protocols, session and windows after.
    const state = (await app.call('state')) as {
      violations: string[]
      errorBoxes: unknown[]
      lockRequests: number
      privileged: Array<{ scheme: string }>
      protocols: string[]
      channels: string[]
      menuSet: boolean
    }
    expect(state.violations).toEqual([])
    expect(state.errorBoxes).toEqual([])
    expect(state.lockRequests).toBe(1)
    expect(state.privileged.map((s) => s.scheme).sort()).toEqual(['app', 'media'])
    expect(state.protocols).toEqual(['app', 'media'])
    expect(state.menuSet).toBe(true)

    // The window: secure preferences, a preload that exists and runs as a sandboxed CommonJS script, the page.
    const prefs = window.webPreferences as Record<string, unknown>
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false })
    const preload = prefs.preload as string
    expect(path.relative(root, preload)).toBe(path.join('out', 'preload', 'index.cjs'))
    expect(Object.keys(runPreload(preload))).toEqual(['seedance'])
    expect(window.url).toBe('app://renderer/index.html')
    expect(existsSync(path.join(root, 'out/renderer/index.html'))).toBe(true)
    const page = (await app.call('fetch', { url: window.url })) as { status: number; type: string; text: string }
    expect(page).toMatchObject({ status: 200, type: expect.stringContaining('text/html') })
    expect(page.text).toContain('Content-Security-Policy')

    // Every contract channel has a handler; the page's own frame is trusted, a sub-frame is not.
    expect(state.channels).toEqual([...INVOKE_CHANNELS].sort())
    const status = await invoke(app, 'engine:status')
    // No key: the guide's API, through the Sandbox main started and handed to the engine (issue 10, point 3).
    expect(status).toMatchObject({
      ok: true,
      data: { provider: 'seedance', target: 'sandbox', libraryDir: path.join(app.dir, 'library') },
    })
    const doors = await invoke(app, 'providers:list')
    expect(doors).toMatchObject({
      ok: true,
      data: [{ id: 'seedance' }, { id: 'ark' }, { id: 'fal' }, { id: 'replicate' }],
    })
    expect(await invoke(app, 'engine:status', undefined, { subFrame: true })).toMatchObject({
      ok: false,
      error: { code: 'IPC_UNTRUSTED_SENDER' },
    })

    // A job submitted as the page submits it ends as a video in the library, its progress sent to the window.
    const submitted = await invoke(app, 'jobs:submit', { prompt: 'boot test harbour', duration: 1, resolution: '720p' })
    expect(submitted).toMatchObject({ ok: true, data: { job: { state: expect.any(String) } } })
    const jobId = submitted.data?.job?.id
    const done = await app.waitFor(
      (m) =>
        m.type === 'send' &&
        m.channel === 'jobs:changed' &&
        (m.payload as { id: string }).id === jobId &&
        ['done', 'failed'].includes((m.payload as { state: string }).state),
      'the job ended',
    )
    expect((done.payload as { state: string }).state).toBe('done')
    const library = await invoke(app, 'library:query', {})
    expect(library).toMatchObject({ ok: true, data: { total: 1, items: [{ prompt: 'boot test harbour' }] } })
    const file = library.data?.items?.[0]?.file ?? ''
    expect(existsSync(path.join(app.dir, 'library', file))).toBe(true)

    // Quit with a second job on its way: the engine closes first (the app holds the quit for it), the process
    // ends normally, and no half-written file is left anywhere.
    expect(
      await invoke(app, 'jobs:submit', { prompt: 'boot test second', duration: 1, resolution: '720p' }),
    ).toMatchObject({ ok: true })
    await app.call('quit')
    const quit = await app.waitFor((m) => m.type === 'quit', 'quitting')
    expect((quit.state as { violations: string[] }).violations).toEqual([])
    expect(await app.exited).toBe(0)
    expect(await partFiles(app.dir)).toEqual([])
  }, 120_000)

  it('a second launch, while the first holds the single-instance lock, quits before making anything', async () => {
    const app = await boot({ BOOT_LOCK_HELD: '1' })
    expect(await app.exited).toBe(0)
    const quit = app.messages.find((m) => m.type === 'quit')
    expect(quit?.state).toMatchObject({ lockRequests: 1, windows: 0, protocols: [], channels: [], violations: [] })
    expect(app.messages.some((m) => m.type === 'window')).toBe(false)
  }, 60_000)
})
