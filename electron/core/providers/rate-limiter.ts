// Keeps the client under the service's request rate, so a well-behaved client never sees a 429 in steady
// state. It starts from the documented free-tier limit (10/min) and follows the X-RateLimit-* headers
// of every answer; after a 429 it pauses until the service says to come back.

export interface LimiterClock {
  now(): number
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export interface RateLimitSnapshot {
  limit: number
  remaining: number | null
  /** Local time (ms) when the service's window resets, if known. */
  resetAt: number | null
}

/** Safety margin for the window edge: the service's clock and our send time differ by transit time. */
const EDGE_MS = 1000

export class ClientRateLimiter {
  private sent: number[] = []
  private remaining: number | null = null
  private resetAt: number | null = null
  private pausedUntil = 0
  private tail: Promise<void> = Promise.resolve()

  constructor(
    private limit: number,
    private readonly clock: LimiterClock,
    private readonly windowMs = 60_000,
  ) {}

  snapshot(): RateLimitSnapshot {
    return { limit: this.limit, remaining: this.remaining, resetAt: this.resetAt }
  }

  /** Wait for a slot. Calls are served in order, one slot each. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.tail.then(() => this.waitForSlot(signal))
    this.tail = turn.catch(() => undefined)
    return turn
  }

  /** How long until a request may go out (0 = now). */
  delayMs(): number {
    const now = this.clock.now()
    this.sent = this.sent.filter((t) => now - t < this.windowMs + EDGE_MS)
    let wait = Math.max(0, this.pausedUntil - now)
    if (this.sent.length >= this.limit) {
      const oldest = this.sent[this.sent.length - this.limit] as number
      wait = Math.max(wait, oldest + this.windowMs + EDGE_MS - now)
    }
    if (this.remaining !== null && this.remaining <= 0 && this.resetAt !== null && now < this.resetAt) {
      wait = Math.max(wait, this.resetAt - now)
    }
    return wait
  }

  private async waitForSlot(signal?: AbortSignal): Promise<void> {
    for (let wait = this.delayMs(); wait > 0; wait = this.delayMs()) await this.clock.sleep(wait, signal)
    this.sent.push(this.clock.now())
    if (this.remaining !== null) this.remaining -= 1
  }

  /** Learn from an answer's X-RateLimit-* headers (and its Date, to correct for clock skew). */
  observe(headers: Headers): void {
    const limit = Number(headers.get('x-ratelimit-limit'))
    const remaining = headers.get('x-ratelimit-remaining')
    const reset = Number(headers.get('x-ratelimit-reset'))
    if (Number.isInteger(limit) && limit > 0) this.limit = limit
    if (remaining !== null && Number.isInteger(Number(remaining))) this.remaining = Number(remaining)
    if (Number.isFinite(reset) && reset > 0) {
      const serverNow = Date.parse(headers.get('date') ?? '')
      const now = this.clock.now()
      // Prefer the service's own Date for "now": its Reset is on its clock, not ours.
      const untilReset = reset * 1000 - (Number.isNaN(serverNow) ? now : serverNow)
      this.resetAt = now + Math.max(0, untilReset) + (Number.isNaN(serverNow) ? 0 : EDGE_MS)
    }
  }

  /** After a 429: send nothing until `seconds` have passed. */
  pause(seconds: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + seconds * 1000)
  }
}
