// One studio view (issue 11, point 7): Create holds the composer beside the session's takes, which show their
// progress and then play, without switching views; each take is reused or kept in one click. In real Chromium,
// with the real engine and the built-in Sandbox; screenshots at 1280 × 800 in the light and the dark theme.
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { expect, test } from './harness/fixtures'
import { seedLibrary } from './harness/seed'

const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: new RegExp(`^${name}`) })

/** Nothing in the view is wider than its box (text cut short with an ellipsis is fine: it is not wider). */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = []
    const boxes = document.querySelectorAll(
      '.content, .studio, .composer, .take, .take-actions, .take-meta, .takes-head, .toolbar, .job, .actions',
    )
    for (const el of boxes)
      if (el.scrollWidth > el.clientWidth + 1) out.push(`${el.className}: ${el.scrollWidth} px in ${el.clientWidth} px`)
    return out
  })
}

/** Rows that broke onto a second line: their items no longer share one horizontal line. */
async function wrapped(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = []
    for (const row of document.querySelectorAll('.take-actions, .takes-head, .actions, .take-meta')) {
      const boxes = [...row.children].map((c) => c.getBoundingClientRect())
      const top = Math.max(...boxes.map((b) => b.top))
      const bottom = Math.min(...boxes.map((b) => b.bottom))
      if (boxes.length > 1 && top >= bottom) out.push(`${row.className}: items on more than one line`)
    }
    // Single-line labels (buttons, pills, take titles) that wrapped inside themselves.
    for (const el of document.querySelectorAll('.take button, .takes-head button, .take .pill, .take-prompt')) {
      const lines = el.getBoundingClientRect().height / Number.parseFloat(getComputedStyle(el).lineHeight)
      if (lines >= 2.5) out.push(`${el.className || el.tagName}: "${el.textContent}" on ${Math.floor(lines)} lines`)
    }
    return out
  })
}

test('two takes made in Create: progress, then playable videos, without leaving the view; reuse one, keep one', async ({
  page,
  harness,
}) => {
  // The Sandbox renders real H.264: on a busy 2-core machine two clips rendering together take a while.
  test.setTimeout(180_000)
  await page.setViewportSize({ width: 1280, height: 800 })
  await harness.open()
  await nav(page, 'Create').click()
  const composer = page.getByRole('form', { name: 'New video' })
  // Held: both takes are seen waiting in line before anything is sent.
  const release = harness.engine.jobs.holdSubmissions()
  for (const prompt of ['A red kite over green hills', 'A red kite over green hills, at dusk']) {
    await composer.getByLabel('Prompt').fill(prompt)
    await composer.getByRole('button', { name: '720p' }).click()
    await composer.getByLabel(/^Duration/).fill('1')
    await composer.getByRole('button', { name: 'Generate' }).click()
    await expect(page.getByTestId('take').first()).toContainText(prompt)
  }
  await expect(page.getByRole('heading', { name: 'Create' })).toBeVisible()
  await expect(nav(page, 'Create')).toHaveAttribute('aria-current', 'page')
  const takes = page.getByTestId('take')
  await expect(takes).toHaveCount(2)
  const first = page.getByRole('listitem', { name: 'Take 1' })
  const second = page.getByRole('listitem', { name: 'Take 2' })
  await expect(first).toHaveAttribute('data-state', 'pending')
  await expect(first.getByTestId('take-progress-text')).toHaveText(/^1st in line for /)
  await expect(second.getByTestId('take-progress-text')).toHaveText(/^2nd in line for /)
  await expect(first.getByTestId('take-cost')).toHaveText('≈ 1 credit')

  release()
  // While the Sandbox makes them: a phase and a progress bar, still in Create.
  await expect(page.locator('[data-testid="take"] [role="progressbar"]').first()).toBeVisible({ timeout: 15_000 })
  // Then each take plays its saved video, here.
  for (const take of [first, second]) {
    await expect(take).toHaveAttribute('data-state', 'done', { timeout: 75_000 })
    await expect(take.getByTestId('take-video')).toBeVisible()
  }
  await expect(first.getByTestId('take-cost')).toHaveText('1 credit')
  const video = first.getByTestId('take-video')
  await video.evaluate((v: HTMLVideoElement) => {
    v.muted = true
    return v.play()
  })
  await expect
    .poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 10_000 })
    .toBeGreaterThan(0.2)
  expect(await video.evaluate((v: HTMLVideoElement) => [v.videoWidth, v.videoHeight])).toEqual([1280, 720])
  await expect(nav(page, 'Create')).toHaveAttribute('aria-current', 'page')

  // Reuse: the first take's settings come back into the composer.
  await composer.getByLabel('Prompt').fill('something else entirely')
  await first.getByRole('button', { name: 'Reuse' }).click()
  await expect(composer.getByLabel('Prompt')).toHaveValue('A red kite over green hills')
  // Keep: the second becomes a favourite in the library.
  await second.getByRole('button', { name: '☆ Keep' }).click()
  await expect(second.getByRole('button', { name: '★ Kept' })).toHaveAttribute('aria-pressed', 'true')
  const kept = harness.engine.library.all().filter((e) => e.favorite)
  expect(kept.map((e) => e.prompt)).toEqual(['A red kite over green hills, at dusk'])

  // Clear hides the takes; the Queue and the Library keep them.
  await page.getByRole('button', { name: 'Clear' }).click()
  await expect(takes).toHaveCount(0)
  await nav(page, 'Queue').click()
  await expect(page.getByTestId('job')).toHaveCount(2)
  await nav(page, 'Library').click()
  await expect(page.getByTestId('video-card')).toHaveCount(2)
})

