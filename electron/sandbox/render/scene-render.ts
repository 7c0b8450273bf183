// Renders one frame of a text-to-video scene into an RGBA buffer. Pure function of (plan, frame), so
// segments of a clip can be rendered by different workers and still join seamlessly.
import { stampMark } from './mark'
import { fbm1, hash1, mulberry32, noise1 } from './rng'
import type { RGB, ScenePlan } from './scene-plan'

function pack(r: number, g: number, b: number): number {
  const cr = r < 0 ? 0 : r > 255 ? 255 : r | 0
  const cg = g < 0 ? 0 : g > 255 ? 255 : g | 0
  const cb = b < 0 ? 0 : b > 255 ? 255 : b | 0
  return (0xff000000 | (cb << 16) | (cg << 8) | cr) >>> 0
}
function mix(a: RGB, b: RGB, t: number): [number, number, number] {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]
}
function packRGB(c: RGB | [number, number, number]): number {
  return pack(c[0], c[1], c[2])
}

interface Camera {
  panX: number
  zoom: number
  /** Extra zoom per unit of depth (drone flight brings near layers closer faster). */
  depthZoom: number
  horizon: number
}

function cameraAt(plan: ScenePlan, t: number): Camera {
  const s = plan.speed
  const cam: Camera = { panX: 0, zoom: 1, depthZoom: 0, horizon: 0.62 }
  switch (plan.camera) {
    case 'pan':
      cam.panX = plan.direction * 0.09 * s * t
      break
    case 'drone':
      cam.panX = plan.direction * 0.02 * s * t
      cam.depthZoom = 0.045 * s * t
      cam.horizon = 0.6 + 0.006 * s * t
      break
    case 'zoomIn':
      cam.zoom = 1 + 0.05 * s * t
      break
    case 'zoomOut':
      cam.zoom = Math.max(1, 1.45 - 0.05 * s * t)
      break
    case 'orbit':
      cam.panX = Math.sin(t * 0.45 * s) * 0.35
      break
    case 'rise':
      cam.horizon = 0.55 + 0.012 * s * t
      break
    case 'still':
      break
  }
  return cam
}

type Layer = 0 | 1 | 2
type PerLayer = readonly [number, number, number]

// Per-layer shape constants, far to near: base height, amplitude and frequency (units of frame height).
const RIDGES = { base: [0.2, 0.12, 0.05], amp: [0.2, 0.15, 0.1], freq: [1.6, 2.4, 3.2] } as const satisfies Record<
  string,
  PerLayer
>
const DUNES = { base: [0.1, 0.06, 0.02], amp: [0.08, 0.07, 0.05], freq: [0.9, 1.3, 1.8] } as const satisfies Record<
  string,
  PerLayer
>
const TREES = {
  base: [0.06, 0.03, -0.02],
  spacing: [0.05, 0.07, 0.1],
  height: [0.1, 0.14, 0.2],
} as const satisfies Record<string, PerLayer>
const TOWERS = {
  base: [0.12, 0.08, 0.02],
  width: [0.07, 0.09, 0.12],
  height: [0.3, 0.28, 0.22],
} as const satisfies Record<string, PerLayer>

/** Height of a terrain layer (units of frame height above the horizon) at world x. */
function profile(plan: ScenePlan, layer: Layer, wx: number): number {
  const seed = plan.seed + layer * 7919
  switch (plan.terrain) {
    case 'ridges':
      return RIDGES.base[layer] + RIDGES.amp[layer] * fbm1(wx * RIDGES.freq[layer], seed)
    case 'dunes':
      return DUNES.base[layer] + DUNES.amp[layer] * fbm1(wx * DUNES.freq[layer], seed, 2)
    case 'trees': {
      const cell = Math.floor(wx / TREES.spacing[layer])
      const u = wx / TREES.spacing[layer] - cell
      const spike = (1 - Math.abs(2 * u - 1)) * (0.5 + 0.5 * hash1(cell, seed)) * TREES.height[layer]
      return TREES.base[layer] + 0.05 * noise1(wx * 2, seed) + spike
    }
    case 'skyline':
      return TOWERS.base[layer] + hash1(Math.floor(wx / TOWERS.width[layer]), seed) * TOWERS.height[layer]
    case 'none':
      return -1
  }
}

