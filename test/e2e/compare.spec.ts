// Compare takes in real Chromium: two and four library videos on one transport (play, pause, frame step, loop
// range), the presented frames agreeing, an A/B wipe, and "keep one" moving the others to the trash.
import { readdir } from 'node:fs/promises'
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { expect, test } from './harness/fixtures'
import { measurePresentedFrames } from './harness/presented-frames'
import { seedTakes } from './harness/seed-takes'

const FPS = 24

/** Every compare video's frame (from currentTime), as the paused transport leaves them. */
function frames(page: Page): Promise<number[]> {
  return page
    .getByTestId('compare-video')
    .evaluateAll((els, fps) => els.map((v) => Math.floor((v as HTMLVideoElement).currentTime * fps + 1e-6)), FPS)
}

/**
 * Playback for `ms`: the videos' clocks (currentTime, read together at each refresh) must stay within one frame of
 * each other, and the frames they show agree at most display refreshes (on a loaded machine a video's compositor
 * frame can miss a refresh; `npm run bench -- compare-sync` reports those figures).
 */
async function expectInSync(page: Page, ms: number): Promise<void> {
  const r = await measurePresentedFrames(page, ms, FPS)
  expect(r.clocks.length).toBeGreaterThan(15)
  expect(Math.max(...r.clocks)).toBeLessThan(1)
  const spreads = [...r.spreads].sort((a, b) => a - b)
  expect(spreads[Math.floor(spreads.length / 2)]).toBe(0)
  // What is on screen: the gated pictures, one frame number on every take (a dropped frame shows the one before).
  const pictures = [...r.pictures].sort((a, b) => a - b)
  expect(pictures.length).toBeGreaterThan(15)
  expect(pictures[Math.floor(pictures.length / 2)]).toBe(0)
  expect(pictures[Math.floor(pictures.length * 0.95)]).toBeLessThanOrEqual(1)
}

/** Ctrl+click cards `from`…n-1 (adding to those already selected), then "Compare n". */
async function openCompareOf(page: Page, n: number, from = 0): Promise<void> {
  const cards = page.getByTestId('video-card')
  for (let i = from; i < n; i++) await cards.nth(i).click({ modifiers: ['Control'] })
  if (n === 2 && from === 0) await page.screenshot({ path: 'test-results/screenshots/compare-library-selection.png' })
  await page.getByRole('button', { name: `Compare ${n}` }).click()
  const view = page.getByRole('dialog', { name: `Compare ${n} takes` })
  await expect(view).toBeVisible()
  await expect(page.getByTestId('compare-video')).toHaveCount(n)
  // Every video decoded its first frame and the transport is live.
  await expect
    .poll(() =>
      page.getByTestId('compare-video').evaluateAll((els) => els.every((v) => (v as HTMLVideoElement).readyState >= 2)),
    )
    .toBe(true)
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled()
}