test('Create with takes in several phases, the Queue and the Library at 1280 × 800, light and dark: nothing wraps or overflows', async ({
  page,
  harness,
}) => {
  test.setTimeout(150_000)
  await page.setViewportSize({ width: 1280, height: 800 })
  const { engine } = harness
  await seedLibrary(engine, 6)
  await harness.open()
  await nav(page, 'Create').click()
  // Takes of this session, made after the app opened: one saved, one refused by the service (the Sandbox's content
  // policy), one generating for longer than the test, one waiting in line behind it (one job at a time).
  const submit = async (prompt: string, duration = 1) =>
    engine.jobs.submit(await engine.prepare({ prompt, duration, resolution: '720p' }))
  const done = await submit('A lighthouse on a cliff, waves breaking below')
  const refused = await submit('gore in a dark alley')
  await engine.jobs.whenIdle((j) => j.id === done.id || j.id === refused.id)
  await engine.updateSettings({ maxConcurrentJobs: 1 })
  harness.sandbox()?.setGenerationSeconds({ min: 3600, max: 3600 })
  await submit('A slow dolly shot through a night market full of lanterns and steam', 5)
  await submit('Paper boats drifting down a rain gutter, close up')
  const takes = page.getByTestId('take')
  await expect(takes).toHaveCount(4)
  await expect(page.locator('[data-testid="take"][data-state="done"] video')).toBeVisible()
  await expect(page.locator('[data-testid="take"][data-state="failed"]')).toHaveCount(1)
  await expect(page.locator('[data-testid="take"][data-state="pending"]')).toHaveCount(1)
  await expect(page.locator('[data-testid="take"] [role="progressbar"]')).toHaveCount(1)

  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await nav(page, 'Create').click()
    await page.mouse.move(0, 0)
    expect(await overflowing(page), 'create').toEqual([])
    expect(await wrapped(page), 'create').toEqual([])
    // The takes in every phase pass WCAG 2.1 AA in this theme (contrast of pills, progress and errors on the stage).
    const { violations } = await new AxeBuilder({ page })
      .include('.studio-takes')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze()
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([])
    await page.screenshot({ path: `test-results/screenshots/studio-create-${colorScheme}.png` })
    // Further down: the saved take with its player, and the refused one with the service's reason.
    await page.locator('[data-testid="take"][data-state="done"]').scrollIntoViewIfNeeded()
    await page.screenshot({ path: `test-results/screenshots/studio-create-saved-${colorScheme}.png` })
    await page.locator('.content').evaluate((c) => c.scrollTo(0, 0))
    await nav(page, 'Queue').click()
    await expect(page.getByRole('heading', { name: 'Queue' })).toBeVisible()
    expect(await overflowing(page), 'queue').toEqual([])
    await page.screenshot({ path: `test-results/screenshots/studio-queue-${colorScheme}.png` })
    await nav(page, 'Library').click()
    await expect(page.getByTestId('video-card').first()).toBeVisible()
    expect(await overflowing(page), 'library').toEqual([])
    await page.screenshot({ path: `test-results/screenshots/studio-library-${colorScheme}.png` })
  }
  // Narrower than 1,100 px, the takes go below the composer, still without overflowing.
  await page.setViewportSize({ width: 1024, height: 800 })
  await nav(page, 'Create').click()
  const [compose, list] = [page.locator('.studio-compose'), page.getByTestId('takes')]
  expect((await list.boundingBox())?.y).toBeGreaterThan(((await compose.boundingBox())?.y ?? 0) + 400)
  expect(await overflowing(page), 'create, stacked').toEqual([])
  await list.scrollIntoViewIfNeeded()
  await page.screenshot({ path: 'test-results/screenshots/studio-create-stacked-dark.png' })
})
