// The compare view's sync (issue 11, point 8): four 1080p Sandbox clips played together in real Chromium through
// the browser harness (real engine and media handler behind it, Chromium launched as the browser tests launch it),
// and at each display refresh the spread between the frames the four videos present (requestVideoFrameCallback
// mediaTime), in frames. Target: within one frame. The clips are rendered once by the Sandbox's encoder and kept in
// a temporary folder for later runs.
/// <reference lib="dom" />
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { chromium } from '@playwright/test'
import { percentile } from '../electron/core/library/usage'
import { defaultDataPaths } from '../electron/core/paths'
import globalSetup from '../test/e2e/harness/global-setup'
import { measurePresentedFrames, nearWraps } from '../test/e2e/harness/presented-frames'
import { seedTakes } from '../test/e2e/harness/seed-takes'
import { startHarness } from '../test/e2e/harness/start'

const CHROMIUM =
  process.env.SEEDANCE_CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p))

/** Both ways the followers can be measured: the default (their clocks) and their presented frames. */
export async function benchCompareSync(): Promise<void> {
  for (const measure of ['clock', 'frames'] as const) await benchCompareSyncOnce({ measure })
}

async function benchCompareSyncOnce(
  options: { seconds?: number; playMs?: number; measure: 'clock' | 'frames' } = { measure: 'clock' },
): Promise<void> {
  const seconds = options.seconds ?? 4
  const playMs = options.playMs ?? 8000
  const root = path.resolve(import.meta.dirname, '..')
  if (!existsSync(path.join(root, 'out/renderer/index.html'))) {
    console.log('compare-sync: skipped (run `npm run build` first)')
    return
  }
  await globalSetup() // the harness's bridge bundle, as the browser tests build it
  const t0 = performance.now()
  const home = await mkdtemp(path.join(os.tmpdir(), 'bench-compare-'))
  const paths = defaultDataPaths({ platform: process.platform, home, env: {} })
  await mkdir(paths.library, { recursive: true })
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-gpu',
      '--autoplay-policy=no-user-gesture-required',
    ],
  })
  const page = await browser.newPage({ viewport: { width: 1280, height: 820 } })
  const { harness, close } = await startHarness(page, home)
  try {
    const tRender = performance.now()
    await seedTakes(harness.engine, {
      count: 4,
      width: 1920,
      height: 1080,
      resolution: '1080p',
      seconds,
      prompt: 'Aerial view of a mountain range at golden hour, slow drone shot',
      cacheDir: path.join(os.tmpdir(), 'seedance-bench-compare-v1'),
    })
    const renderS = (performance.now() - tRender) / 1000
    // tsx compiles this file with esbuild's keepNames, whose __name helper the page does not have.
    await page.addInitScript('globalThis.__name = globalThis.__name || ((f) => f)')
    await page.addInitScript(() => localStorage.setItem('seedance:lastView', 'library'))
    await page.addInitScript(`localStorage.setItem('seedance:compareMeasure', ${JSON.stringify(options.measure)})`)
    await harness.open()
    const cards = page.getByTestId('video-card')
    await cards.nth(3).waitFor()
    for (let i = 0; i < 4; i++) await cards.nth(i).click({ modifiers: ['Control'] })
    await page.getByRole('button', { name: 'Compare 4' }).click()
    await page.waitForFunction(() => {
      const v = [...document.querySelectorAll('[data-testid="compare-video"]')] as HTMLVideoElement[]
      return v.length === 4 && v.every((x) => x.readyState >= 2)
    })
    await page.getByRole('button', { name: 'Play' }).click()
    await page.waitForTimeout(500) // the start: the followers' first correction
    const r = await measurePresentedFrames(page, playMs)
    await page.getByRole('button', { name: 'Pause' }).click()
    const paused = await page
      .getByTestId('compare-video')
      .evaluateAll((els) => els.map((v) => Math.floor((v as HTMLVideoElement).currentTime * 24 + 1e-6)))
    const wraps = nearWraps(r.master, 15) // a quarter second around each wrap
    const steady = r.spreads.filter((_, i) => !wraps.has(i)).sort((a, b) => a - b)
    const around = r.spreads.filter((_, i) => wraps.has(i)).sort((a, b) => a - b)
    const all = [...r.spreads].sort((a, b) => a - b)
    const wrapCount = r.master.filter((f, i) => i > 0 && f < (r.master[i - 1] as number)).length
    const fmt = (s: number[]) =>
      `median ${percentile(s, 50)}, p95 ${percentile(s, 95)}, max ${s.length ? Math.max(...s) : '–'}`
    const clocks = r.clocks.filter((_, i) => !wraps.has(i)).sort((a, b) => a - b)
    const fmtC = (s: number[]) =>
      `median ${percentile(s, 50)?.toFixed(2)}, p95 ${percentile(s, 95)?.toFixed(2)}, max ${Math.max(...s).toFixed(2)}`
    const same = steady.filter((s) => s === 0).length / Math.max(1, steady.length)
    // On screen: the gated pictures (frame-gate.ts), read at every refresh; the videos beneath are not shown.
    const shown = [...r.pictures].sort((a, b) => a - b) // every refresh, wraps included: the gate holds through them
    const samePicture = shown.filter((s) => s === 0).length / Math.max(1, shown.length)
    const holds = shown.length > 0 && (percentile(shown, 95) as number) <= 1
    console.log(
      `compare-sync (followers measured by ${options.measure === 'clock' ? 'currentTime, the default' : 'presented frames'}): 4 × 1080p24 ${seconds} s Sandbox clips in Chromium (${process.platform}, software decode), ` +
        `${(playMs / 1000).toFixed(0)} s of playback, ${r.pictures.length} refreshes: pictures on screen ${fmt(shown)} frames apart ` +
        `(same frame in ${(samePicture * 100).toFixed(0)} %); beneath them, the videos' presented-frame spread ${fmt(steady)} frames ` +
        `(same frame in ${(same * 100).toFixed(0)} % of refreshes; currentTime spread ${fmtC(clocks)}); ${wrapCount} loop wrap(s), around them ${fmt(around)}; ` +
        `all refreshes ${fmt(all)}; dropped ${r.dropped} of ${r.decoded} decoded frames; paused on frames [${paused.join(', ')}]; ` +
        `load average ${os.loadavg()[0]?.toFixed(1)} on ${os.availableParallelism()} cores; pictures within one frame (p95): ${holds ? 'yes' : 'NO'} (clips ${renderS < 2 ? 'cached' : `rendered in ${renderS.toFixed(0)} s`}, ` +
        `${((performance.now() - t0) / 1000).toFixed(0)} s in all)`,
    )
  } finally {
    await close()
    await browser.close()
    await rm(home, { recursive: true, force: true })
  }
}
