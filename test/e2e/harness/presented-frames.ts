// How far apart the compare view's videos are, as shown: at each display refresh, the frame each video last
// presented (its requestVideoFrameCallback mediaTime) and the spread between them in frames. Shared by the compare
// browser test and `npm run bench -- compare-sync`.
/// <reference lib="dom" />
import type { Page } from '@playwright/test'

export interface PresentedFrames {
  /** Per refresh (once every video has presented a frame): largest minus smallest presented frame. */
  spreads: number[]
  /** Per refresh: the first video's presented frame (a drop marks a loop's wrap). */
  master: number[]
  /** Per refresh: largest minus smallest currentTime, in frames (the clocks, apart from what is shown). */
  clocks: number[]
  /** Frames the videos presented, and dropped, over the window (getVideoPlaybackQuality). */
  presented: number
  dropped: number
  decoded: number
}

export function measurePresentedFrames(page: Page, ms: number, fps = 24): Promise<PresentedFrames> {
  return page.evaluate(
    ({ ms, fps }) =>
      new Promise<PresentedFrames>((resolve) => {
        type Meta = { mediaTime: number }
        type V = HTMLVideoElement & { requestVideoFrameCallback(cb: (n: number, m: Meta) => void): number }
        const videos = [...document.querySelectorAll('[data-testid="compare-video"]')] as V[]
        const last: Array<number | null> = videos.map(() => null)
        const quality = () =>
          videos.reduce(
            (a, v) => {
              const q = v.getVideoPlaybackQuality()
              return { dropped: a.dropped + q.droppedVideoFrames, decoded: a.decoded + q.totalVideoFrames }
            },
            { dropped: 0, decoded: 0 },
          )
        const before = quality()
        let presented = 0
        let stop = false
        videos.forEach((v, i) => {
          const on = (_n: number, m: Meta) => {
            if (stop) return
            last[i] = m.mediaTime
            presented++
            v.requestVideoFrameCallback(on)
          }
          v.requestVideoFrameCallback(on)
        })
        const spreads: number[] = []
        const master: number[] = []
        const clocks: number[] = []
        const start = performance.now()
        const tick = () => {
          if (last.every((t) => t !== null)) {
            const f = (last as number[]).map((t) => Math.floor(t * fps + 1e-6))
            spreads.push(Math.max(...f) - Math.min(...f))
            master.push(f[0] as number)
            const c = videos.map((v) => v.currentTime * fps)
            clocks.push(Math.max(...c) - Math.min(...c))
          }
          if (performance.now() - start < ms) requestAnimationFrame(tick)
          else {
            stop = true
            const after = quality()
            resolve({
              spreads,
              master,
              clocks,
              presented,
              dropped: after.dropped - before.dropped,
              decoded: after.decoded - before.decoded,
            })
          }
        }
        requestAnimationFrame(tick)
      }),
    { ms, fps },
  )
}

/** Refresh indexes within `window` refreshes after the master's frame went back (a loop's wrap). */
export function nearWraps(master: number[], window: number): Set<number> {
  const near = new Set<number>()
  for (let i = 1; i < master.length; i++)
    if ((master[i] as number) < (master[i - 1] as number)) for (let k = i - 2; k < i + window; k++) near.add(k)
  return near
}
