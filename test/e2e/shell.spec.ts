import { expect, test } from './harness/fixtures'

test('the app shell opens and shows what the engine reports over app:info', async ({ page, harness }) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })

  await harness.open()
  await expect(page.getByRole('heading', { level: 1, name: 'Seedance Studio' })).toBeVisible()
  await page.getByRole('button', { name: 'About' }).click()
  await expect(page.getByTestId('app-version')).toHaveText(/^\d+\.\d+\.\d+/)
  await expect(page.getByTestId('path-userdata')).toHaveText(harness.paths.userData)
  await expect(page.getByTestId('path-library')).toHaveText(harness.paths.library)
  await page.screenshot({ path: 'test-results/screenshots/shell.png', fullPage: true })
  expect(errors).toEqual([])
})

test('the page runs under the production CSP: no inline script, no network beyond its origin', async ({
  page,
  harness,
}) => {
  await harness.open()
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')
  expect(csp).toContain("script-src 'self'")
  // Each blocked attempt raises a securitypolicyviolation event naming the directive that stopped it. The events
  // arrive asynchronously: wait for them (a fixed 50 ms pause raced them on a loaded machine).
  type Probe = { __seen?: string[]; __injected?: boolean }
  const violations = await page.evaluate(async () => {
    const w = window as unknown as Probe
    w.__seen = []
    document.addEventListener('securitypolicyviolation', (e) => w.__seen?.push(e.effectiveDirective))
    const script = document.createElement('script')
    script.textContent = 'window.__injected = true'
    document.body.append(script)
    const fetched = await fetch('http://127.0.0.1:9/steal').then(
      () => 'reached',
      () => 'blocked',
    )
    return { fetched, injected: w.__injected ?? false }
  })
  expect(violations.injected).toBe(false)
  expect(violations.fetched).toBe('blocked')
  await expect
    .poll(() => page.evaluate(() => (window as unknown as Probe).__seen ?? []))
    .toEqual(expect.arrayContaining(['script-src-elem', 'connect-src']))
})

test('window.seedance exposes only the contract, and the real IPC checks apply', async ({ page, harness }) => {
  await harness.open()
  const unknown = await page.evaluate(() =>
    (window as unknown as { seedance: { invoke(c: string, p: unknown): Promise<unknown> } }).seedance.invoke(
      'fs:read',
      '/etc/passwd',
    ),
  )
  expect(unknown).toMatchObject({ ok: false, error: { code: 'IPC_UNKNOWN_CHANNEL' } })
  const invalid = await page.evaluate(() =>
    (window as unknown as { seedance: { invoke(c: string, p: unknown): Promise<unknown> } }).seedance.invoke(
      'app:info',
      { x: 1 },
    ),
  )
  expect(invalid).toMatchObject({ ok: false, error: { code: 'IPC_INVALID_PAYLOAD' } })
  const keys = await page.evaluate(() => Object.keys((window as unknown as { seedance: object }).seedance).sort())
  expect(keys).toEqual(['invoke', 'on'])
})
