// Settings with the real OS keychain (gnome-keyring in CI) and a second Sandbox standing in for Seedance Cloud.
import { existsSync } from 'node:fs'
import * as keytar from '@napi-rs/keyring/keytar.js'
import { type Sandbox, startSandbox } from '../../electron/sandbox/server'
import { expect, test } from './harness/fixtures'

async function keychainReachable(): Promise<boolean> {
  try {
    await keytar.setPassword('Seedance Studio e2e probe', 'probe', 'x')
    await keytar.deletePassword('Seedance Studio e2e probe', 'probe')
    return true
  } catch {
    if (process.env.CI) throw new Error('CI must provide a Secret Service (see .ci/run)')
    return false
  }
}

let cloud: Sandbox
test.beforeAll(async () => {
  cloud = await startSandbox({ apiKey: 'sk_test_cloud_key_1234', genSeconds: { min: 1, max: 1 } })
})
test.afterAll(() => cloud.close())

test('API key: test reports the exact problem or the rate limit, save stores it in the keychain, remove deletes it', async ({
  page,
  harness,
}) => {
  test.skip(!(await keychainReachable()), 'no system keychain here')
  await harness.engine.updateSettings({ baseUrl: cloud.baseUrl })
  await harness.open()
  await page.getByRole('button', { name: 'Settings' }).click()
  await expect(page.getByTestId('key-status')).toHaveText('No key is stored.')
  const input = page.getByLabel('API key')
  await input.fill('sk_wrong_key_0000')
  await page.getByRole('button', { name: 'Test connection' }).click()
  await expect(page.getByTestId('key-test')).toHaveText('The API key is not valid. (INVALID_API_KEY)')
  await input.fill('sk_test_cloud_key_1234')
  await page.getByRole('button', { name: 'Test connection' }).click()
  await expect(page.getByTestId('key-test')).toContainText('Connected. Rate limit: 10 requests per minute')
  await page.getByRole('button', { name: 'Save' }).click()
  await expect(page.getByTestId('key-status')).toHaveText('A key ending in …1234 is stored in the system keychain.')
  await expect(input).toHaveValue('')
  await page.getByRole('button', { name: 'Seedance Cloud' }).click()
  await expect(page.getByTestId('provider-badge')).toHaveText('Seedance Cloud')
  await page.screenshot({ path: 'test-results/screenshots/settings.png', fullPage: true })
  await page.getByRole('button', { name: 'Remove' }).click()
  await expect(page.getByTestId('key-status')).toHaveText('No key is stored.')
  await expect(page.getByTestId('provider-badge')).toHaveText('Sandbox')
  await expect(page.getByTestId('connection')).toContainText('no API key is set')
})

test('a rejected key becomes an action: the banner sends you to Settings', async ({ page, harness }) => {
  test.skip(!(await keychainReachable()), 'no system keychain here')
  await harness.engine.updateSettings({ baseUrl: cloud.baseUrl, provider: 'cloud' })
  // Saved as the app saves it: bound to the service address in use.
  await harness.engine.setKey('sk_revoked_key_9999')
  await harness.open()
  await expect(page.getByTestId('provider-badge')).toHaveText('Seedance Cloud')
  await page.getByRole('button', { name: 'Create' }).click()
  await page.getByLabel('Prompt').fill('will be rejected')
  await page.getByRole('button', { name: 'Generate' }).click()
  await expect(page.getByRole('alert').filter({ hasText: 'Your API key was rejected' })).toBeVisible({
    timeout: 15_000,
  })
  await page.screenshot({ path: 'test-results/screenshots/error-key-rejected.png' })
  await page.getByRole('button', { name: 'Open Settings' }).click()
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible()
  await harness.engine.keychain.delete('cloud')
})

test('reload keeps library and queue; reuse settings fills the composer; delete removes the files', async ({
  page,
  harness,
}) => {
  const request = await harness.engine.prepare({
    prompt: 'misty forest at dawn, slow drone',
    duration: 2,
    resolution: '720p',
    aspectRatio: '9:16',
    style: 'dreamy',
  })
  const job = await harness.engine.jobs.submit(request)
  await harness.engine.jobs.whenIdle((j) => j.id === job.id)
  await harness.open()
  await page.reload()
  await page.getByRole('button', { name: 'Queue' }).click()
  await expect(page.getByTestId('job')).toHaveAttribute('data-state', 'done')
  await page.getByRole('button', { name: 'Library' }).click()
  await expect(page.getByTestId('video-card')).toHaveCount(1)
  await page.getByTestId('video-card').click()
  await page.getByRole('button', { name: 'Reuse settings' }).click()
  await expect(page.getByLabel('Prompt')).toHaveValue('misty forest at dawn, slow drone')
  await expect(page.getByText('Duration: 2 s')).toBeVisible()
  await expect(page.getByRole('button', { name: 'Portrait 9:16' })).toHaveAttribute('aria-pressed', 'true')
  await page.getByRole('button', { name: 'Library' }).click()
  await page.getByTestId('video-card').click()
  const entry = harness.engine.library.all()[0]
  const file = entry ? harness.engine.library.videoPath(entry) : ''
  expect(existsSync(file)).toBe(true)
  await page.getByRole('button', { name: 'Delete' }).click()
  await page.getByRole('button', { name: 'Delete' }).last().click()
  await expect(page.getByText('Your library is empty')).toBeVisible()
  expect(existsSync(file)).toBe(false)
})

test('usage shows jobs, success rate, generation times and credits per day', async ({ page, harness }) => {
  const job = await harness.engine.jobs.submit(
    await harness.engine.prepare({ prompt: 'usage check', duration: 1, resolution: '720p' }),
  )
  await harness.engine.jobs.whenIdle((j) => j.id === job.id)
  await harness.open()
  await page.getByRole('button', { name: 'Usage' }).click()
  await expect(page.getByTestId('usage-stats')).toContainText('100%')
  await expect(page.getByRole('list', { name: 'Credits per day' })).toContainText('1')
  await page.screenshot({ path: 'test-results/screenshots/usage.png', fullPage: true })
})
