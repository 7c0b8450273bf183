// The browser test harness: the built renderer served over HTTP, window.seedance built by the real
// bridge factory, and every call routed through the real registerHandlers (schema checks, sender
// checks) into the real services. Only Electron's transport is replaced, by a Playwright binding.
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { test as base, type Page } from '@playwright/test'
import { createAppInfo } from '../../../electron/core/app-info'
import { APP_NAME, defaultDataPaths } from '../../../electron/core/paths'
import { createRendererHandler } from '../../../electron/main/app-protocol'
import { createHandlers } from '../../../electron/main/handlers'
import { createSenderPolicy, registerHandlers } from '../../../electron/main/ipc'
import type { DataPaths } from '../../../electron/shared/model'
import { FakeIpcMain } from '../../fakes/electron'
import { serveHandler } from './http'
import { harnessBundle, rendererDir, repoRoot } from './paths'

export interface Harness {
  /** Where the renderer is served. */
  url: string
  paths: DataPaths
  /** Open the app in the page, as a window load would. */
  open(): Promise<void>
  /** Push a main → renderer event, as webContents.send does; returns how many listeners got it. */
  emit(channel: string, payload: unknown): Promise<number>
}

const version = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version

async function startHarness(page: Page, home: string): Promise<{ harness: Harness; close(): Promise<void> }> {
  const served = await serveHandler(createRendererHandler(rendererDir, null))
  const paths = defaultDataPaths({ platform: process.platform, home, env: {} })
  const appInfo = createAppInfo({
    name: APP_NAME,
    version,
    platform: process.platform,
    arch: process.arch,
    versions: process.versions,
    paths,
  })
  const ipc = new FakeIpcMain()
  registerHandlers(ipc, createHandlers({ appInfo }), createSenderPolicy([served.url]))

  await page.exposeBinding('__seedanceInvoke', (source, channel: string, payload: unknown) =>
    ipc.invoke(channel, payload, {
      senderFrame: { url: source.frame.url(), parent: source.frame.parentFrame() },
    }),
  )
  await page.addInitScript({ path: harnessBundle })

  const harness: Harness = {
    url: served.url,
    paths,
    async open() {
      await page.goto(`${served.url}/index.html`)
    },
    emit: (channel, payload) =>
      page.evaluate(
        ([c, p]) =>
          (window as unknown as { __seedanceHarness: { emit(c: string, p: unknown): number } }).__seedanceHarness.emit(
            c,
            p,
          ),
        [channel, payload] as const,
      ),
  }
  return { harness, close: served.close }
}

export const test = base.extend<{ harness: Harness }>({
  harness: async ({ page }, use) => {
    const home = await mkdtemp(path.join(os.tmpdir(), 'seedance-e2e-'))
    const { harness, close } = await startHarness(page, home)
    await use(harness)
    await close()
    await rm(home, { recursive: true, force: true })
  },
})

export { expect } from '@playwright/test'
