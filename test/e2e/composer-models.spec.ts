// The composer builds its controls from the chosen model (issue 10, point 7), and the queue and the library show
// which door and model each job and video went through, and filter by them. These run on the UI alone: the jobs
// here are held before they are sent, and the library is seeded with real videos recorded as the engine would.
import { expect, test } from './harness/fixtures'
import { seedLibrary } from './harness/seed'

test('switching to an Ark model brings 480p, 21:9 and a seed, takes style away, and says what it changed', async ({
  page,
  harness,
}) => {
  await harness.open()
  await page.getByRole('button', { name: 'Create' }).click()
  const composer = page.getByRole('form', { name: 'New video' })
  await expect(composer.getByRole('button', { name: '480p' })).toHaveCount(0)
  await expect(composer.getByRole('button', { name: 'Cinema 21:9' })).toHaveCount(0)
  await expect(composer.getByText('Style', { exact: true })).toBeVisible()
  await composer.getByLabel('Duration: 5 s').fill('8')

  await composer.getByLabel('Service').selectOption('ark')
  await expect(composer.getByLabel('Model', { exact: true })).toHaveValue('seedance-1-0-pro-250528')
  for (const name of ['480p', '720p', '1080p', 'Cinema 21:9', 'Classic 4:3', 'Portrait 3:4'])
    await expect(composer.getByRole('button', { name })).toBeVisible()
  await expect(composer.getByText('Style', { exact: true })).toHaveCount(0)
  await expect(composer.getByLabel('Seed', { exact: true })).toBeVisible()
  await expect(composer.getByLabel('Fixed camera')).toBeVisible()
  await expect(composer.getByLabel('Duration: 8 s')).toHaveAttribute('max', '12')
  await expect(composer.getByTestId('credit-estimate')).toHaveText(/^≈ [\d,]+ tokens$/)
  await expect(composer.getByTestId('usd-estimate')).toHaveText(/^≈ \$\d+\.\d\d$/)

  await composer.getByRole('button', { name: '480p' }).click()
  await composer.getByRole('button', { name: 'Cinema 21:9' }).click()
  await composer.getByLabel('Duration: 8 s').fill('12')
  await composer.getByRole('button', { name: 'Image to video' }).click()
  await expect(composer.getByTestId('last-frame-drop')).toBeVisible()
  await expect(composer.getByRole('button', { name: 'Adaptive: follows the image' })).toBeVisible()
  await page.screenshot({ path: 'test-results/screenshots/composer-ark.png', fullPage: true })

  // Back to the guide's model: every setting it cannot take is changed, and each change is said.
  await composer.getByLabel('Service').selectOption('seedance')
  const notice = composer.getByTestId('fit-notice')
  await expect(notice).toContainText('Duration 12 s → 8 s: Seedance (standard tier) makes 1–8 s.')
  await expect(notice).toContainText('Resolution 480p → 720p')
  await expect(notice).toContainText('Aspect ratio 21:9 → 16:9')
  await expect(composer.getByTestId('last-frame-drop')).toHaveCount(0)
  await expect(composer.getByLabel('Seed', { exact: true })).toHaveCount(0)
  await page.screenshot({ path: 'test-results/screenshots/composer-fit-notice.png', fullPage: true })
})

