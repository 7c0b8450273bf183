// The browser test harness as a Playwright fixture: see start.ts.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { test as base } from '@playwright/test'
import { type Harness, startHarness } from './start'

export type { Harness } from './start'

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
