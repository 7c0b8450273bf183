// Accessibility in real Chromium: every main view, in the light and the dark theme, checked with axe-core
// against WCAG 2.1 A and AA (text contrast, names and labels for every control, ARIA use); the views work from
// the keyboard alone; reduced motion is respected.
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { expect, test } from './harness/fixtures'
import { seedLibrary } from './harness/seed'

async function audit(page: Page, view: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  return violations.flatMap((v) =>
    v.nodes.map((n) => `${view}: ${v.id} (${v.impact}) at ${n.target.join(' ')}: ${n.failureSummary?.split('\n')[1]}`),
  )
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`every main view passes WCAG 2.1 AA checks in the ${colorScheme} theme`, async ({ page, harness }) => {
    // Ten views, each audited by axe: about 25 s on an idle 2-core machine, past a minute when it is busy.
    test.setTimeout(180_000)
    await page.emulateMedia({ colorScheme })
    await seedLibrary(harness.engine, 4)
    // The queue in several states: done, failed (the Sandbox's content policy refuses the prompt) and running.
    const { engine } = harness
    const submit = async (prompt: string) =>
      engine.jobs.submit(await engine.prepare({ prompt, duration: 1, resolution: '720p' }))
    const done = await submit('a11y done sample')
    const refused = await submit('a11y gore sample')
    await engine.jobs.whenIdle((j) => j.id === done.id || j.id === refused.id)
    expect([engine.jobs.get(done.id)?.state, engine.jobs.get(refused.id)?.state]).toEqual(['done', 'failed'])
    // One generating and one waiting (one job at a time). The first one's generation outlasts the test, so
    // both hold their state however slowly the views below are audited (the waiting one raced it before).
    await engine.updateSettings({ maxConcurrentJobs: 1 })
    harness.sandbox()?.setGenerationSeconds({ min: 3600, max: 3600 })
    for (const subject of ['lighthouse', 'harbour']) await submit(`a11y running ${subject}`)
    await harness.open()
    const problems: string[] = []
    const views: Array<[string, () => Promise<void>]> = [
      ['create', async () => {}],
      [
        'create (image)',
        async () => {
          await page.getByRole('button', { name: 'Image to video' }).click()
        },
      ],
      [
        // A model with every control: last frame, adaptive, seed and its lock, fixed camera (issue 10).
        'create (image, Ark)',
        async () => {
          await page.getByLabel('Service').selectOption('ark')
          await expect(page.getByTestId('last-frame-drop')).toBeVisible()
        },
      ],
      [
        'queue',
        async () => {
          await expect(page.locator('[data-state="pending"]')).toHaveCount(1)
          await expect(page.locator('.progress').first()).toBeVisible()
          if (colorScheme === 'light') await page.screenshot({ path: 'test-results/screenshots/queue-busy.png' })
        },
      ],
      [
        'library',
        async () => {
          // Oldest first, so videos landing meanwhile join at the end and the cards clicked next hold still.
          await page.getByLabel('Sort').selectOption('oldest')
        },
      ],
      [
        'library (detail)',
        async () => {
          await page.getByTestId('video-card').first().click()
          await expect(page.getByTestId('detail')).toBeVisible()
          if (colorScheme === 'dark') await page.screenshot({ path: 'test-results/screenshots/library-dark.png' })
        },
      ],
      [
        'library (player)',
        async () => {
          await page.getByTestId('video-card').first().click()
          await page.getByRole('button', { name: 'Play' }).click()
          await expect(page.getByTestId('player-video')).toBeVisible()
        },
      ],
      [
        'usage',
        async () => {
          if (colorScheme === 'dark') await page.screenshot({ path: 'test-results/screenshots/usage-dark.png' })
        },
      ],
      ['settings', async () => {}],
      [
        'settings (new library folder)',
        async () => {
          harness.answerFolderPicker(`${engine.library.dir} 2`)
          await page.getByRole('button', { name: 'Change folder…' }).click()
          await expect(page.getByTestId('folder-choice')).toBeVisible()
        },
      ],
      ['about', async () => {}],
    ]
    for (const [view, prepare] of views) {
      const section = view.split(' ')[0] as string
      await page.keyboard.press('Escape') // closes the player, if open
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('button', { name: new RegExp(`^${section}`, 'i') })
        .click()
      await prepare()
      await page.mouse.move(0, 0)
      problems.push(...(await audit(page, view)))
    }
    expect(problems, problems.join('\n')).toEqual([])
  })
}

test('the studio works from the keyboard alone, with a visible focus ring', async ({ page, harness }) => {
  await seedLibrary(harness.engine, 2)
  await harness.open()
  // Skip through the sidebar to Create by keyboard, then compose and generate without the mouse.
  await page.keyboard.press('Tab')
  const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '')
  for (let i = 0; i < 10 && !(await focused()).startsWith('Create'); i++) await page.keyboard.press('Tab')
  expect(await focused()).toMatch(/^Create/)
  const ring = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle)
  expect(ring).toBe('solid')
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { name: 'Create' })).toBeVisible()
  await page.getByLabel('Prompt').focus()
  await page.keyboard.type('Keyboard only: a lighthouse at night')
  await page.keyboard.press('Control+Enter')
  // The take appears beside the composer (the studio); the queue has the job too.
  await expect(page.getByTestId('take').first()).toContainText('Keyboard only: a lighthouse at night')
  await page.getByRole('button', { name: /^Queue/ }).focus()
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { name: 'Queue' })).toBeVisible()
  await expect(page.getByTestId('job').first()).toContainText('Keyboard only: a lighthouse at night')

  // The library: tab into the grid, open a video with Enter, play it with the keyboard, close with Escape.
  await page.getByRole('button', { name: /^Library/ }).focus()
  await page.keyboard.press('Enter')
  await page.getByLabel('Sort').focus()
  await page.keyboard.press('Tab')
  await expect(page.getByTestId('video-card').first()).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('detail')).toBeVisible()
  await page.getByRole('button', { name: 'Play' }).focus()
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('player-video')).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('player-video')).toHaveCount(0)
})

test('reduced motion: hovering a card shows its thumbnail instead of playing a preview', async ({ page, harness }) => {
  await seedLibrary(harness.engine, 1)
  await harness.open()
  await page.getByRole('button', { name: /^Library/ }).click()
  const card = page.getByTestId('video-card').first()
  await card.hover()
  await expect(card.locator('video')).toHaveCount(1)
  await page.mouse.move(0, 0)
  await page.emulateMedia({ reducedMotion: 'reduce' })
  await card.hover()
  await expect(card.locator('img')).toHaveCount(1)
  await expect(card.locator('video')).toHaveCount(0)
})