test('a locked seed stays for the next generation; the queue shows each job’s door and model', async ({
  page,
  harness,
}) => {
  // Held: these jobs are looked at in the queue, not sent (the doors beyond the guide's land with the engine).
  const release = harness.engine.jobs.holdSubmissions()
  await harness.open()
  await page.getByRole('button', { name: 'Create' }).click()
  const composer = page.getByRole('form', { name: 'New video' })
  await composer.getByLabel('Service').selectOption('ark')
  await composer.getByLabel('Prompt').fill('A lighthouse in a storm')
  await composer.getByLabel('Lock seed').check()
  await composer.getByRole('button', { name: 'Generate' }).click()
  // The app stays on Create, where the take appears (the studio).
  await expect(page.getByTestId('take')).toHaveCount(1)
  const seed = await composer.getByLabel('Seed', { exact: true }).inputValue()
  expect(seed).toMatch(/^\d+$/)
  await composer.getByLabel('Prompt').fill('A lighthouse in a storm, at night')
  await composer.getByRole('button', { name: 'Generate' }).click()
  await page.getByRole('button', { name: 'Create' }).click()
  await expect(composer.getByLabel('Seed', { exact: true })).toHaveValue(seed)

  // Unlocked, a seed is used once.
  await composer.getByLabel('Lock seed').uncheck()
  await composer.getByLabel('Service').selectOption('fal')
  await composer.getByLabel('Prompt').fill('A harbour at dawn')
  await composer.getByRole('button', { name: 'Generate' }).click()
  await page.getByRole('button', { name: 'Create' }).click()
  await expect(composer.getByLabel('Seed', { exact: true })).toHaveValue('')

  await page.getByRole('button', { name: 'Queue' }).click()
  const models = page.getByTestId('job-model')
  await expect(models).toHaveText([
    'fal.ai · Seedance 1.0 Pro',
    'BytePlus ModelArk · Seedance 1.0 Pro',
    'BytePlus ModelArk · Seedance 1.0 Pro',
  ])
  await page.screenshot({ path: 'test-results/screenshots/queue-doors.png' })
  const jobs = harness.engine.jobs.list()
  expect(jobs.map((j) => [j.request.provider, j.request.model]).sort()).toEqual([
    ['ark', 'seedance-1-0-pro-250528'],
    ['ark', 'seedance-1-0-pro-250528'],
    ['fal', 'fal-ai/bytedance/seedance/v1/pro'],
  ])
  // The jobs were looked at, not sent: remove them before the harness closes.
  for (const j of jobs) await harness.engine.jobs.cancel(j.id)
  release()
})

test('the library shows each video’s door and model and filters by them', async ({ page, harness }) => {
  const doors = [
    {},
    { provider: 'ark', model: 'seedance-1-0-pro-250528', seed: 1234 },
    { provider: 'fal', model: 'bytedance/seedance-2.0' },
    { provider: 'replicate', model: 'bytedance/seedance-2.0' },
  ] as const
  await seedLibrary(harness.engine, 4, (i) => ({ ...doors[i] }))
  await harness.open()
  await page.getByRole('button', { name: 'Library' }).click()
  const count = page.getByTestId('result-count')
  await expect(count).toHaveText('4 videos')
  await page.getByLabel('Service').selectOption('ark')
  await expect(count).toHaveText('1 video')
  await page.getByTestId('video-card').first().click()
  await expect(page.getByTestId('detail-model')).toHaveText('BytePlus ModelArk · Seedance 1.0 Pro')
  await expect(page.getByTestId('detail')).toContainText('seed 1234')
  await page.screenshot({ path: 'test-results/screenshots/library-door-filter.png' })
  // A video made before the doors is the guide's.
  await page.getByLabel('Service').selectOption('seedance')
  await expect(count).toHaveText('1 video')
  // The same model id at two doors is two choices.
  await page.getByLabel('Service').selectOption('')
  await page.getByLabel('Model', { exact: true }).selectOption('replicate bytedance/seedance-2.0')
  await expect(count).toHaveText('1 video')
  await expect(page.getByLabel('Service')).toHaveValue('replicate')

  // Reuse settings brings the door, model and seed back into the composer.
  await page.getByLabel('Service').selectOption('ark')
  await page.getByTestId('video-card').first().click()
  await page.getByRole('button', { name: 'Reuse settings' }).click()
  const composer = page.getByRole('form', { name: 'New video' })
  await expect(composer.getByLabel('Service')).toHaveValue('ark')
  await expect(composer.getByLabel('Model', { exact: true })).toHaveValue('seedance-1-0-pro-250528')
  await expect(composer.getByLabel('Seed', { exact: true })).toHaveValue('1234')
})
