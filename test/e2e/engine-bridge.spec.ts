import { expect, test } from './harness/fixtures'

test('the page drives the real engine over window.seedance: submit, live jobs:changed events, library', async ({
  page,
  harness,
}) => {
  await harness.open()
  const states = await page.evaluate(async () => {
    const seedance = (window as unknown as { seedance: import('../../electron/shared/contract').SeedanceBridge })
      .seedance
    const seen: string[] = []
    const done = new Promise<void>((resolve) => {
      seedance.on('jobs:changed', (job) => {
        seen.push(job.state)
        if (job.state === 'done' || job.state === 'failed') resolve()
      })
    })
    const submitted = await seedance.invoke('jobs:submit', {
      prompt: 'browser harness sunset',
      duration: 1,
      resolution: '720p',
    })
    if (!submitted.ok) throw new Error(submitted.error.message)
    await done
    return seen
  })
  expect(states.at(-1)).toBe('done')
  expect(states).toEqual(expect.arrayContaining(['submitting', 'queued', 'downloading', 'done']))
  const page1 = await page.evaluate(() =>
    (window as unknown as { seedance: import('../../electron/shared/contract').SeedanceBridge }).seedance.invoke(
      'library:query',
      { search: 'harness' },
    ),
  )
  expect(page1).toMatchObject({
    ok: true,
    data: { total: 1, items: [{ prompt: 'browser harness sunset', resolution: '720p' }] },
  })
  expect(harness.engine.library.size).toBe(1)
})
