// One transport over two to four videos: the first is the master clock, the others follow it (rate nudges for
// small drift, a seek for large), paused videos all show the same frame, and a loop range wraps them together.
// The DOM is behind SyncMedia and time behind `now`, so tests drive it with fakes and a fake clock.
import {
  correct,
  DEFAULT_FPS,
  type FrameSample,
  fpsFrom,
  frameOf,
  frameTime,
  nextTrim,
  POLICY,
  type Policy,
  positionAt,
  type Range,
} from './sync'

/** What the transport needs of a video element (HTMLVideoElement, through a small adapter). */
export interface SyncMedia {
  readonly currentTime: number
  playbackRate: number
  readonly paused: boolean
  readonly duration: number
  /** Set currentTime; resolves once the new frame can be shown. */
  seek(t: number): Promise<void>
  play(): Promise<void>
  pause(): void
}

export interface TransportState {
  playing: boolean
  /** The frame all videos show (the master's while playing). */
  frame: number
  /** Frames in the shortest clip: the transport's length. */
  frames: number
  fps: number
  loop: boolean
  /** In and out frames (out inclusive), or null: the whole clip. */
  range: { in: number; out: number } | null
}

export interface TransportOptions {
  now(): number
  /**
   * How a playing video's position is read: `clock` (the default), its currentTime (continuous in Chromium: the media clock at
   * the moment of reading); `frames`, its last presented frame carried forward (quantized to frames and refreshes).
   */
  measure?: 'clock' | 'frames'
  policy?: Policy
  onChange?(state: TransportState): void
}

export class Transport {
  private playing = false
  private loop = true
  private range: { in: number; out: number } | null = null
  private fps = DEFAULT_FPS
  private readonly samples: Array<(FrameSample & { frames: number }) | null>
  private readonly drift: number[]
  /** Each follower's learned rate difference (a decoder a little fast or slow). */
  private readonly trim: number[]
  private readonly lastSeek: number[]
  private lastTick = Number.NaN
  /** A wrap or start in progress: ticks wait for the videos to settle. */
  private busy = false
  private lastFrame = -1

  constructor(
    private readonly media: SyncMedia[],
    private readonly options: TransportOptions,
  ) {
    this.samples = media.map(() => null)
    this.drift = media.map(() => 0)
    this.trim = media.map(() => 0)
    this.lastSeek = media.map(() => Number.NEGATIVE_INFINITY)
  }

  /** The clips' frame rate (24 until the master's frames say otherwise). */
  get framesPerSecond(): number {
    return this.fps
  }

  private get policy(): Policy {
    return this.options.policy ?? POLICY
  }

  private get master(): SyncMedia {
    return this.media[0] as SyncMedia
  }

  /** Length in seconds: the shortest clip (a longer take's tail has nothing to be compared with). */
  duration(): number {
    const known = this.media.map((m) => m.duration).filter((d) => Number.isFinite(d) && d > 0)
    return known.length ? Math.min(...known) : 0
  }

  frameCount(): number {
    return Math.max(1, frameOf(this.duration(), this.fps))
  }

  /** The master's position now (its presented frame carried forward while playing). */
  position(): number {
    const m = this.master
    // Paused, a video's currentTime is exact (a presented frame would be carried forward as if playing).
    if (!this.playing || m.paused || this.options.measure !== 'frames') return m.currentTime
    return positionAt(this.samples[0] ?? null, m.currentTime, m.playbackRate, this.options.now(), this.fps)
  }

  frame(): number {
    return Math.min(this.frameCount() - 1, frameOf(this.position(), this.fps))
  }

  state(): TransportState {
    return {
      playing: this.playing,
      frame: this.frame(),
      frames: this.frameCount(),
      fps: this.fps,
      loop: this.loop,
      range: this.range,
    }
  }

  private changed(): void {
    this.options.onChange?.(this.state())
  }

  /** The frames playback runs over: the loop range, or the whole clip. */
  private bounds(): Range {
    const last = this.frameCount() - 1
    const r = this.range ?? { in: 0, out: last }
    return { start: r.in / this.fps, end: (Math.min(r.out, last) + 1) / this.fps }
  }

  /** A presented frame of video `i` (requestVideoFrameCallback); also teaches the transport the clip's rate. */
  observe(i: number, mediaTime: number, at: number, presentedFrames: number): void {
    const prev = this.samples[i]
    const next = { mediaTime, at, frames: presentedFrames }
    if (i === 0 && prev) {
      const fps = fpsFrom(prev, next)
      if (fps && fps !== this.fps) {
        this.fps = fps
        this.changed()
      }
    }
    this.samples[i] = next
  }

