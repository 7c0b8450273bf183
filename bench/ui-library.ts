// The library view with 10,000 videos, in real Chromium through the browser harness (real engine behind
// it): time from load to the first painted grid card, and search-as-you-type update time.
// Targets (issue 5): first paint ≤ 500 ms; (issue 11) search update to the painted frame ≤ 50 ms at p95.
/// <reference lib="dom" />
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { chromium } from '@playwright/test'
import sharp from 'sharp'
import { percentile } from '../electron/core/library/usage'
import { defaultDataPaths } from '../electron/core/paths'
import { startHarness } from '../test/e2e/harness/start'
import { writeLibrary } from './library'
import { median } from './sandbox-render'

const CHROMIUM =
  process.env.SEEDANCE_CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p))

export async function benchUiLibrary(n = 10_000): Promise<void> {
  const root = path.resolve(import.meta.dirname, '..')
  if (
    !existsSync(path.join(root, 'out/renderer/index.html')) ||
    !existsSync(path.join(root, 'out/test-harness/bridge.js'))
  ) {
    console.log(
      'ui-library: skipped (run `npm test` or `npm run build && npx playwright test` first to build the renderer and harness)',
    )
    return
  }
  const home = await mkdtemp(path.join(os.tmpdir(), 'bench-ui-'))
  const paths = defaultDataPaths({ platform: process.platform, home, env: {} })
  await mkdir(paths.library, { recursive: true })
  // Written by the app's own code (metadata, video files, index cache), as the library bench does.
  const entries = await writeLibrary(paths.library, n)
  // Every card has a real thumbnail on disk, as in a real library (a dozen distinct pictures, 10,000 files).
  const pictures = await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      sharp({ create: { width: 640, height: 360, channels: 3, background: { r: 20 * i, g: 90, b: 255 - 20 * i } } })
        .jpeg({ quality: 80 })
        .toBuffer(),
    ),
  )
  for (let i = 0; i < entries.length; i += 500)
    await Promise.all(
      entries
        .slice(i, i + 500)
        .map((e, k) =>
          e.thumbnail
            ? writeFile(path.join(paths.library, '.seedance', 'thumbs', e.thumbnail), pictures[(i + k) % 12] as Buffer)
            : null,
        ),
    )
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--disable-background-networking', '--disable-component-update', '--no-first-run'],
  })
  const page = await browser.newPage({ viewport: { width: 1280, height: 820 } })
  const { harness, close } = await startHarness(page, home)
  try {
    // tsx compiles this file with esbuild's keepNames, whose __name helper the page does not have.
    await page.addInitScript('globalThis.__name = globalThis.__name || ((f) => f)')
    // Open straight into the library (the last view is remembered) and note when the first card paints.
    await page.addInitScript(() => {
      localStorage.setItem('seedance:lastView', 'library')
      new MutationObserver((_m: MutationRecord[], observer: MutationObserver) => {
        if (document.querySelector('[data-testid="video-card"]')) {
          requestAnimationFrame(() => {
            ;(window as unknown as { __firstCard: number }).__firstCard = performance.now()
          })
          observer.disconnect()
        }
      }).observe(document, { childList: true, subtree: true })
    })
    const paints: number[] = []
    for (let i = 0; i < 3; i++) {
      if (i === 0) await harness.open()
      else await page.reload()
      await page.waitForFunction(() => (window as unknown as { __firstCard?: number }).__firstCard !== undefined)
      paints.push(await page.evaluate(() => (window as unknown as { __firstCard: number }).__firstCard))
    }
    await page.waitForFunction(
      (total) => document.querySelector('[data-testid="result-count"]')?.textContent === `${total} videos`,
      n.toLocaleString('en-US'),
      { timeout: 60_000 },
    )
    // Type queries a key at a time; time each keystroke until the grid and the count have updated (DOM), until the
    // next frame starts (rAF), and until that frame has been painted: a task posted from the frame's rAF runs once
    // the frame has been produced (rendering runs before any task queued during it). The next keystroke waits
    // for that, so no keystroke's work hides in another's frame. The target is on the painted frame.
    const { dom, frame, painted, typed } = await page.evaluate(async () => {
      const input = document.querySelector('input[type="search"]') as HTMLInputElement
      const setValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set as (v: string) => void
      const dom: number[] = []
      const frame: number[] = []
      const painted: number[] = []
      const typed: string[] = []
      const afterPaint = () =>
        new Promise<[number, number]>((resolve) =>
          requestAnimationFrame(() => {
            const raf = performance.now()
            const channel = new MessageChannel()
            channel.port1.onmessage = () => resolve([raf, performance.now()])
            channel.port2.postMessage(null)
          }),
        )
      for (const query of ['golden hour', 'neon city', 'aurora stars', 'misty forest drone']) {
        setValue.call(input, '')
        input.dispatchEvent(new Event('input', { bubbles: true }))
        await new Promise((r) => setTimeout(r, 50))
        await afterPaint()
        for (let k = 1; k <= query.length; k++) {
          const t0 = performance.now()
          setValue.call(input, query.slice(0, k))
          input.dispatchEvent(new Event('input', { bubbles: true }))
          await Promise.resolve()
          // The grid and the count are updated within the keystroke's event: the DOM reflects the query…
          dom.push(performance.now() - t0)
          // …the next frame starts, and paints it.
          const [raf, done] = await afterPaint()
          frame.push(raf - t0)
          painted.push(done - t0)
          typed.push(query.slice(0, k))
        }
      }
      return { dom, frame, painted, typed }
    })
    // The slowest keystrokes, to tell a systematic cost (the same keys every run) from the machine's noise.
    const slowest = painted
      .map((ms, i) => [ms, typed[i]] as const)
      .sort((a, b) => b[0] - a[0])
      .slice(0, 4)
      .map(([ms, q]) => `"${q}" ${ms.toFixed(0)} ms`)
      .join(', ')
    for (const list of [dom, frame, painted]) list.sort((a, b) => a - b)
    const p95 = percentile(painted, 95) ?? Number.POSITIVE_INFINITY
    console.log(
      `ui-library: ${n.toLocaleString('en-US')} videos, first grid paint ${median(paints).toFixed(0)} ms after load (median of 3; target ≤ 500 ms); ` +
        `search update over ${dom.length} keystrokes: DOM p50 ${percentile(dom, 50)?.toFixed(1)} ms, p95 ${percentile(dom, 95)?.toFixed(1)} ms; ` +
        `next frame p50 ${percentile(frame, 50)?.toFixed(1)} ms, p95 ${percentile(frame, 95)?.toFixed(1)} ms; ` +
        `painted frame p50 ${percentile(painted, 50)?.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms: ` +
        `${p95 <= 50 ? 'within' : 'OVER'} the 50 ms target at p95 ` +
        // A shared machine's load shows in the tail: say what it was, so figures from different runs compare.
        `(load average ${os.loadavg()[0]?.toFixed(1)} on ${os.availableParallelism()} cores); slowest: ${slowest}`,
    )
  } finally {
    await close()
    await browser.close()
    await rm(home, { recursive: true, force: true })
  }
}
