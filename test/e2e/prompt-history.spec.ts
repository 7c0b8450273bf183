// Prompt history (issue 11, point 6) in real Chromium: the composer's history lists every prompt used (starred
// first, one row whatever the spacing), searches it, inserts a prompt with the keyboard or a click, stars one (kept
// by the engine), and opens the library on a prompt's videos.
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { expect, test } from './harness/fixtures'
import { SEED_PROMPTS, seedLibrary } from './harness/seed'

const GOLDEN = SEED_PROMPTS[0]?.prompt as string
const AURORA = SEED_PROMPTS[2]?.prompt as string

/** WCAG 2.1 A and AA violations on the page, as the accessibility spec checks every view. */
async function audit(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze()
  return violations.flatMap((v) => v.nodes.map((n) => `${v.id} at ${n.target.join(' ')}: ${n.failureSummary}`))
}

test('insert a prompt from the history into the composer, star one, open its videos', async ({ page, harness }) => {
  // Four videos; the second has the first one's prompt, spaced differently: one history row with two videos.
  await seedLibrary(harness.engine, 4, (i) => (i === 1 ? { prompt: GOLDEN.replace(' ', '   ') } : {}))
  await harness.engine.prompts.star(AURORA, true)
  await harness.open()
  await page.getByRole('button', { name: 'Create', exact: true }).click()

  const prompt = page.locator('#prompt')
  await page.getByTestId('prompt-history-button').click()
  const panel = page.getByRole('dialog', { name: 'Prompt history' })
  await expect(panel).toBeVisible()
  const rows = panel.getByTestId('history-row')
  await expect(rows).toHaveCount(3)
  // Starred first, then by last use.
  await expect(rows.first()).toContainText(AURORA)
  await expect(rows.first().getByRole('button', { name: 'Unstar this prompt' })).toHaveAttribute('aria-pressed', 'true')
  await expect(panel.getByRole('status')).toHaveText('3 prompts.')
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    await page.screenshot({ path: `test-results/screenshots/prompt-history-${colorScheme}.png` })
    expect(await audit(page), colorScheme).toEqual([])
  }
  await page.emulateMedia({ colorScheme: 'light' })

  // Search as you type; Enter puts the match in the composer and closes the history.
  const search = panel.getByLabel('Search your prompts')
  await expect(search).toBeFocused()
  await search.fill('GOLDEN ocean')
  await expect(rows).toHaveCount(1)
  await expect(rows.first()).toContainText('Used 2×')
  await expect(rows.first().getByRole('button', { name: '2 videos' })).toBeVisible()
  await page.keyboard.press('Enter')
  await expect(panel).toBeHidden()
  await expect(prompt).toHaveValue(GOLDEN)
  await expect(prompt).toBeFocused()

  // Keyboard only: open, ↓ to the second row, Enter.
  await page.getByTestId('prompt-history-button').click()
  await expect(search).toBeFocused()
  await expect(search).toHaveValue('')
  const second = (await rows.nth(1).locator('.history-prompt').textContent()) as string
  expect(second).not.toBe(AURORA)
  await page.keyboard.press('ArrowDown')
  await expect(rows.nth(1)).toHaveClass(/active/)
  await page.keyboard.press('Enter')
  await expect(prompt).toHaveValue(second)

  // Esc closes without changing the prompt; a click on a row inserts it.
  await page.getByTestId('prompt-history-button').click()
  await page.keyboard.press('Escape')
  await expect(panel).toBeHidden()
  await expect(prompt).toHaveValue(second)
  await expect(page.getByTestId('prompt-history-button')).toBeFocused()

  // Star a prompt: it moves up among the starred, and the engine keeps it (prompt-stars.json).
  await page.getByTestId('prompt-history-button').click()
  await search.fill('golden')
  await rows.first().getByRole('button', { name: 'Star this prompt' }).click()
  await expect(rows.first().getByRole('button', { name: 'Unstar this prompt' })).toBeVisible()
  expect(harness.engine.prompts.starred()).toEqual([GOLDEN, AURORA])
  await search.fill('')
  await panel.getByLabel('Starred').check()
  await expect(rows).toHaveCount(2)
  await expect(rows.first()).toContainText(GOLDEN)

  // A prompt's videos: the library, filtered to that prompt, until the filter is cleared.
  await rows.first().getByRole('button', { name: '2 videos' }).click()
  await expect(page.getByRole('heading', { name: 'Library' })).toBeVisible()
  await expect(page.getByTestId('result-count')).toHaveText('2 videos')
  await expect(page.getByTestId('prompt-filter')).toContainText(GOLDEN)
  await page.screenshot({ path: 'test-results/screenshots/prompt-history-videos.png' })
  expect(await audit(page)).toEqual([])
  await page.getByRole('button', { name: "Show every prompt's videos" }).click()
  await expect(page.getByTestId('result-count')).toHaveText('4 videos')
})
