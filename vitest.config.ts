import os from 'node:os'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Most test files wait on real HTTP against a Sandbox (a generation's second, a poll): on a 2-core CI machine,
    // four files at once finish the suite in about 4 minutes instead of 7, with the CPU still not saturated.
    maxWorkers: Math.max(4, os.availableParallelism()),
    // Four files at once on two cores, each fsyncing and rendering: a test that takes 1 s alone can take several
    // here. The budget catches a hang, not a slow disk; tests that wait on time drive a fake clock instead.
    testTimeout: 20_000,
    hookTimeout: 20_000,
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/**/*.test.ts'],
          exclude: ['test/renderer/**', 'test/e2e/**', '**/node_modules/**'],
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['test/renderer/**/*.test.{ts,tsx}'],
          setupFiles: ['test/renderer/setup.ts'],
        },
      },
    ],
  },
})