test('compare two and four takes: one transport, the same frame on every take, wipe, keep one', async ({
  page,
  harness,
}) => {
  test.slow()
  const takes = await seedTakes(harness.engine, {
    count: 4,
    width: 640,
    height: 360,
    resolution: '480p',
    seconds: 3,
    prompt: 'Lighthouse on a cliff at dusk, waves',
  })
  await harness.open()
  await page.getByRole('button', { name: 'Library' }).click()
  await expect(page.getByTestId('result-count')).toHaveText('4 videos')

  // Two takes.
  await openCompareOf(page, 2)
  await expect(page.getByTestId('compare-frame')).toContainText('frame 1/72')
  // The view is modal: Tab goes round its own controls and never reaches the library behind it.
  for (let i = 0; i < 25; i++) {
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.closest('[data-testid="compare"]') !== null)).toBe(true)
  }
  await page.getByRole('button', { name: 'Play' }).click()
  await expect.poll(async () => (await frames(page))[0], { timeout: 10_000 }).toBeGreaterThan(12)
  await expectInSync(page, 1200)
  await page.keyboard.press('Space')
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible()
  const paused = await frames(page)
  expect(new Set(paused).size).toBe(1)
  const at = paused[0] as number
  await expect(page.getByTestId('compare-frame')).toContainText(`frame ${at + 1}/72`)
  // Frame steps, by keyboard and by button.
  await page.keyboard.press('ArrowRight')
  await expect.poll(() => frames(page)).toEqual([at + 1, at + 1])
  await page.getByRole('button', { name: 'Previous frame' }).click()
  await page.getByRole('button', { name: 'Previous frame' }).click()
  await expect.poll(() => frames(page)).toEqual([at - 1, at - 1])
  await expect(page.getByTestId('compare-frame')).toContainText(`frame ${at}/72`)

  // The A/B wipe: one picture, B to the right of a divider moved by keyboard.
  await page.getByRole('button', { name: 'A/B wipe' }).click()
  const divider = page.getByRole('slider', { name: /Wipe position/ })
  await divider.focus()
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft')
  await expect(divider).toHaveAttribute('aria-valuenow', '40')
  // B's screen (its picture and the video beneath) is clipped to the right of the divider.
  await expect(page.getByTestId('compare-tile').nth(1).locator('.compare-screen')).toHaveCSS(
    'clip-path',
    'inset(0px 0px 0px 40%)',
  )
  // And by dragging.
  const stage = await page.getByTestId('compare-stage').boundingBox()
  const handle = await divider.boundingBox()
  if (!stage || !handle) throw new Error('no layout')
  await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2)
  await page.mouse.down()
  await page.mouse.move(stage.x + stage.width * 0.7, handle.y + handle.height / 2, { steps: 4 })
  await page.mouse.up()
  await expect.poll(async () => Number(await divider.getAttribute('aria-valuenow'))).toBeGreaterThan(65)
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await page.screenshot({ path: `test-results/screenshots/compare-wipe-${colorScheme}.png` })
  }
  await page.getByRole('button', { name: 'Close' }).click()
  await expect(page.getByTestId('compare')).toHaveCount(0)

  // Four takes, with a loop range.
  await page.emulateMedia({ colorScheme: 'light' })
  // The two compared are still selected; add two more.
  await openCompareOf(page, 4, 2)
  await page.getByTestId('compare').focus()
  for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowRight')
  await page.keyboard.press('i')
  for (let i = 0; i < 24; i++) await page.keyboard.press('ArrowRight')
  await page.keyboard.press('o')
  await expect(page.getByRole('button', { name: 'Clear 13–37' })).toBeVisible()
  await page.keyboard.press('Space')
  await expect.poll(async () => (await frames(page))[0], { timeout: 10_000 }).toBeGreaterThan(14)
  await expectInSync(page, 600) // within the 1 s range, before it wraps
  // It wraps at the out point, back to the in point.
  const seen = new Set<number>()
  await expect
    .poll(
      async () => {
        const f = (await frames(page))[0] as number
        seen.add(f)
        return [...seen].some((x) => x <= 16) && [...seen].some((x) => x >= 33)
      },
      { timeout: 10_000, intervals: [50] },
    )
    .toBe(true)
  await page.keyboard.press('Space')
  const paused4 = await frames(page)
  expect(new Set(paused4).size).toBe(1)
  expect(paused4[0]).toBeGreaterThanOrEqual(12)
  expect(paused4[0]).toBeLessThanOrEqual(36)
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await page.screenshot({ path: `test-results/screenshots/compare-four-${colorScheme}.png` })
    // WCAG 2.1 A/AA in both themes, as every main view is checked (accessibility.spec.ts).
    const { violations } = await new AxeBuilder({ page })
      .include('[data-testid="compare"]')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze()
    expect(violations.flatMap((v) => v.nodes.map((n) => `${colorScheme}: ${v.id} at ${n.target.join(' ')}`))).toEqual(
      [],
    )
  }
  await page.emulateMedia({ colorScheme: 'light' })

  // Keep one: B stays, as a favourite; the other three go to the trash.
  await page.getByRole('button', { name: 'Keep B' }).click()
  const confirm = page.getByRole('alertdialog')
  await expect(confirm).toContainText('Keep B, trash the other 3?')
  await expect(confirm).toContainText('the other 3 takes are moved to the trash')
  await page.screenshot({ path: 'test-results/screenshots/compare-keep-one.png' })
  await confirm.getByRole('button', { name: 'Keep it, move 3 to trash' }).click()
  await expect(page.getByTestId('compare')).toHaveCount(0)
  await expect(page.getByTestId('result-count')).toHaveText('1 video')
  expect(harness.engine.library.get(takes[1]?.id as string)?.favorite).toBe(true)
  // The library's selection no longer holds the trashed takes.
  await expect(page.getByRole('button', { name: /^(Compare|Delete) / })).toHaveCount(1)
  const files = (await readdir(harness.engine.library.dir)).filter((n) => n.endsWith('.mp4'))
  expect(files).toEqual([takes[1]?.file])
})
