// The browser test harness, shared by the Playwright fixture and the UI benchmark: the harness core (core.ts)
// with Electron's IPC transport replaced by a Playwright binding; window.seedance is built by the real bridge
// factory (bridge-entry.ts, injected before any app script runs).
import type { Page } from '@playwright/test'
import type { Engine } from '../../../electron/core/engine'
import type { Sandbox } from '../../../electron/sandbox/server'
import type { DataPaths } from '../../../electron/shared/model'
import { startHarnessCore } from './core'
import { harnessBundle } from './paths'

export interface Harness {
  /** Where the renderer is served. */
  url: string
  paths: DataPaths
  /** The real engine behind the page (with the in-process Sandbox, as on a fresh machine). */
  engine: Engine
  /** The built-in Sandbox the harness started for the engine, as main does (null until a door needed it). */
  sandbox(): Sandbox | null
  /** Open the app in the page, as a window load would. */
  open(): Promise<void>
  /** Push a main → renderer event, as webContents.send does; returns how many listeners got it. */
  emit(channel: string, payload: unknown): Promise<number>
  /** What the OS folder picker answers next (null: the user cancels), as a user choosing in the dialog. */
  answerFolderPicker(dir: string | null): void
  /** What the OS file picker answers next for a batch CSV (null: the user cancels). */
  answerCsvPicker(file: string | null): void
}

export async function startHarness(page: Page, home: string): Promise<{ harness: Harness; close(): Promise<void> }> {
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
  const core = await startHarnessCore({
    home,
    // A keychain entry of its own, so tests never touch a developer's real key.
    keychainService: `Seedance Studio e2e ${process.pid}`,
    emit: (channel, payload) => void emit(channel, payload).catch(() => 0),
  })
  await page.exposeBinding('__seedanceInvoke', (source, channel: string, payload: unknown) =>
    core.invoke(channel, payload, {
      senderFrame: { url: source.frame.url(), parent: source.frame.parentFrame() },
    }),
  )
  await page.addInitScript({ path: harnessBundle })

  const harness: Harness = {
    url: core.url,
    paths: core.paths,
    engine: core.engine,
    sandbox: () => core.sandbox(),
    async open() {
      await page.goto(`${core.url}/index.html`)
    },
    emit,
    answerFolderPicker: (dir) => core.answerFolderPicker(dir),
    answerCsvPicker: (file) => core.answerCsvPicker(file),
  }
  return { harness, close: () => core.close() }
}
