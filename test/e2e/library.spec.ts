// A full library in real Chromium: browsing, search and filters, keyboard navigation and multi-select delete,
// and moving the library to another folder while it keeps playing from disk.
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { expect, test } from './harness/fixtures'
import { seedLibrary } from './harness/seed'

test('a full library: search, filters, keyboard navigation, select several and delete them', async ({
  page,
  harness,
}) => {
  const seeded = await seedLibrary(harness.engine)
  await harness.open()
  await page.getByRole('button', { name: 'Library' }).click()
  const count = page.getByTestId('result-count')
  await expect(count).toHaveText('12 videos')
  const cards = page.getByTestId('video-card')
  // Thumbnails come from disk through the media handler.
  await expect
    .poll(() =>
      cards
        .first()
        .locator('img')
        .evaluate((img: HTMLImageElement) => img.naturalWidth),
    )
    .toBeGreaterThan(0)
  await page.mouse.move(0, 0)
  await page.screenshot({ path: 'test-results/screenshots/library-full.png' })

  await page.getByLabel('Search the library').fill('neon')
  await expect(count).toHaveText('1 video')
  await expect(cards).toHaveCount(1)
  await page.getByLabel('Search the library').fill('')
  await page.getByLabel('Favourites').check()
  await expect(count).toHaveText('3 videos')
  await page.getByLabel('Favourites').uncheck()
  await page.getByLabel('Aspect ratio').selectOption('9:16')
  await expect(count).toHaveText('3 videos')
  await page.getByLabel('Aspect ratio').selectOption('')
  await expect(count).toHaveText('12 videos')

  // One tab stop for the grid; arrows move between cards, Ctrl+Space selects, Enter opens.
  await page.getByLabel('Sort').focus()
  await page.keyboard.press('Tab')
  await expect(cards.first()).toBeFocused()
  await page.keyboard.press('ArrowRight')
  await expect(page.locator('[data-index="1"]')).toBeFocused()
  const columns = await page.evaluate(() => {
    const tops = [...document.querySelectorAll('[data-testid="video-card"]')].map((c) => c.getBoundingClientRect().top)
    return tops.filter((t) => t === tops[0]).length
  })
  await page.keyboard.press('ArrowDown')
  await expect(page.locator(`[data-index="${1 + columns}"]`)).toBeFocused()
  await page.keyboard.press('Control+Space')
  await page.keyboard.press('End')
  await expect(page.locator('[data-index="11"]')).toBeFocused()
  await page.keyboard.press('Control+Space')
  await expect(page.getByRole('button', { name: 'Delete 2' })).toBeVisible()
  await page.keyboard.press('Home')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('detail')).toContainText(seeded[0]?.prompt as string)

  page.once('dialog', (dialog) => void dialog.accept())
  await page.getByRole('button', { name: 'Delete 2' }).click()
  await expect(count).toHaveText('10 videos')
  const left = (await readdir(harness.engine.library.dir)).filter((n) => n.endsWith('.mp4'))
  expect(left).toHaveLength(10)
})

test('the library folder: pick another, see its free space, move the videos there; they still play', async ({
  page,
  harness,
}) => {
  await seedLibrary(harness.engine, 3)
  const before = harness.engine.library.dir
  const target = path.join(path.dirname(before), 'Moved Library')
  harness.answerFolderPicker(target)
  await harness.open()
  await page.getByRole('button', { name: 'Settings' }).click()
  await expect(page.getByTestId('library-dir')).toHaveText(before)
  await expect(page.getByTestId('library-space')).toContainText(/^3 videos · .* free of /)
  await page.getByRole('button', { name: 'Change folder…' }).click()
  await expect(page.getByTestId('folder-choice')).toContainText('A new folder will be made there')
  await page.getByTestId('folder-choice').scrollIntoViewIfNeeded()
  await page.screenshot({ path: 'test-results/screenshots/settings-library-folder.png', fullPage: true })
  await page.getByRole('button', { name: 'Move 3 videos here' }).click()
  await expect(page.getByTestId('library-folder-done')).toHaveText(`Moved 3 videos to ${target}.`)
  await expect(page.getByTestId('library-dir')).toHaveText(target)
  expect((await readdir(target)).filter((n) => n.endsWith('.mp4'))).toHaveLength(3)

  // The library follows: the same videos, now played from the new folder.
  await page.getByRole('button', { name: 'Library' }).click()
  await expect(page.getByTestId('result-count')).toHaveText('3 videos')
  await page.getByTestId('video-card').first().click()
  await page.getByRole('button', { name: 'Play' }).click()
  const video = page.getByTestId('player-video')
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 10_000 }).toBeGreaterThan(1)
  expect(await video.evaluate((v: HTMLVideoElement) => v.duration)).toBeGreaterThan(0.4)
})
