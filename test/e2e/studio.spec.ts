// The studio as a creator uses it, in real Chromium, with the real engine and the built-in Sandbox.
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { picture } from '../fixtures/images'
import { expect, test } from './harness/fixtures'

test('text to video end to end: compose → queue → done → library → plays', async ({ page, harness }) => {
  await harness.open()
  await expect(page.getByTestId('provider-badge')).toHaveText('Sandbox')
  await page.getByRole('button', { name: 'Create' }).click()
  await page.getByLabel('Prompt').fill('Sunset over the ocean, slow pan, cinematic')
  await page.getByRole('button', { name: '720p' }).click()
  await page.getByLabel('Duration: 5 s').fill('2')
  await expect(page.getByTestId('credit-estimate')).toHaveText('≈ 2 credits')
  await page.screenshot({ path: 'test-results/screenshots/composer.png' })
  // Held until the queue has been seen with the job waiting: a 1-second Sandbox job could otherwise be done
  // before the first look (that raced on a loaded machine).
  const release = harness.engine.jobs.holdSubmissions()
  await page.getByLabel('Prompt').press('Control+Enter')

  // The app stays on Create (the studio shows the take); the queue shows the job waiting, then done.
  await expect(page.getByTestId('take').first()).toHaveAttribute('data-state', 'pending')
  await page.getByRole('button', { name: 'Queue' }).click()
  await expect(page.getByRole('heading', { name: 'Queue' })).toBeVisible()
  const job = page.getByTestId('job').first()
  await expect(job).toHaveAttribute('data-state', 'pending')
  await page.screenshot({ path: 'test-results/screenshots/queue-first-job.png' })
  release()
  await expect(job).toHaveAttribute('data-state', 'done', { timeout: 30_000 })

  // Open it: the library's detail panel, then the player, which really plays from disk.
  await job.getByRole('button', { name: 'Open' }).click()
  await expect(page.getByTestId('detail')).toContainText('Sunset over the ocean, slow pan, cinematic')
  await expect(page.getByTestId('video-card')).toHaveCount(1)
  await page.screenshot({ path: 'test-results/screenshots/library-detail.png' })
  await page.getByRole('button', { name: 'Play' }).click()
  const video = page.getByTestId('player-video')
  await expect
    .poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 10_000 })
    .toBeGreaterThan(0.3)
  expect(await video.evaluate((v: HTMLVideoElement) => [v.videoWidth, v.videoHeight])).toEqual([1280, 720])
  await page.screenshot({ path: 'test-results/screenshots/player.png' })
})

test('the same request again offers the video already made', async ({ page, harness }) => {
  const request = await harness.engine.prepare({
    prompt: 'a quiet lake at dawn',
    duration: 1,
    resolution: '720p',
    aspectRatio: '16:9',
  })
  const job = await harness.engine.jobs.submit(request)
  await harness.engine.jobs.whenIdle((j) => j.id === job.id)
  await harness.open()
  await page.getByRole('button', { name: 'Create' }).click()
  await page.getByLabel('Prompt').fill('a quiet lake at dawn')
  await page.getByRole('button', { name: '720p' }).click()
  await page.getByLabel('Duration: 5 s').fill('1')
  await page.getByRole('button', { name: 'Generate' }).click()
  await expect(page.getByTestId('already-made')).toContainText('You already made this on')
})

test('an invalid image is rejected inline, naming the rule', async ({ page, harness }) => {
  await harness.open()
  await page.getByRole('button', { name: 'Create' }).click()
  await page.getByRole('button', { name: 'Image to video' }).click()
  await page
    .getByLabel('Choose an image')
    .setInputFiles({ name: 'tiny.png', mimeType: 'image/png', buffer: await picture(200, 200) })
  await expect(page.getByTestId('image-error')).toHaveText('The image is 200×200 px; each side must be 300–6,000 px.')
  await expect(page.getByRole('button', { name: 'Generate' })).toBeDisabled()
  await page.screenshot({ path: 'test-results/screenshots/image-error.png' })
})

