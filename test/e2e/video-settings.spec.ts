// Issue 11, point 1, in real Chromium: a video the app saved carries its settings inside; dropped on the composer
// (as from the desktop or another machine), it fills the form again, its source image too where this machine keeps
// it. A video without settings, or a file that is not a video, says so.
import { readFile } from 'node:fs/promises'
import type { Page } from '@playwright/test'
import { isFinal } from '../../electron/shared/job-states'
import { renderClip } from '../fixtures/clip'
import { picture } from '../fixtures/images'
import { expect, test } from './harness/fixtures'

/** Drop a file on an element as the OS does (a DataTransfer holding one File). */
async function dropFile(page: Page, testId: string, name: string, bytes: Uint8Array, type = 'video/mp4') {
  await page.getByTestId(testId).evaluate(
    (target, [fileName, base64, mime]) => {
      const binary = atob(base64)
      const data = new Uint8Array(binary.length)
      for (let i = 0; i < binary.length; i++) data[i] = binary.charCodeAt(i)
      const transfer = new DataTransfer()
      transfer.items.add(new File([data], fileName, { type: mime }))
      for (const kind of ['dragenter', 'dragover', 'drop'])
        target.dispatchEvent(new DragEvent(kind, { bubbles: true, cancelable: true, dataTransfer: transfer }))
    },
    [name, Buffer.from(bytes).toString('base64'), type] as const,
  )
}

test('a saved video dropped on the composer restores its settings and its source image', async ({ page, harness }) => {
  const engine = harness.engine
  const outcome = (await engine.submit({
    provider: 'ark',
    prompt: 'A lighthouse in the fog at dawn, the camera still',
    image: { name: 'lighthouse.png', data: new Uint8Array(await picture(800, 450)) },
    duration: 3,
    resolution: '480p',
    aspectRatio: '4:3',
    seed: 4242,
    cameraFixed: true,
  })) as { job: { id: string } }
  await expect.poll(() => isFinal(engine.jobs.get(outcome.job.id)?.state ?? 'pending'), { timeout: 60_000 }).toBe(true)
  const entry = engine.library.get(outcome.job.id)
  expect(entry).toBeDefined()
  const video = await readFile(engine.library.videoPath(entry as NonNullable<typeof entry>))

  await harness.open()
  await page.getByRole('button', { name: 'Create' }).click()
  const composer = page.getByRole('form', { name: 'New video' })
  await expect(composer.getByLabel('Prompt')).toHaveValue('')
  await expect(composer.getByLabel('Service')).toHaveValue('seedance')

  await dropFile(page, 'video-settings-drop', 'lighthouse from a friend.mp4', video)
  await expect(page.getByTestId('video-settings-outcome')).toContainText(
    'Settings of “A lighthouse in the fog at dawn, the camera still” restored.',
  )
  await expect(composer.getByLabel('Service')).toHaveValue('ark')
  await expect(composer.getByLabel('Model', { exact: true })).toHaveValue('seedance-1-0-pro-250528')
  await expect(composer.getByLabel('Prompt')).toHaveValue('A lighthouse in the fog at dawn, the camera still')
  await expect(composer.getByRole('button', { name: 'Image to video' })).toHaveAttribute('aria-pressed', 'true')
  await expect(composer.getByLabel('Seed', { exact: true })).toHaveValue('4242')
  await expect(composer.getByLabel('Fixed camera')).toBeChecked()
  await expect(composer.getByLabel('Duration: 3 s')).toHaveValue('3')
  await expect(composer.getByRole('button', { name: '480p' })).toHaveAttribute('aria-pressed', 'true')
  await expect(composer.getByRole('button', { name: /^Classic 4:3/ })).toHaveAttribute('aria-pressed', 'true')
  // The source image, from this machine's kept copy, by its hash.
  await expect(composer.getByAltText('Source: lighthouse.png')).toBeVisible()
  await expect(page.getByTestId('image-drop')).toContainText('lighthouse.png · 800×450')
  await page.mouse.move(0, 0)
  await page.screenshot({ path: 'test-results/screenshots/video-settings-restored.png' })
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.screenshot({ path: 'test-results/screenshots/video-settings-restored-dark.png' })
  await composer.getByLabel('Fixed camera').scrollIntoViewIfNeeded()
  await page.screenshot({ path: 'test-results/screenshots/video-settings-restored-controls-dark.png' })
  await page.emulateMedia({ colorScheme: 'light' })
  await page.screenshot({ path: 'test-results/screenshots/video-settings-restored-controls.png' })

  // A video made elsewhere: no settings inside. The form is left as it was.
  await dropFile(page, 'video-settings-drop', 'holiday.mp4', await renderClip(320, 240, 12))
  await expect(page.getByTestId('video-settings-outcome')).toHaveText(
    'holiday.mp4 carries no Seedance Studio settings: it was not saved by the app.',
  )
  await expect(page.getByTestId('video-settings-outcome')).toHaveAttribute('role', 'alert')
  await expect(composer.getByLabel('Prompt')).toHaveValue('A lighthouse in the fog at dawn, the camera still')

  // A damaged file: half a video.
  await dropFile(page, 'video-settings-drop', 'cut.mp4', video.subarray(0, Math.floor(video.length / 2)))
  await expect(page.getByTestId('video-settings-outcome')).toContainText('cut.mp4 is not a video the app can read')
  await page.screenshot({ path: 'test-results/screenshots/video-settings-no-settings.png' })
})
