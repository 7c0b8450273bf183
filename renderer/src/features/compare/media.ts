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

/**
 * Draw a held video frame on a canvas the way `object-fit: contain` shows a video: whole, centred, on black, at the
 * canvas's size on screen in device pixels.
 */
export function paintFrame(canvas: HTMLCanvasElement, frame: VideoFrame): void {
  const ratio = globalThis.devicePixelRatio || 1
  const w = Math.max(1, Math.round(canvas.clientWidth * ratio))
  const h = Math.max(1, Math.round(canvas.clientHeight * ratio))
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w
    canvas.height = h
  }
  const ctx = canvas.getContext('2d', { alpha: false })
  if (!ctx) return
  const fw = frame.displayWidth
  const fh = frame.displayHeight
  // A closed frame has no size: the picture keeps what it shows rather than going black.
  if (!fw || !fh) return
  const scale = Math.min(w / fw, h / fh)
  const dw = Math.round(fw * scale)
  const dh = Math.round(fh * scale)
  ctx.fillStyle = '#000'
  ctx.fillRect(0, 0, w, h)
  try {
    ctx.drawImage(frame, Math.round((w - dw) / 2), Math.round((h - dh) / 2), dw, dh)
  } catch {
    // Closed between the size check and the draw (the view closing): nothing to draw.
  }
}
