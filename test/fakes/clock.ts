// A clock whose sleep returns at once and moves time forward, so retry and rate-limit waits can be
// asserted exactly without waiting for them.
import type { LimiterClock } from '../../electron/core/api/rate-limiter'

export class FakeClock implements LimiterClock {
  readonly sleeps: number[] = []
  constructor(private t = Date.UTC(2026, 10, 26, 12, 0, 0)) {}
  now(): number {
    return this.t
  }
  advance(ms: number): void {
    this.t += ms
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason
    this.sleeps.push(ms)
    this.t += ms
  }
}