test('image to video from a dropped PNG: preview, then a job with the image', async ({ page, harness }) => {
  await harness.open()
  await page.getByRole('button', { name: 'Create' }).click()
  await page.getByRole('button', { name: 'Image to video' }).click()
  const png = await picture(1200, 800)
  // Drop it as the OS would: a DataTransfer carrying the file.
  const dataTransfer = await page.evaluateHandle((bytes) => {
    const dt = new DataTransfer()
    dt.items.add(new File([new Uint8Array(bytes)], 'holiday.png', { type: 'image/png' }))
    return dt
  }, Array.from(png))
  await page.getByTestId('image-drop').dispatchEvent('drop', { dataTransfer })
  await expect(page.getByRole('img', { name: 'Source: holiday.png' })).toBeVisible()
  await expect(page.getByText('holiday.png · 1200×800')).toBeVisible()
  await page.getByLabel('Prompt').fill('slow push in')
  await page.getByRole('button', { name: '720p' }).click()
  await page.getByLabel('Duration: 5 s').fill('1')
  await page.screenshot({ path: 'test-results/screenshots/composer-image.png' })
  await page.getByRole('button', { name: 'Generate' }).click()
  await page.getByRole('button', { name: 'Queue' }).click()
  await expect(page.getByTestId('job').first()).toHaveAttribute('data-state', 'done', { timeout: 30_000 })
  const [job] = harness.engine.jobs.list()
  expect(job?.request).toMatchObject({ mode: 'image', image: { name: 'holiday.png' } })
  // Reuse settings brings the source image back into the composer.
  await page.getByTestId('job').first().getByRole('button', { name: 'Open' }).click()
  await page.getByRole('button', { name: 'Reuse settings' }).click()
  await expect(page.getByRole('img', { name: 'Source: holiday.png' })).toBeVisible()
  await expect(page.getByLabel('Prompt')).toHaveValue('slow push in')
})

test('image to video from a pasted JPEG', async ({ page, harness }) => {
  await harness.open()
  await page.getByRole('button', { name: 'Create' }).click()
  const jpeg = await picture(1000, 1000, 'jpeg')
  // Paste into the composer as the clipboard would deliver it: it switches to image mode and takes the picture.
  await page.getByLabel('Prompt').focus()
  await page.evaluate((bytes) => {
    const dt = new DataTransfer()
    dt.items.add(new File([new Uint8Array(bytes)], 'clipboard.jpg', { type: 'image/jpeg' }))
    const event = new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true })
    document.querySelector('#prompt')?.dispatchEvent(event)
  }, Array.from(jpeg))
  await expect(page.getByRole('button', { name: 'Image to video' })).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByText('clipboard.jpg · 1000×1000')).toBeVisible()
  await page.getByLabel('Prompt').fill('pull back slowly')
  await page.getByRole('button', { name: '720p' }).click()
  await page.getByRole('button', { name: 'Square 1:1' }).click()
  await page.getByLabel('Duration: 5 s').fill('1')
  await page.getByRole('button', { name: 'Generate' }).click()
  await page.getByRole('button', { name: 'Queue' }).click()
  await expect(page.getByTestId('job').first()).toHaveAttribute('data-state', 'done', { timeout: 30_000 })
  const entry = harness.engine.library.all()[0]
  expect(entry).toMatchObject({ mode: 'image', width: 720, height: 720, image: { name: 'clipboard.jpg' } })
})

test('a CSV batch is previewed row by row, then queued', async ({ page, harness }) => {
  await harness.open()
  await page.getByRole('button', { name: 'Create' }).click()
  const csv = [
    'id,prompt,duration,resolution,aspect_ratio',
    'a,batch ocean at dawn,1,720p,16:9',
    'b,batch neon city,1,720p,9:16',
    'c,,1,720p,1:1',
  ].join('\n')
  // The user picks the CSV in the OS file dialog, which main reads (the renderer never sends its text).
  const file = path.join(harness.engine.library.dir, '..', 'plan.csv')
  await writeFile(file, csv)
  harness.answerCsvPicker(file)
  await page.getByRole('button', { name: 'Import a CSV batch…' }).click()
  const preview = page.getByTestId('batch-preview')
  await expect(preview).toContainText('plan.csv: 3 rows')
  await expect(preview.getByRole('row')).toHaveCount(4)
  await expect(preview).toContainText('Invalid: The prompt is empty.')
  await page.screenshot({ path: 'test-results/screenshots/batch-preview.png', fullPage: true })
  await page.getByRole('button', { name: 'Queue 2 videos' }).click()
  await expect(page.getByRole('heading', { name: 'Queue' })).toBeVisible()
  await expect(page.getByTestId('job')).toHaveCount(2)
  await expect(page.locator('[data-testid="job"][data-state="done"]')).toHaveCount(2, { timeout: 45_000 })
})
