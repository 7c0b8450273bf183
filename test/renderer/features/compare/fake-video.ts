// A video on a fake clock for the transport's tests: it plays at its rate times its own `skew` (a decoder that
// runs a little fast or slow), starts `latencyMs` after play() (`seekLatencyMs` after a seek while playing) (as a real one waits for
// its decoder), stops at its end, and lands exactly where it is seeked.
import type { SyncMedia } from '../../../../renderer/src/features/compare/transport'

export class FakeClock {
  t = 1000
  now = () => this.t
  advance(ms: number): void {
    this.t += ms
  }
}

export class FakeVideo implements SyncMedia {
  private base = 0
  private since: number
  private startAt = 0
  private rate = 1
  private stopped = true
  seeks = 0

  constructor(
    private readonly clock: FakeClock,
    readonly duration: number,
    private readonly opts: { latencyMs?: number; seekLatencyMs?: number; skew?: number } = {},
  ) {
    this.since = clock.now()
  }

  get currentTime(): number {
    if (this.stopped) return this.base
    const ran = Math.max(0, this.clock.now() - Math.max(this.since, this.startAt))
    return Math.min(this.duration, this.base + (ran / 1000) * this.rate * (this.opts.skew ?? 1))
  }

  get paused(): boolean {
    return this.stopped || this.currentTime >= this.duration
  }

  get playbackRate(): number {
    return this.rate
  }

  set playbackRate(rate: number) {
    this.rebase()
    this.rate = rate
  }

  private rebase(): void {
    this.base = this.currentTime
    this.since = this.clock.now()
  }

  async seek(t: number): Promise<void> {
    this.seeks++
    this.base = Math.min(this.duration, Math.max(0, t))
    this.since = this.clock.now()
    this.startAt = this.clock.now() + (this.opts.seekLatencyMs ?? this.opts.latencyMs ?? 0)
  }

  async play(): Promise<void> {
    this.rebase()
    this.stopped = false
    this.startAt = this.clock.now() + (this.opts.latencyMs ?? 0)
  }

  pause(): void {
    this.rebase()
    this.stopped = true
  }
}
