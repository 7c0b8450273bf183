// The compare view's sync: two to four takes on one transport stay on the same frame, driven by a fake clock
// and fake videos that start late and run fast or slow, as real decoders do.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { closeCompare, openCompare, useCompare } from '../../../../renderer/src/features/compare/store'
import { correct, frameOf, frameTime, POLICY } from '../../../../renderer/src/features/compare/sync'
import { Transport } from '../../../../renderer/src/features/compare/transport'
import { FakeClock, FakeVideo } from './fake-video'

const FPS = 24
const REFRESH = 1000 / 60

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve()
}

/** Display refreshes for `ms`: each video presents its frame (as requestVideoFrameCallback reports), then a tick. */
async function refresh(
  t: Transport,
  clock: FakeClock,
  videos: FakeVideo[],
  ms: number,
  onFrame?: (frames: number[]) => void,
): Promise<void> {
  const shown = videos.map(() => -1)
  const presented = videos.map(() => 0)
  for (let at = 0; at < ms; at += REFRESH) {
    clock.advance(REFRESH)
    const frames = videos.map((v) => frameOf(v.currentTime, FPS))
    frames.forEach((f, i) => {
      if (f !== shown[i] && !videos[i]?.paused) {
        presented[i] = (presented[i] as number) + 1
        t.observe(i, f / FPS, clock.now(), presented[i] as number)
      }
      shown[i] = f
    })
    t.tick()
    await flush()
    onFrame?.(frames)
  }
}

function spread(frames: number[]): number {
  return Math.max(...frames) - Math.min(...frames)
}

describe('frame arithmetic', () => {
  it('seeking to a frame lands on that frame, for any frame and common rate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.constantFrom(23.976, 24, 25, 30, 60), (k, fps) => {
        expect(frameOf(frameTime(k, fps), fps)).toBe(k)
      }),
    )
  })
})

describe('follower correction', () => {
  const master = { position: 2, rate: 1 }
  it('leaves a follower within a fifth of a frame alone', () => {
    expect(correct(0.1 / FPS, master, FPS, true)).toEqual({ kind: 'rate', rate: 1 })
  })
  it('slows a follower that is ahead and speeds one that is behind, within ±10 %', () => {
    const ahead = correct(1 / FPS, master, FPS, true)
    const behind = correct(-2 / FPS, master, FPS, true)
    expect(ahead.kind === 'rate' && ahead.rate).toBeLessThan(1)
    expect(ahead.kind === 'rate' && ahead.rate).toBeGreaterThanOrEqual(0.9)
    expect(behind.kind === 'rate' && behind.rate).toBeGreaterThan(1)
    expect(behind.kind === 'rate' && behind.rate).toBeLessThanOrEqual(1.1)
  })
  it('seeks a follower far off to the master, unless it has just been seeked', () => {
    expect(correct(10 / FPS, master, FPS, true)).toEqual({ kind: 'seek', to: 2 })
    expect(correct(10 / FPS, master, FPS, false)).toEqual({ kind: 'rate', rate: 0.9 })
  })
})

