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
  // The service-side states the page sees (queued, processing) depend on when the engine polls the Sandbox, so
  // only the engine's own steps are asserted, in order (asserting 'queued' raced the Sandbox's queue time).
  const steps = states.filter((s) => ['submitting', 'downloading', 'done'].includes(s))
  expect(steps.filter((s, i) => s !== steps[i - 1])).toEqual(['submitting', 'downloading', 'done'])
  expect(states.at(-1)).toBe('done')
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
