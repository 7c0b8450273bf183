// A clock whose sleep returns at once and moves time forward, so retry and rate-limit waits can be
// asserted exactly without waiting for them.
import type { LimiterClock } from '../../electron/core/providers/rate-limiter'

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

/**
 * A clock for the job manager (now + setTimeout): time moves only when a test calls `advance` or `next`,
 * which run the timers that fall due, in order. Lets a test step through backoff waits of minutes at once.
 */
export class TimerClock {
  private timers = new Map<number, { at: number; fn: () => void }>()
  private seq = 0
  constructor(private t = Date.now()) {}
  now(): number {
    return this.t
  }
  setTimeout(fn: () => void, ms: number): unknown {
    this.seq += 1
    this.timers.set(this.seq, { at: this.t + Math.max(0, ms), fn })
    return this.seq
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number)
  }
  /** When the earliest timer falls due, or null when none is set. */
  nextAt(): number | null {
    let at: number | null = null
    for (const t of this.timers.values()) at = at === null ? t.at : Math.min(at, t.at)
    return at
  }
  /** Move time forward by `ms`, running the timers that fall due on the way, in order. */
  advance(ms: number): void {
    const target = this.t + ms
    for (let at = this.nextAt(); at !== null && at <= target; at = this.nextAt()) this.next()
    this.t = target
  }
  /** Jump to the earliest timer and run every timer due by then. Returns false when no timer was set. */
  next(): boolean {
    const at = this.nextAt()
    if (at === null) return false
    this.t = Math.max(this.t, at)
    for (const [id, timer] of [...this.timers.entries()].sort((a, b) => a[1].at - b[1].at)) {
      if (timer.at > this.t) break
      this.timers.delete(id)
      timer.fn()
    }
    return true
  }
}
