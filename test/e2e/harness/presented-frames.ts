// How far apart the compare view's videos are, as shown: at each display refresh, the frame each video shows
// there (the last frame requestVideoFrameCallback reported for that refresh's expected display time or before)
// and the spread between them in frames. Callbacks arrive late and out of step on a busy machine; the display
// times they carry do not, so the comparison is made on those. Shared by the compare
// browser test and `npm run bench -- compare-sync`.
/// <reference lib="dom" />
import type { Page } from '@playwright/test'

export interface PresentedFrames {
  /** Per display time (once every video has presented a frame): largest minus smallest frame shown. */
  spreads: number[]
  /** Per refresh: the first video's presented frame (a drop marks a loop's wrap). */
  master: number[]
  /** Per refresh: largest minus smallest currentTime, in frames (the clocks, apart from what is shown). */
  clocks: number[]
  /**
   * Per refresh, where the view shows its gated pictures (frame-gate.ts) rather than the videos: largest minus
   * smallest frame on the pictures, as painted at that refresh. Empty where the videos are shown themselves.
   */
  pictures: number[]
  /** Frames the videos presented, and dropped, over the window (getVideoPlaybackQuality). */
  presented: number
  dropped: number
  decoded: number
}

export function measurePresentedFrames(page: Page, ms: number, fps = 24): Promise<PresentedFrames> {
  return page.evaluate(
    ({ ms, fps }) =>
      new Promise<PresentedFrames>((resolve) => {
        type Meta = { mediaTime: number; expectedDisplayTime: number }
        type V = HTMLVideoElement & { requestVideoFrameCallback(cb: (n: number, m: Meta) => void): number }
        const videos = [...document.querySelectorAll('[data-testid="compare-video"]')] as V[]
        const shown: Array<Array<[number, number]>> = videos.map(() => [])
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
            shown[i]?.push([m.expectedDisplayTime, m.mediaTime])
            presented++
            v.requestVideoFrameCallback(on)
          }
          v.requestVideoFrameCallback(on)
        })
        const clocks: number[] = []
        const pictures: number[] = []
        const canvases = [...document.querySelectorAll('[data-testid="compare-picture"]')].filter(
          (c) => !(c as HTMLCanvasElement).hidden,
        ) as HTMLCanvasElement[]
        const start = performance.now()
        const frameAt = (list: Array<[number, number]>, t: number): number | null => {
          let found: number | null = null
          for (const [at, media] of list) if (at <= t + 0.5) found = media
          return found
        }
        const finish = () => {
          stop = true
          const after = quality()
          // Every display time at which some video presented a new frame, in order.
          const times = [...new Set(shown.flat().map(([at]) => at))].sort((a, b) => a - b)
          const spreads: number[] = []
          const master: number[] = []
          for (const t of times) {
            const media = shown.map((list) => frameAt(list, t))
            if (media.some((m) => m === null)) continue
            const f = (media as number[]).map((m) => Math.floor(m * fps + 1e-6))
            spreads.push(Math.max(...f) - Math.min(...f))
            master.push(f[0] as number)
          }
          resolve({
            spreads,
            master,
            clocks,
            pictures,
            presented,
            dropped: after.dropped - before.dropped,
            decoded: after.decoded - before.decoded,
          })
        }
        const tick = () => {
          const c = videos.map((v) => v.currentTime * fps)
          clocks.push(Math.max(...c) - Math.min(...c))
          const p = canvases.map((el) => Number(el.dataset.frame))
          if (p.length && p.every((n) => Number.isFinite(n))) pictures.push(Math.max(...p) - Math.min(...p))
          if (performance.now() - start < ms) requestAnimationFrame(tick)
          else finish()
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
