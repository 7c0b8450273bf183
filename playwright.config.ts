import { existsSync } from 'node:fs'
import { defineConfig } from '@playwright/test'

// Debian's Chromium where it is installed (CI, and machines that cannot download browsers); elsewhere Playwright's
// own build, after `npm run setup` (Ubuntu's chromium-browser is a snap shim that does not run in containers: not
// used). SEEDANCE_CHROMIUM overrides.
const systemChromium = existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined
const executablePath = process.env.SEEDANCE_CHROMIUM ?? systemChromium

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/playwright',
  globalSetup: './test/e2e/harness/global-setup.ts',
  // Budgets, not waits: a passing test takes what it takes. A 2-core CI machine shared with other work runs
  // these several times slower than an idle one (a full-library test: 15 s idle, 54 s busy).
  timeout: 90_000,
  expect: { timeout: 15_000 },
  workers: 1,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1280, height: 820 },
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath,
      // No network here but loopback: keep Chromium from phoning home at start.
      args: [
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
        '--disable-gpu',
      ],
    },
  },
})
