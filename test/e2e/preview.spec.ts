// `npm run ui` (harness/preview.ts): the app in a plain browser page, over HTTP instead of a Playwright binding,
// with the real engine on the Sandbox. No test hook reaches into the page: it is what a contributor sees.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { expect, test } from '@playwright/test'
import { type Preview, startPreview } from './harness/preview'

let preview: Preview
let home: string
test.beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'seedance-preview-'))
  preview = await startPreview({ home, genSeconds: 1 })
})
test.afterEach(async () => {
  await preview.close()
  await rm(home, { recursive: true, force: true })
})

test('the printed address opens the app; a job made there lands in the library and plays', async ({ page }) => {
  await page.goto(preview.url)
  await expect(page.getByTestId('provider-badge')).toHaveText('Sandbox')
  await page.getByRole('button', { name: 'Create' }).click()
  await page.getByLabel('Prompt').fill('preview: a paper boat on a pond')
  await page.getByRole('button', { name: '720p' }).click()
  await page.getByLabel('Duration: 5 s').fill('1')
  await page.getByRole('button', { name: 'Generate' }).click()
  await page.getByRole('button', { name: 'Queue' }).click()
  // Events reach the page over server-sent events: the queue follows the job to the end.
  await expect(page.getByTestId('job').first()).toHaveAttribute('data-state', 'done', { timeout: 30_000 })
  await page.getByTestId('job').first().getByRole('button', { name: 'Open' }).click()
  await expect(page.getByTestId('detail')).toContainText('preview: a paper boat on a pond')
  await page.getByRole('button', { name: 'Play' }).click()
  const video = page.getByTestId('player-video')
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.readyState), { timeout: 10_000 }).toBeGreaterThan(1)
  expect(preview.core.engine.library.size).toBe(1)
})

test('only the browser given the token, and only the app’s own page, may use it', async ({ request }) => {
  const base = preview.core.url
  expect((await request.get(`${base}/index.html`)).status()).toBe(403)
  expect((await request.get(`${base}/__bridge/login?token=guess`, { maxRedirects: 0 })).status()).toBe(403)
  const login = await request.get(preview.url, { maxRedirects: 0 })
  expect(login.status()).toBe(302)
  // With the cookie (kept by the request context), a page of another origin is still refused by the sender policy.
  const foreign = await request.post(`${base}/__bridge/invoke`, {
    headers: { origin: 'http://evil.example' },
    data: { channel: 'engine:status' },
  })
  expect(await foreign.json()).toMatchObject({ ok: false, error: { code: 'IPC_UNTRUSTED_SENDER' } })
  const own = await request.post(`${base}/__bridge/invoke`, {
    headers: { origin: base },
    data: { channel: 'engine:status' },
  })
  expect(await own.json()).toMatchObject({ ok: true, data: { provider: 'seedance', target: 'sandbox' } })
})