describe('one transport over four takes', () => {
  function four(clock: FakeClock) {
    // Started 0–100 ms apart, one decoder 2 % fast, one 1.5 % slow.
    return [
      new FakeVideo(clock, 8, { latencyMs: 0 }),
      new FakeVideo(clock, 8, { latencyMs: 40 }),
      new FakeVideo(clock, 8, { latencyMs: 100, skew: 1.02 }),
      new FakeVideo(clock, 8, { latencyMs: 70, skew: 0.985 }),
    ]
  }

  it.each(['frames', 'clock'] as const)(
    'keeps every take within one frame of the master while playing, and mostly on the same frame (measured by %s)',
    async (measure) => {
      const clock = new FakeClock()
      const videos = four(clock)
      const t = new Transport(videos, { now: clock.now, measure })
      await t.play()
      await refresh(t, clock, videos, 1000) // settling: the late starters catch up
      const spreads: number[] = []
      await refresh(t, clock, videos, 5000, (f) => spreads.push(spread(f)))
      expect(Math.max(...spreads)).toBeLessThanOrEqual(1)
      // Presented frames change only at a refresh, so an offset under a refresh is all the frames can show; the
      // followers end up a small fraction of a frame from the master, and on its frame in most refreshes.
      const offsets = videos.map((v) => Math.abs(v.currentTime - (videos[0] as FakeVideo).currentTime) * FPS)
      expect(Math.max(...offsets)).toBeLessThan(0.2)
      expect(spreads.filter((s) => s === 0).length / spreads.length).toBeGreaterThan(0.6)
    },
  )

  it('without correction the same takes drift apart (the test can fail)', async () => {
    const clock = new FakeClock()
    const videos = four(clock)
    const t = new Transport(videos, {
      now: clock.now,
      policy: { ...POLICY, gain: 0, seekFrames: Number.POSITIVE_INFINITY },
    })
    await t.play()
    const spreads: number[] = []
    await refresh(t, clock, videos, 6000, (f) => spreads.push(spread(f)))
    expect(Math.max(...spreads)).toBeGreaterThan(1)
  })

  it('a follower seconds off (a stalled decoder) is seeked back within a second', async () => {
    const clock = new FakeClock()
    const videos = [new FakeVideo(clock, 8), new FakeVideo(clock, 8, { latencyMs: 1500, seekLatencyMs: 50 })]
    const t = new Transport(videos, { now: clock.now })
    await t.play()
    await refresh(t, clock, videos, 3000)
    expect(videos[1]?.seeks).toBeGreaterThan(1)
    const spreads: number[] = []
    await refresh(t, clock, videos, 2000, (f) => spreads.push(spread(f)))
    expect(Math.max(...spreads)).toBeLessThanOrEqual(1)
  })

  it('pause leaves every take on the master frame; frame steps move them all, never before the first frame', async () => {
    const clock = new FakeClock()
    const videos = four(clock)
    const t = new Transport(videos, { now: clock.now })
    await t.play()
    await refresh(t, clock, videos, 1300)
    await t.pause()
    const at = t.state().frame
    expect(at).toBeGreaterThan(20)
    expect(videos.map((v) => frameOf(v.currentTime, FPS))).toEqual([at, at, at, at])
    await t.step(1)
    expect(videos.map((v) => frameOf(v.currentTime, FPS))).toEqual([at + 1, at + 1, at + 1, at + 1])
    // The stepped-to frame is presented; two quick steps back (a key held down) go two frames back from it.
    t.observe(0, (at + 1) / FPS, clock.now(), 100)
    clock.advance(45)
    await Promise.all([t.step(-1), t.step(-1)])
    expect(videos.map((v) => frameOf(v.currentTime, FPS))).toEqual([at - 1, at - 1, at - 1, at - 1])
    await t.seekFrame(0)
    await t.step(-1)
    expect(videos.map((v) => frameOf(v.currentTime, FPS))).toEqual([0, 0, 0, 0])
    expect(t.state().playing).toBe(false)
  })

  it('a loop range plays from its in point to its out frame and wraps all takes together', async () => {
    const clock = new FakeClock()
    const videos = four(clock)
    const t = new Transport(videos, { now: clock.now })
    await t.seekFrame(24)
    t.markIn()
    await t.seekFrame(47)
    t.markOut()
    expect(t.state().range).toEqual({ in: 24, out: 47 })
    await t.play()
    const masterFrames: number[] = []
    await refresh(t, clock, videos, 3500, (f) => masterFrames.push(f[0] as number))
    expect(Math.max(...masterFrames)).toBeLessThanOrEqual(48) // at most the refresh that notices the end
    expect(Math.min(...masterFrames.slice(10))).toBeGreaterThanOrEqual(24)
    // It wrapped: after reaching the out point, it showed the in point again.
    const top = masterFrames.indexOf(47)
    expect(top).toBeGreaterThan(0)
    expect(masterFrames.slice(top).some((f) => f < 30)).toBe(true)
  })

  it('with loop off it stops on the last frame, every take on it', async () => {
    const clock = new FakeClock()
    const videos = [new FakeVideo(clock, 2), new FakeVideo(clock, 2.5, { latencyMs: 30 })]
    const t = new Transport(videos, { now: clock.now })
    t.setLoop(false)
    expect(t.state().frames).toBe(48) // the shortest take sets the length
    await t.play()
    await refresh(t, clock, videos, 3000)
    expect(t.state().playing).toBe(false)
    expect(videos.map((v) => frameOf(v.currentTime, FPS))).toEqual([47, 47])
  })

  it('learns the clip rate from presented frames (25 fps, and 23.976 apart from 24)', async () => {
    const clock = new FakeClock()
    const t = new Transport([new FakeVideo(clock, 4), new FakeVideo(clock, 4)], { now: clock.now })
    t.observe(0, 10 / 25, 1000, 10)
    t.observe(0, 11 / 25, 1040, 11)
    expect(t.state().fps).toBe(25)
    expect(t.state().frames).toBe(100)
    t.observe(0, 1001 / 24000, 1080, 12)
    t.observe(0, 3003 / 24000, 1160, 14)
    expect(t.state().fps).toBe(23.976)
    t.observe(0, 2 / 24, 1200, 15)
    t.observe(0, 3 / 24, 1240, 16)
    expect(t.state().fps).toBe(24)
  })
})

describe('openCompare', () => {
  it('opens on two to four distinct takes, with labels, and ignores other counts', () => {
    openCompare(['a'])
    expect(useCompare.getState().ids).toEqual([])
    openCompare(['a', 'b', 'c', 'd', 'e'])
    expect(useCompare.getState().ids).toEqual([])
    openCompare(['a', 'b', 'a'], { a: 'seed 1', b: 'seed 2' })
    expect(useCompare.getState()).toMatchObject({ ids: ['a', 'b'], labels: { a: 'seed 1', b: 'seed 2' } })
    closeCompare()
    expect(useCompare.getState().ids).toEqual([])
  })
})