function drawSky(px: Uint32Array, w: number, h: number, plan: ScenePlan, horizonY: number): void {
  const { skyTop, skyHorizon, ground } = plan.palette
  const groundColor = packRGB(ground)
  for (let y = 0; y < h; y++) {
    const color = y < horizonY ? packRGB(mix(skyTop, skyHorizon, (y / horizonY) ** 0.85)) : groundColor
    px.fill(color, y * w, y * w + w)
  }
}

function drawDisc(
  px: Uint32Array,
  w: number,
  h: number,
  cx: number,
  cy: number,
  r: number,
  color: RGB,
  glow: number,
): void {
  const reach = r * (1 + glow)
  const x0 = Math.max(0, Math.floor(cx - reach))
  const x1 = Math.min(w - 1, Math.ceil(cx + reach))
  const y0 = Math.max(0, Math.floor(cy - reach))
  const y1 = Math.min(h - 1, Math.ceil(cy + reach))
  const u8 = new Uint8Array(px.buffer, px.byteOffset, px.byteLength)
  const r2 = r * r
  const reach2 = reach * reach
  for (let y = y0; y <= y1; y++) {
    const dy2 = (y - cy) * (y - cy)
    for (let x = x0; x <= x1; x++) {
      const d2 = (x - cx) * (x - cx) + dy2
      if (d2 > reach2) continue
      const fall = 1 - (d2 - r2) / (reach2 - r2)
      const a = d2 <= r2 ? 1 : 0.55 * fall * fall
      const i = (y * w + x) * 4
      u8[i] = (u8[i] as number) + (color[0] - (u8[i] as number)) * a
      u8[i + 1] = (u8[i + 1] as number) + (color[1] - (u8[i + 1] as number)) * a
      u8[i + 2] = (u8[i + 2] as number) + (color[2] - (u8[i + 2] as number)) * a
    }
  }
}

function drawStars(
  px: Uint32Array,
  w: number,
  h: number,
  plan: ScenePlan,
  cam: Camera,
  horizonY: number,
  t: number,
): void {
  const rand = mulberry32(plan.seed ^ 0x5f3759df)
  const count = Math.round((w * h) / 4000)
  for (let i = 0; i < count; i++) {
    const sx = rand()
    const sy = rand()
    const phase = rand() * 6.28
    const x = Math.floor(((((sx - cam.panX * 0.05) % 1) + 1) % 1) * w)
    const y = Math.floor(sy * horizonY * 0.95)
    const b = 150 + 105 * Math.sin(t * 2.5 + phase)
    px[y * w + x] = pack(b, b, b + 20)
  }
}

