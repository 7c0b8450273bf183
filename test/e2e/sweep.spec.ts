// Sweeps in the app (issue 11, point 4), in real Chromium over the real engine and the Sandbox: the grid's size
// and its cost per provider and in USD are shown before anything is queued, equal to the sum of the jobs' own
// estimates; "Queue sweep" queues every job in one step through two providers; their videos arrive on Create.
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { expect, test } from './harness/fixtures'

/** WCAG 2.1 AA problems inside the sweep panel (axe-core), as accessibility.spec.ts checks the views. */
async function audit(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page })
    .include('[data-testid="sweep"]')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze()
  return violations.flatMap((v) => v.nodes.map((n) => `${v.id} at ${n.target.join(' ')}`))
}

test('a sweep of 2 prompts × 2 seeds × 2 providers shows its cost before queueing, then makes every video', async ({
  page,
  harness,
}) => {
  test.setTimeout(150_000)
  harness.sandbox()?.setGenerationSeconds({ min: 0.5, max: 0.5 })
  await harness.open()
  await page.getByRole('button', { name: 'Create' }).click()
  await page.getByLabel('Service').selectOption('ark')
  await page.getByRole('button', { name: 'Plan a sweep…' }).click()
  const sweep = page.getByTestId('sweep')
  await sweep.getByLabel('Prompts (one per line)').fill('a paper boat on a pond\na lantern in the fog')
  await sweep.getByLabel('Seeds').fill('1, 2')
  await sweep.getByLabel('Durations').fill('4')
  await sweep.getByRole('button', { name: '480p', exact: true }).click()
  await sweep.getByLabel('Service to add').selectOption('fal')
  await sweep.getByLabel('Model to add').selectOption('bytedance/seedance-2.0')
  await sweep.getByRole('button', { name: 'Add model' }).click()

  await expect(sweep.getByTestId('sweep-size')).toContainText('= 8 jobs')
  // 480p 16:9 is 864×480: × 24 fps × 4 s / 1024 = 38,880 tokens a job; $2.5 (Ark 1.0 Pro) and $14 (fal 2.0) per million.
  await expect(sweep.getByTestId('sweep-total-ark')).toHaveText(
    'BytePlus ModelArk: 4 jobs · ≈ 155,520 tokens · ≈ $0.39',
  )
  await expect(sweep.getByTestId('sweep-total-fal')).toHaveText('fal.ai: 4 jobs · ≈ 155,520 tokens · ≈ $2.18')
  await expect(sweep.getByTestId('sweep-usd')).toHaveText('≈ $2.57')
  await expect(sweep.getByTestId('sweep-preview').locator('tbody tr')).toHaveCount(8)
  // Nothing is queued while the sweep is being planned.
  expect(harness.engine.jobs.list()).toHaveLength(0)
  // Tall enough for the whole panel (the content area scrolls inside the window).
  await page.setViewportSize({ width: 1280, height: 1500 })
  // At 1280 px the panel has the view's width (not the composer's column), and no field spills out of its box.
  expect((await sweep.boundingBox())?.width).toBeGreaterThan(900)
  const spilled = await sweep.evaluate((root) => {
    const box = root.getBoundingClientRect()
    const fields = [...root.querySelectorAll('.sweep-axes > *')].map((el) => el.getBoundingClientRect())
    const out: string[] = []
    fields.forEach((a, i) => {
      if (a.right > box.right + 1) out.push(`field ${i} ends ${Math.round(a.right - box.right)} px past the panel`)
      fields.forEach((b, j) => {
        const overlap = Math.min(a.right, b.right) - Math.max(a.left, b.left)
        const rows = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top)
        if (j > i && overlap > 1 && rows > 1) out.push(`fields ${i} and ${j} overlap`)
      })
    })
    return out
  })
  expect(spilled).toEqual([])
  await sweep.screenshot({ path: 'test-results/screenshots/sweep-preview.png' })
  expect(await audit(page)).toEqual([])
  await page.emulateMedia({ colorScheme: 'dark' })
  await sweep.screenshot({ path: 'test-results/screenshots/sweep-preview-dark.png' })
  expect(await audit(page)).toEqual([])
  await page.emulateMedia({ colorScheme: 'light' })
  await page.setViewportSize({ width: 1280, height: 800 })
  await page.screenshot({ path: 'test-results/screenshots/sweep-create-1280x800.png' })

  await sweep.getByRole('button', { name: 'Queue sweep (8 jobs)', exact: true }).click()
  await expect(sweep.getByTestId('sweep-results')).toBeVisible()
  const jobs = harness.engine.jobs.list()
  expect(jobs).toHaveLength(8)
  expect(new Set(jobs.map((j) => j.sweep?.id)).size).toBe(1)
  expect(jobs.map((j) => j.request.provider).sort()).toEqual(['ark', 'ark', 'ark', 'ark', 'fal', 'fal', 'fal', 'fal'])

  // The panel keeps the sweep while the user looks at the queue.
  await page.getByRole('button', { name: 'Queue', exact: true }).click()
  await page.getByRole('button', { name: 'Create' }).click()
  await expect(sweep.getByTestId('sweep-results')).toContainText('8 of 8 videos ready', { timeout: 120_000 })
  await expect(sweep.locator('.sweep-cells li')).toHaveCount(8)
  await expect(sweep.locator('.sweep-cells li').first()).toContainText(
    'a paper boat on a pond · seed 1 · BytePlus ModelArk · Seedance 1.0 Pro',
  )
  await sweep.getByTestId('sweep-results').screenshot({ path: 'test-results/screenshots/sweep-done.png' })
})
