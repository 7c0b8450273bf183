// Requests-per-minute limiting, per API key, in fixed one-minute windows. The window's end is what
// X-RateLimit-Reset reports (Unix seconds), as in the API guide.

export interface RateDecision {
  allowed: boolean
  limit: number
  remaining: number
  /** Unix time (seconds) when the current window ends. */
  reset: number
  /** Whole seconds until a request would be allowed again (0 when allowed). */
  retryAfter: number
}

export class FixedWindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>()

  constructor(
    readonly limit: number,
    private readonly now: () => number,
    private readonly windowMs = 60_000,
  ) {}

  take(key: string): RateDecision {
    const now = this.now()
    let w = this.windows.get(key)
    if (!w || now >= w.start + this.windowMs) {
      w = { start: now, count: 0 }
      this.windows.set(key, w)
    }
    const end = w.start + this.windowMs
    const reset = Math.ceil(end / 1000)
    if (w.count >= this.limit) {
      return {
        allowed: false,
        limit: this.limit,
        remaining: 0,
        reset,
        retryAfter: Math.max(1, Math.ceil((end - now) / 1000)),
      }
    }
    w.count += 1
    return { allowed: true, limit: this.limit, remaining: this.limit - w.count, reset, retryAfter: 0 }
  }
}
