// A budget that holds (issue 11 point 5), in Chromium over the real engine and Sandbox: a daily cap set in the
// Usage view holds the next job that would pass it; the banner says what is spent, what is left and when the cap
// resets, passes WCAG AA checks in both themes (screenshots of each), and "Raise cap" lets the queue go on.
import AxeBuilder from '@axe-core/playwright'
import { expect, test } from './harness/fixtures'

for (const colorScheme of ['light', 'dark'] as const) {
  test(`a cap set in Usage holds the queue with a banner, and raising it resumes (${colorScheme})`, async ({
    page,
    harness,
  }) => {
    await page.emulateMedia({ colorScheme })
    await harness.open()

    // Usage: a daily cap of 2 credits on the guide's door.
    await page.getByRole('button', { name: 'Usage' }).click()
    const seedance = page.getByRole('listitem', { name: 'Seedance API budget' })
    await seedance.getByRole('button', { name: 'Add a daily cap' }).click()
    await seedance.getByRole('textbox', { name: 'Amount' }).fill('2')
    await seedance.getByRole('button', { name: 'Save cap' }).click()
    await expect(seedance.getByRole('meter', { name: 'daily cap used' })).toHaveAttribute('max', '2')
    await expect(seedance).toContainText('0 credits spent, 2 credits left')

    // Create: a 4 s 720p video costs 3 credits on the guide's door: held, not sent.
    await page.getByRole('button', { name: 'Create' }).click()
    await page.getByLabel('Prompt').fill('budget held lighthouse')
    await page.getByRole('button', { name: '720p', exact: true }).click()
    await page.getByLabel(/^Duration/).fill('4')
    await page.getByRole('button', { name: 'Generate' }).click()

    const banner = page.getByRole('alert', { name: 'Seedance API spending cap reached' })
    await expect(banner).toBeVisible()
    await expect(banner).toContainText('Seedance API’s daily cap of 2 credits is reached')
    const figure = (term: string) => banner.locator('dt', { hasText: term }).locator('xpath=following-sibling::dd')
    await expect(figure('Spent')).toHaveText('0 credits')
    await expect(figure('Left')).toHaveText('2 credits')
    await expect(figure('Next job')).toHaveText('3 credits')
    await expect(figure('Resets')).toContainText('tomorrow')
    const [job] = harness.engine.jobs.list()
    expect(job?.state).toBe('pending')
    expect(harness.engine.jobs.paused?.code).toBe('BUDGET_CAP')

    const { violations } = await new AxeBuilder({ page })
      .include('.budget-banner')
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .analyze()
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.failureSummary).join('; ')}`)).toEqual([])
    // However far the view is scrolled (the composer is taller than the window), the banner stays in sight.
    await page.locator('main.content').evaluate((el) => el.scrollTo(0, el.scrollHeight))
    await expect(banner).toBeInViewport()
    await page.screenshot({ path: `test-results/screenshots/budget-banner-${colorScheme}.png` })

    // Raise it inline: the editor suggests enough for the held job; saving lets the queue go on.
    await banner.getByRole('button', { name: 'Raise cap' }).click()
    await expect(banner.getByRole('textbox', { name: 'Amount' })).toHaveValue('3')
    await page.screenshot({ path: `test-results/screenshots/budget-raise-${colorScheme}.png` })
    await banner.getByRole('button', { name: 'Save cap' }).click()
    await expect(banner).toBeHidden()
    await expect.poll(() => harness.engine.jobs.get(job?.id ?? '')?.state, { timeout: 30_000 }).toBe('done')

    await page.getByRole('button', { name: 'Usage' }).click()
    await expect(seedance).toContainText('3 credits spent, 0 credits left')
    await page.screenshot({ path: `test-results/screenshots/budget-usage-${colorScheme}.png`, fullPage: true })
  })
}