function drawTerrain(px: Uint32Array, w: number, h: number, plan: ScenePlan, cam: Camera, horizonY: number): void {
  if (plan.terrain === 'none') return
  const palette = [plan.palette.far, plan.palette.mid, plan.palette.near]
  const layers: Layer[] = plan.water || plan.grid ? [0] : [0, 1, 2]
  const bottom = plan.water || plan.grid ? Math.ceil(horizonY) : h
  // Each layer's skyline, per column; then one row-major pass paints the nearest layer at each pixel.
  const tops = layers.map((layer) => {
    const depth = [0.3, 0.6, 1][layer] as number
    const zoom = cam.zoom * (1 + cam.depthZoom * depth)
    const top = new Int32Array(w)
    for (let x = 0; x < w; x++) {
      const wx = (x - w / 2) / (h * zoom) + cam.panX * depth
      top[x] = Math.max(0, Math.floor(horizonY - profile(plan, layer, wx) * h * zoom))
    }
    return top
  })
  const colors = layers.map((layer) => packRGB(palette[layer] as RGB))
  const lit = packRGB(mix(plan.palette.mid, [255, 214, 140], 0.75))
  const windows = plan.terrain === 'skyline' && layers.length > 1
  let first = bottom
  for (const top of tops) for (let x = 0; x < w; x++) first = Math.min(first, top[x] as number)
  const n = tops.length
  const t0 = tops[0] as Int32Array
  const t1 = (tops[1] ?? t0) as Int32Array
  const t2 = (tops[2] ?? t0) as Int32Array
  const c0 = colors[0] as number
  const c1 = (colors[1] ?? c0) as number
  const c2 = (colors[2] ?? c0) as number
  for (let y = first; y < bottom; y++) {
    const row = y * w
    const windowRow = windows && (y & 15) < 6
    for (let x = 0; x < w; x++) {
      if (n > 2 && y >= (t2[x] as number)) px[row + x] = c2
      else if (n > 1 && y >= (t1[x] as number)) {
        // Lit windows on the middle row of buildings: a cheap integer hash per 8×16 cell.
        const lightOn =
          windowRow &&
          (x & 7) < 3 &&
          ((Math.imul(x >> 3, 73856093) ^ Math.imul(y >> 4, 19349663) ^ plan.seed) & 255) > 150
        px[row + x] = lightOn ? lit : c1
      } else if (y >= (t0[x] as number)) px[row + x] = c0
    }
  }
}

function drawWater(
  px: Uint32Array,
  w: number,
  h: number,
  plan: ScenePlan,
  horizonY: number,
  sunX: number,
  t: number,
): void {
  const top = Math.ceil(horizonY)
  const { water, skyHorizon, sun } = plan.palette
  for (let y = top; y < h; y++) {
    const q = (y - horizonY) / (h - horizonY)
    const base = mix(skyHorizon, water, Math.min(1, q ** 0.45))
    const ripple = 10 * Math.sin(6 / (q + 0.03) + t * 2.2 * plan.speed)
    px.fill(pack(base[0] + ripple, base[1] + ripple, base[2] + ripple), y * w, y * w + w)
    if (plan.sun !== 'none') {
      const half = (0.02 + q * 0.06) * h * (0.6 + 0.4 * Math.sin(y * 0.9 + t * 5))
      const wobble = Math.sin(y * 0.31 + t * 3) * q * 0.02 * h
      const x0 = Math.max(0, Math.floor(sunX - half + wobble))
      const x1 = Math.min(w, Math.ceil(sunX + half + wobble))
      if (x1 > x0 && (y & 3) !== 0) px.fill(packRGB(mix(base, sun, 0.6 - q * 0.3)), y * w + x0, y * w + x1)
    }
  }
}

function drawGrid(
  px: Uint32Array,
  w: number,
  h: number,
  plan: ScenePlan,
  cam: Camera,
  horizonY: number,
  t: number,
): void {
  const top = Math.ceil(horizonY)
  const line = pack(255, 60, 200)
  const glow = pack(150, 30, 160)
  for (let y = top; y < h; y++) {
    const dy = (y - horizonY) / h
    const z = 0.08 / dy
    const f = (((z - t * 0.6 * plan.speed) % 1) + 1) % 1
    if (f < 0.04 + dy * 0.1) px.fill(f < 0.02 + dy * 0.05 ? line : glow, y * w, y * w + w)
    const spacing = dy * h
    if (spacing < 3) continue // lines closer than 3 px merge into the horizon glow
    const offset = (((-cam.panX * 4 * dy * h) % spacing) + spacing) % spacing
    for (let x = w / 2 + offset - Math.ceil(w / 2 / spacing) * spacing; x < w; x += spacing) {
      const xi = Math.round(x)
      if (xi >= 0 && xi < w) px[y * w + xi] = line
      if (xi + 1 >= 0 && xi + 1 < w) px[y * w + xi + 1] = glow
    }
  }
}