  /** Show frame `frame` on every video (paused videos land on it; playing ones go on from it). */
  async seekFrame(frame: number): Promise<void> {
    const f = Math.max(0, Math.min(this.frameCount() - 1, Math.round(frame)))
    const to = frameTime(f, this.fps)
    this.samples.fill(null)
    this.drift.fill(0)
    this.lastFrame = f
    this.changed()
    await Promise.all(this.media.map((m) => m.seek(to)))
    this.changed()
  }

  /** Step by `n` frames (pauses first: a step is a look at one frame). */
  async step(n: number): Promise<void> {
    const from = this.frame()
    if (this.playing) this.pauseAll()
    await this.seekFrame(from + n)
  }

  private pauseAll(): void {
    this.playing = false
    for (const m of this.media) {
      m.pause()
      m.playbackRate = 1
    }
  }

  async pause(): Promise<void> {
    if (!this.playing) return
    const at = this.frame()
    this.pauseAll()
    // The master's frame, on every video: each stopped wherever its own clock was.
    await this.seekFrame(at)
  }

  async play(): Promise<void> {
    if (this.playing || this.busy) return
    this.busy = true
    try {
      const { start, end } = this.bounds()
      let at = this.frame()
      if (at / this.fps < start || (at + 1) / this.fps >= end) at = frameOf(start, this.fps)
      // All start from the same frame, at the same moment: the closer the start, the less there is to correct.
      await this.seekFrame(at)
      this.playing = true
      for (const m of this.media) m.playbackRate = 1
      await Promise.all(this.media.map((m) => m.play()))
    } finally {
      this.busy = false
    }
    this.changed()
  }

  toggle(): Promise<void> {
    return this.playing ? this.pause() : this.play()
  }

  setLoop(loop: boolean): void {
    this.loop = loop
    this.changed()
  }

  /** Mark the current frame as the loop's in point (the out point moves past it when needed). */
  markIn(): void {
    const f = this.frame()
    const out = this.range ? Math.max(this.range.out, f) : this.frameCount() - 1
    this.range = { in: f, out }
    this.changed()
  }

  markOut(): void {
    const f = this.frame()
    const from = this.range ? Math.min(this.range.in, f) : 0
    this.range = { in: from, out: f }
    this.changed()
  }

  clearRange(): void {
    this.range = null
    this.changed()
  }

  /**
   * Once per display refresh: wrap at the loop's end (or stop at the clip's), and bring each follower to the
   * master's position by a rate nudge or, when too far, a seek.
   */
  tick(): void {
    if (this.busy) return
    const now = this.options.now()
    // Seconds since the last tick, for the trim's integral (bounded: a background tab skips refreshes).
    const dt = Number.isNaN(this.lastTick) ? 0 : Math.min(0.1, (now - this.lastTick) / 1000)
    this.lastTick = now
    const frame = this.frame()
    if (frame !== this.lastFrame) {
      this.lastFrame = frame
      this.changed()
    }
    if (!this.playing) return
    const { start, end } = this.bounds()
    const pos = this.position()
    if (pos >= end || this.master.paused) {
      if (this.loop) void this.wrap(frameOf(start, this.fps))
      else {
        this.pauseAll()
        void this.seekFrame(frameOf(end, this.fps) - 1)
      }
      return
    }
    const master = { position: pos, rate: this.master.playbackRate }
    for (let i = 1; i < this.media.length; i++) {
      const m = this.media[i] as SyncMedia
      const p =
        this.options.measure !== 'frames'
          ? m.currentTime
          : positionAt(this.samples[i] ?? null, m.currentTime, m.playbackRate, now, this.fps)
      const a = this.policy.smoothing
      this.drift[i] = (1 - a) * (this.drift[i] as number) + a * (p - pos)
      // A large gap is real at once, not after the average has caught up with it.
      if (Math.abs(p - pos) * this.fps > this.policy.seekFrames) this.drift[i] = p - pos
      const maySeek = now - (this.lastSeek[i] as number) > this.policy.seekCooldownMs
      const trim = nextTrim(this.trim[i] as number, this.drift[i] as number, dt, this.policy)
      this.trim[i] = trim
      const c = correct(this.drift[i] as number, master, this.fps, maySeek, this.policy, trim)
      if (c.kind === 'seek') {
        this.lastSeek[i] = now
        this.samples[i] = null
        this.drift[i] = 0
        // Aim a little ahead: the master plays on while the follower seeks.
        void m.seek(Math.min(end, c.to + 0.1))
      } else if (Math.abs(m.playbackRate - c.rate) > 0.004) m.playbackRate = c.rate
    }
  }

  /** Back to the in point, together: pause, seek all, then play all. */
  private async wrap(frame: number): Promise<void> {
    this.busy = true
    try {
      for (const m of this.media) m.pause()
      await this.seekFrame(frame)
      for (const m of this.media) m.playbackRate = 1
      await Promise.all(this.media.map((m) => m.play()))
    } finally {
      this.busy = false
    }
  }
}
