// The DOM side of the transport: an HTMLVideoElement as SyncMedia, and its presented frames as they are shown
// (requestVideoFrameCallback where the browser has it; Chromium and Electron do).
import type { SyncMedia } from './transport'

/** A seek that never reports back (a file gone mid-compare) must not hold the transport forever. */
const SEEK_TIMEOUT_MS = 3000

export function videoMedia(video: HTMLVideoElement): SyncMedia {
  return {
    get currentTime() {
      return video.currentTime
    },
    get playbackRate() {
      return video.playbackRate
    },
    set playbackRate(rate: number) {
      video.playbackRate = rate
    },
    get paused() {
      return video.paused
    },
    get duration() {
      return video.duration
    },
    seek(t) {
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer)
          video.removeEventListener('seeked', done)
          resolve()
        }
        const timer = setTimeout(done, SEEK_TIMEOUT_MS)
        video.addEventListener('seeked', done)
        video.currentTime = t
      })
    },
    play: () => video.play().catch(() => undefined),
    pause: () => video.pause(),
  }
}

type FrameCallback = (
  now: number,
  metadata: { mediaTime: number; expectedDisplayTime: number; presentedFrames: number },
) => void
type WithFrames = HTMLVideoElement & {
  requestVideoFrameCallback?(cb: FrameCallback): number
  cancelVideoFrameCallback?(handle: number): void
}

/** Call `onFrame` for every frame the video presents; returns a stop function (a no-op without rVFC). */
export function watchFrames(
  video: HTMLVideoElement,
  onFrame: (mediaTime: number, at: number, presentedFrames: number) => void,
): () => void {
  const v = video as WithFrames
  if (typeof v.requestVideoFrameCallback !== 'function') return () => undefined
  let handle = 0
  let stopped = false
  const next: FrameCallback = (_now, m) => {
    if (stopped) return
    onFrame(m.mediaTime, m.expectedDisplayTime, m.presentedFrames)
    handle = v.requestVideoFrameCallback?.(next) ?? 0
  }
  handle = v.requestVideoFrameCallback(next)
  return () => {
    stopped = true
    v.cancelVideoFrameCallback?.(handle)
  }
}
