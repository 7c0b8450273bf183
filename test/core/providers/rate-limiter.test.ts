import { describe, expect, it } from 'vitest'
import { ClientRateLimiter } from '../../../electron/core/providers/rate-limiter'
import { FakeClock } from '../../fakes/clock'

describe('ClientRateLimiter', () => {
  it('lets the limit through at once, then waits for the window (with a safety margin)', async () => {
    const clock = new FakeClock()
    const limiter = new ClientRateLimiter(10, clock)
    for (let i = 0; i < 10; i++) await limiter.acquire()
    expect(clock.sleeps).toEqual([])
    await limiter.acquire()
    expect(clock.sleeps).toEqual([61_000])
  })

  it('follows the service: a lower advertised limit, and remaining 0 until the reset', async () => {
    const clock = new FakeClock()
    const limiter = new ClientRateLimiter(10, clock)
    const serverNow = clock.now()
    limiter.observe(
      new Headers({
        'x-ratelimit-limit': '3',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.ceil((serverNow + 20_000) / 1000)),
        date: new Date(serverNow).toUTCString(),
      }),
    )
    expect(limiter.snapshot().limit).toBe(3)
    await limiter.acquire()
    expect(clock.sleeps).toHaveLength(1)
    expect(clock.sleeps[0]).toBeGreaterThanOrEqual(20_000)
    expect(clock.sleeps[0]).toBeLessThanOrEqual(22_000)
  })

  it('corrects for a service clock that differs from ours, using its Date header', async () => {
    const clock = new FakeClock()
    const limiter = new ClientRateLimiter(10, clock)
    const serverNow = clock.now() + 3_600_000 // an hour ahead
    limiter.observe(
      new Headers({
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String((serverNow + 10_000) / 1000),
        date: new Date(serverNow).toUTCString(),
      }),
    )
    await limiter.acquire()
    expect(clock.sleeps[0]).toBeLessThanOrEqual(11_000)
  })

  it('pauses after a 429 for as long as the service asked', async () => {
    const clock = new FakeClock()
    const limiter = new ClientRateLimiter(10, clock)
    limiter.pause(30)
    await limiter.acquire()
    expect(clock.sleeps).toEqual([30_000])
  })

  it('serves waiting callers in order, one slot each', async () => {
    const clock = new FakeClock()
    const limiter = new ClientRateLimiter(2, clock, 1000)
    const order: number[] = []
    await Promise.all([1, 2, 3, 4].map((n) => limiter.acquire().then(() => order.push(n))))
    expect(order).toEqual([1, 2, 3, 4])
    expect(clock.sleeps).toEqual([2000])
  })
})
