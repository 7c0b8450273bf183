// `npm run bench`: prints figures (medians where timed). Not a test: nothing here asserts.
// Usage: npm run bench [-- name ...]   (no names: run all)
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { ProviderId } from '../electron/shared/providers'
import { benchBatch } from './batch'
import { benchCompareSync } from './compare-sync'
import { benchLibrary } from './library'
import { benchProviders } from './providers'
import { rendererSize } from './renderer-size'
import { benchSandboxRender } from './sandbox-render'
import { benchUiLibrary } from './ui-library'

const root = path.resolve(import.meta.dirname, '..')

const benches: Record<string, () => Promise<void> | void> = {
  'sandbox-render': () => benchSandboxRender(),
  batch: () => benchBatch(),
  // BENCH_PROVIDERS=fal,ark runs only those doors.
  providers: () =>
    benchProviders(process.env.BENCH_PROVIDERS ? (process.env.BENCH_PROVIDERS.split(',') as ProviderId[]) : undefined),
  library: () => benchLibrary(),
  'ui-library': () => benchUiLibrary(),
  'renderer-size': () => {
    const dir = path.join(root, 'out/renderer')
    if (!existsSync(dir)) {
      console.log('renderer-size: skipped (run `npm run build` first)')
      return
    }
    const r = rendererSize(dir)
    console.log(
      `renderer-size: ${r.files} JS file(s), ${r.rawKb.toFixed(1)} KB raw, ${r.gzipKb.toFixed(1)} KB gzipped (target ≤ 300 KB)`,
    )
  },
  // Compare takes (issue 11, point 8): four 1080p clips in sync in Chromium.
  'compare-sync': () => benchCompareSync(),
}

const wanted = process.argv.slice(2)
for (const name of wanted.length ? wanted : Object.keys(benches)) {
  const run = benches[name]
  if (!run) {
    console.error(`unknown benchmark '${name}'; known: ${Object.keys(benches).join(', ')}`)
    process.exitCode = 2
    continue
  }
  await run()
}
