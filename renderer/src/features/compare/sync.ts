// Frame arithmetic and the follower policy of the compare view: pure functions, no DOM, so the rules that keep
// two to four takes on the same frame are tested with a fake clock (test/renderer/features/compare/sync.test.ts).

/** Seedance renders 24 fps (providers.md: `--fps 24` only); the view learns a clip's own rate from its frames. */
export const DEFAULT_FPS = 24

/** The frame showing at media time `t` (a hair of tolerance: k / fps in floating point may fall just short). */
export function frameOf(t: number, fps: number): number {
  return Math.max(0, Math.floor(t * fps + 1e-6))
}

/**
 * Where to seek to show frame `frame`: its middle, so every video lands on that frame whatever its decoder rounds
 * a time on a frame boundary to.
 */
export function frameTime(frame: number, fps: number): number {
  return (Math.max(0, frame) + 0.5) / fps
}

/** A presented frame, as requestVideoFrameCallback reports it: its media time and when it is shown (ms). */
export interface FrameSample {
  mediaTime: number
  at: number
}

/**
 * A video's media time at `now` (ms): from its last presented frame, carried forward at its rate, while that
 * frame is recent (a paused or stalled video stops presenting frames); otherwise its currentTime.
 */
export function positionAt(
  sample: FrameSample | null,
  currentTime: number,
  rate: number,
  now: number,
  fps: number,
): number {
  if (!sample) return currentTime
  const age = now - sample.at
  // Older than three frames: the video is not presenting (paused, stalled, seeking); its currentTime is its truth.
  if (age > (3 * 1000) / fps) return currentTime
  return sample.mediaTime + (age / 1000) * rate
}

export interface Policy {
  /** Below this drift (frames) a follower plays at the master's rate: no fiddling over noise. */
  deadbandFrames: number
  /** Rate nudge per second of drift: 2 closes a one-frame gap in about half a second. */
  gain: number
  /**
   * How fast a follower's trim learns a steady difference (per second of drift, per second): a decoder that runs
   * 2 % fast would otherwise sit a quarter of a frame ahead for good. With gain 2 this is critically damped.
   */
  trimGain: number
  /** Largest trim (a decoder off by more than this is a stall, handled by seeking). */
  maxTrim: number
  /** Largest nudge of the rate (0.1: between 0.9× and 1.1×; motion stays natural). */
  maxNudge: number
  /** Beyond this drift (frames) a nudge would take too long: seek. */
  seekFrames: number
  /** After a seek, give the follower this long (ms) to settle before seeking it again. */
  seekCooldownMs: number
  /** Weight of a new drift measurement (the rest is the running average): measurements are frame-quantized. */
  smoothing: number
}

export const POLICY: Policy = {
  deadbandFrames: 0.2,
  gain: 2,
  trimGain: 1,
  maxTrim: 0.05,
  maxNudge: 0.1,
  seekFrames: 4,
  seekCooldownMs: 1000,
  smoothing: 0.25,
}

export type Correction = { kind: 'rate'; rate: number } | { kind: 'seek'; to: number }

/**
 * What to do with a follower `drift` seconds ahead of the master (negative: behind), given the master's
 * position and rate, whether the follower may be seeked now, and its learned `trim` (see nextTrim).
 */
export function correct(
  drift: number,
  master: { position: number; rate: number },
  fps: number,
  maySeek: boolean,
  policy: Policy = POLICY,
  trim = 0,
): Correction {
  const frames = drift * fps
  if (Math.abs(frames) > policy.seekFrames && maySeek) return { kind: 'seek', to: master.position }
  if (Math.abs(frames) < policy.deadbandFrames) return { kind: 'rate', rate: master.rate * (1 + trim) }
  const nudge = Math.max(-policy.maxNudge, Math.min(policy.maxNudge, -drift * policy.gain + trim))
  return { kind: 'rate', rate: master.rate * (1 + nudge) }
}

/** A follower's trim after `dt` seconds at `drift`: the integral half of the correction, bounded. */
export function nextTrim(trim: number, drift: number, dt: number, policy: Policy = POLICY): number {
  return Math.max(-policy.maxTrim, Math.min(policy.maxTrim, trim - drift * policy.trimGain * dt))
}

/** The transport's range: the loop's in and out points (out is exclusive: the out frame is the last shown). */
export interface Range {
  start: number
  end: number
}

/** Frames per second from two presented frames of one video (the clip's own rate), or null when unclear. */
export function fpsFrom(a: FrameSample & { frames: number }, b: FrameSample & { frames: number }): number | null {
  const shown = b.frames - a.frames
  const dt = b.mediaTime - a.mediaTime
  if (shown < 1 || dt <= 0) return null
  const fps = shown / dt
  // The nearest common rate (24 and 23.976 differ by 0.1 %), within 0.05 %; anything else is a measurement across
  // a seek or a loop.
  let best: number | null = null
  for (const known of [23.976, 24, 25, 29.97, 30, 48, 50, 59.94, 60])
    if (Math.abs(fps / known - 1) < 0.0005 && (best === null || Math.abs(fps - known) < Math.abs(fps - best)))
      best = known
  return best
}
