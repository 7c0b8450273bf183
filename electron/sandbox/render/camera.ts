// Image-to-video: a camera move over the supplied picture. The prompt's words choose the move, the
// request's motion_intensity (0–1) how far it goes. With intensity 0 the picture holds still.
import { stampMark } from './mark'
import { wordsOf } from './vocabulary'

export type ImageMove = 'pushIn' | 'pullBack' | 'panLeft' | 'panRight' | 'tiltUp' | 'tiltDown'

export interface ImagePlan {
  move: ImageMove
  /** motion_intensity, 0–1. */
  amount: number
}

export const IMAGE_MOVE_WORDS: Record<ImageMove, string[]> = {
  pushIn: ['zoom', 'push', 'closer', 'dolly', 'approach'],
  pullBack: ['pull', 'reveal', 'back', 'away', 'outward'],
  panLeft: ['left'],
  panRight: ['pan', 'right', 'panning', 'tracking', 'sideways'],
  tiltUp: ['tilt', 'up', 'rise', 'rising', 'crane', 'ascend'],
  tiltDown: ['down', 'descend', 'lower', 'falling'],
}

export function planImageMove(prompt: string, motionIntensity: number): ImagePlan {
  const words = wordsOf(prompt)
  let move: ImageMove = 'pushIn'
  // The first camera word wins, with "pan left" and "tilt down" read as one instruction.
  outer: for (const w of words) {
    for (const [m, list] of Object.entries(IMAGE_MOVE_WORDS) as [ImageMove, string[]][]) {
      if (list.includes(w)) {
        move = m
        break outer
      }
    }
  }
  if ((move === 'panRight' || move === 'panLeft') && words.includes('left')) move = 'panLeft'
  if (move === 'tiltUp' && words.includes('down')) move = 'tiltDown'
  return { move, amount: Math.min(1, Math.max(0, motionIntensity)) }
}

/** The picture is prepared a little larger than the frame, by how far the camera may travel. */
export function canvasScale(amount: number): number {
  return 1 + 0.35 * amount
}

export function canvasSize(width: number, height: number, amount: number): { width: number; height: number } {
  const s = canvasScale(amount)
  return { width: Math.ceil(width * s), height: Math.ceil(height * s) }
}

function ease(p: number): number {
  return p * p * (3 - 2 * p)
}

/** The part of the canvas seen at progress p (0–1). */
export function viewAt(plan: ImagePlan, cw: number, ch: number, w: number, h: number, p: number) {
  const e = ease(Math.min(1, Math.max(0, p)))
  const s = cw / w
  let vw: number
  let vx: number
  let vy: number
  switch (plan.move) {
    case 'pushIn':
    case 'pullBack': {
      const k = plan.move === 'pushIn' ? e : 1 - e
      vw = cw / (1 + (s - 1) * k)
      vx = (cw - vw) / 2
      vy = (ch - (vw * h) / w) / 2
      break
    }
    default: {
      vw = w * (1 + (s - 1) * 0.35)
      const spanX = cw - vw
      const spanY = ch - (vw * h) / w
      const horizontal = plan.move === 'panLeft' || plan.move === 'panRight'
      const k = plan.move === 'panRight' || plan.move === 'tiltDown' ? e : 1 - e
      vx = horizontal ? spanX * k : spanX / 2
      vy = horizontal ? spanY / 2 : spanY * k
    }
  }
  return { x: vx, y: vy, width: vw, height: (vw * h) / w }
}

/** Bilinear-resample the view of the RGBA canvas for frame `frame` of `frames` into `out` (w × h RGBA). */
export function renderImageFrame(
  plan: ImagePlan,
  canvas: Uint8Array,
  cw: number,
  ch: number,
  frame: number,
  frames: number,
  w: number,
  h: number,
  out: Uint8Array,
): void {
  const view = viewAt(plan, cw, ch, w, h, frames > 1 ? frame / (frames - 1) : 0)
  const stepX = view.width / w
  const stepY = view.height / h
  const xs = new Int32Array(w)
  const fx = new Int32Array(w)
  for (let x = 0; x < w; x++) {
    const sx = Math.min(cw - 1.001, Math.max(0, view.x + (x + 0.5) * stepX - 0.5))
    xs[x] = Math.floor(sx) * 4
    fx[x] = Math.round((sx - Math.floor(sx)) * 256)
  }
  const rowBytes = cw * 4
  for (let y = 0; y < h; y++) {
    const sy = Math.min(ch - 1.001, Math.max(0, view.y + (y + 0.5) * stepY - 0.5))
    const r0 = Math.floor(sy) * rowBytes
    const r1 = r0 + rowBytes
    const wy = Math.round((sy - Math.floor(sy)) * 256)
    const iy = 256 - wy
    let o = y * w * 4
    for (let x = 0; x < w; x++, o += 4) {
      const a = r0 + (xs[x] as number)
      const b = r1 + (xs[x] as number)
      const wx = fx[x] as number
      const ix = 256 - wx
      for (let c = 0; c < 3; c++) {
        const top = (canvas[a + c] as number) * ix + (canvas[a + 4 + c] as number) * wx
        const bottom = (canvas[b + c] as number) * ix + (canvas[b + 4 + c] as number) * wx
        out[o + c] = (top * iy + bottom * wy) >> 16
      }
      out[o + 3] = 255
    }
  }
  stampMark(out, w, h)
}