function drawWeather(px: Uint32Array, w: number, h: number, plan: ScenePlan, t: number): void {
  if (plan.weather === 'none') return
  const rand = mulberry32(plan.seed ^ 0x1234567)
  const snow = plan.weather === 'snowfall'
  const count = Math.round(((w * h) / 3000) * (snow ? 1 : 1.5))
  const size = Math.max(2, Math.round(h / 360))
  const color = snow ? pack(250, 250, 255) : pack(190, 200, 215)
  for (let i = 0; i < count; i++) {
    const x0 = rand() * w
    const y0 = rand() * h
    const v = 0.5 + rand()
    const fall = snow ? 0.12 * h * v : 1.1 * h * v
    const x = Math.floor((((x0 + (snow ? Math.sin(t + i) * 8 : -fall * 0.15 * t)) % w) + w) % w)
    const y = Math.floor((y0 + fall * t) % h)
    const len = snow ? size : size * 6
    for (let k = 0; k < len && y + k < h; k++) {
      const row = (y + k) * w
      for (let s = 0; s < (snow ? size : 1); s++) if (x + s < w) px[row + x + s] = color
    }
  }
}

function applyLooks(u8: Uint8Array, w: number, h: number, plan: ScenePlan, frame: number): void {
  const looks = plan.looks
  const mono = looks.includes('mono')
  const vintage = looks.includes('vintage')
  const vivid = looks.includes('vivid')
  const dreamy = looks.includes('dreamy')
  if (mono || vintage || vivid || dreamy) {
    for (let i = 0, p = 0; i < u8.length; i += 4, p++) {
      let r = u8[i] as number
      let g = u8[i + 1] as number
      let b = u8[i + 2] as number
      const l = (r * 77 + g * 150 + b * 29) >> 8
      if (mono) r = g = b = l
      if (vivid) {
        r = l + (r - l) * 1.4
        g = l + (g - l) * 1.4
        b = l + (b - l) * 1.4
      }
      if (vintage) {
        const grain = (hash1(p, frame * 7 + plan.seed) - 0.5) * 18
        r = r * 1.06 + 12 + grain
        g = g * 0.98 + 6 + grain
        b = b * 0.82 + grain
      }
      if (dreamy) {
        r = r * 0.82 + 46
        g = g * 0.82 + 42
        b = b * 0.82 + 50
      }
      u8[i] = r
      u8[i + 1] = g
      u8[i + 2] = b
    }
  }
  if (looks.includes('letterbox') && w / h > 1.5) {
    const bar = Math.round((h - w / 2.39) / 2)
    new Uint32Array(u8.buffer, u8.byteOffset, w * h).fill(0xff000000, 0, bar * w)
    new Uint32Array(u8.buffer, u8.byteOffset, w * h).fill(0xff000000, (h - bar) * w, h * w)
  }
}

/** Render frame `frame` of the clip into `rgba` (width × height × 4 bytes). */
export function renderSceneFrame(
  plan: ScenePlan,
  frame: number,
  fps: number,
  width: number,
  height: number,
  rgba: Uint8Array,
): void {
  const t = frame / fps
  const px = new Uint32Array(rgba.buffer, rgba.byteOffset, width * height)
  const cam = cameraAt(plan, t)
  const horizonY = height * cam.horizon
  drawSky(px, width, height, plan, horizonY)
  if (plan.stars) drawStars(px, width, height, plan, cam, horizonY, t)
  const sunX = width / 2 + ((0.18 - cam.panX * 0.1) * height + width * 0.1) * cam.zoom
  const sunY = horizonY - 0.2 * height * cam.zoom + (plan.theme === 'sunset' ? t * 0.004 * height : 0)
  const radius = (plan.sun === 'neon' ? 0.16 : 0.07) * height * cam.zoom
  if (plan.sun !== 'none')
    drawDisc(px, width, height, sunX, sunY, radius, plan.palette.sun, plan.sun === 'moon' ? 1.2 : 2.2)
  drawTerrain(px, width, height, plan, cam, horizonY)
  if (plan.water) drawWater(px, width, height, plan, horizonY, sunX, t)
  if (plan.grid) drawGrid(px, width, height, plan, cam, horizonY, t)
  drawWeather(px, width, height, plan, t)
  applyLooks(rgba, width, height, plan, frame)
  stampMark(rgba, width, height)
}
