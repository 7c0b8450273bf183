// Turns a prompt and style into a deterministic scene description: palette, elements, camera and look.
import { mulberry32 } from './rng'
import {
  CAMERA_WORDS,
  type CameraMove,
  LOOK_WORDS,
  type Look,
  matches,
  SPEED_WORDS,
  THEMES,
  type Theme,
  WEATHER_WORDS,
  wordsOf,
} from './vocabulary'

export type RGB = readonly [number, number, number]

export interface Palette {
  skyTop: RGB
  skyHorizon: RGB
  sun: RGB
  far: RGB
  mid: RGB
  near: RGB
  water: RGB
  ground: RGB
}

const PALETTES: Record<Theme, Palette> = {
  sunset: {
    skyTop: [44, 32, 92],
    skyHorizon: [255, 150, 90],
    sun: [255, 214, 140],
    far: [150, 80, 120],
    mid: [96, 48, 92],
    near: [40, 22, 48],
    water: [120, 70, 110],
    ground: [60, 30, 50],
  },
  ocean: {
    skyTop: [40, 110, 190],
    skyHorizon: [170, 215, 240],
    sun: [255, 250, 225],
    far: [90, 140, 170],
    mid: [40, 110, 150],
    near: [20, 70, 110],
    water: [20, 95, 150],
    ground: [210, 190, 150],
  },
  forest: {
    skyTop: [90, 150, 190],
    skyHorizon: [200, 225, 215],
    sun: [255, 245, 210],
    far: [90, 140, 110],
    mid: [40, 100, 60],
    near: [18, 60, 32],
    water: [40, 90, 90],
    ground: [30, 70, 40],
  },
  night: {
    skyTop: [6, 8, 28],
    skyHorizon: [30, 40, 90],
    sun: [235, 235, 250],
    far: [30, 36, 70],
    mid: [18, 22, 48],
    near: [8, 10, 24],
    water: [16, 24, 60],
    ground: [10, 12, 30],
  },
  neon: {
    skyTop: [20, 4, 40],
    skyHorizon: [120, 20, 120],
    sun: [255, 90, 190],
    far: [70, 10, 90],
    mid: [40, 6, 60],
    near: [16, 2, 30],
    water: [40, 0, 60],
    ground: [22, 0, 36],
  },
  desert: {
    skyTop: [80, 150, 220],
    skyHorizon: [250, 220, 170],
    sun: [255, 250, 220],
    far: [220, 170, 110],
    mid: [200, 140, 80],
    near: [170, 105, 60],
    water: [80, 140, 170],
    ground: [190, 130, 75],
  },
  snow: {
    skyTop: [140, 170, 210],
    skyHorizon: [225, 235, 245],
    sun: [255, 255, 245],
    far: [200, 215, 235],
    mid: [170, 190, 215],
    near: [235, 240, 248],
    water: [150, 180, 210],
    ground: [240, 244, 250],
  },
  city: {
    skyTop: [30, 40, 80],
    skyHorizon: [240, 140, 100],
    sun: [255, 220, 170],
    far: [70, 70, 100],
    mid: [45, 45, 70],
    near: [20, 20, 34],
    water: [40, 50, 80],
    ground: [30, 30, 40],
  },
  mountain: {
    skyTop: [60, 120, 200],
    skyHorizon: [200, 225, 245],
    sun: [255, 250, 230],
    far: [130, 150, 185],
    mid: [80, 100, 130],
    near: [40, 55, 70],
    water: [50, 100, 140],
    ground: [50, 70, 60],
  },
}

export type Terrain = 'ridges' | 'trees' | 'dunes' | 'skyline' | 'none'

export interface ScenePlan {
  theme: Theme
  palette: Palette
  terrain: Terrain
  water: boolean
  grid: boolean
  stars: boolean
  sun: 'sun' | 'moon' | 'neon' | 'none'
  weather: 'snowfall' | 'rain' | 'none'
  camera: CameraMove
  /** +1 pans right, -1 pans left. */
  direction: 1 | -1
  speed: number
  looks: Look[]
  seed: number
}

const TERRAIN: Record<Theme, Terrain> = {
  sunset: 'ridges',
  ocean: 'none',
  forest: 'trees',
  night: 'ridges',
  neon: 'none',
  desert: 'dunes',
  snow: 'ridges',
  city: 'skyline',
  mountain: 'ridges',
}

export function planScene(prompt: string, style: string, seed: number): ScenePlan {
  const words = wordsOf(`${prompt} ${style}`)
  const rand = mulberry32(seed)
  const themes = matches(words, THEMES)
  const fallback: Theme[] = ['mountain', 'sunset', 'ocean', 'forest']
  // Light sets the palette ("mountains at golden hour" is a sunset); landscape words add terrain and water.
  const lighting = themes.find((t) => t === 'neon' || t === 'night' || t === 'sunset')
  const theme = lighting ?? themes[0] ?? (fallback[Math.floor(rand() * fallback.length)] as Theme)
  const has = (t: Theme) => themes.includes(t)
  // A second theme adds its element: "sunset over the ocean" has water, "forest at night" has stars.
  // The most specific landscape wins: trees, buildings or dunes over generic ridges.
  const terrainTheme =
    themes.find((t) => TERRAIN[t] !== 'none' && TERRAIN[t] !== 'ridges') ??
    themes.find((t) => TERRAIN[t] !== 'none') ??
    theme
  const cameras = matches(words, CAMERA_WORDS)
  const defaultCameras: CameraMove[] = ['pan', 'drone', 'zoomIn']
  const speedWords = matches(words, SPEED_WORDS)
  const weather = matches(words, WEATHER_WORDS)[0] ?? 'none'
  const nightLike = theme === 'night' || has('night')
  return {
    theme,
    palette: PALETTES[theme],
    terrain: TERRAIN[terrainTheme],
    water: has('ocean'),
    grid: has('neon'),
    stars: nightLike || theme === 'neon',
    sun: theme === 'neon' ? 'neon' : nightLike ? 'moon' : theme === 'city' && !has('sunset') ? 'none' : 'sun',
    weather,
    camera: cameras[0] ?? (defaultCameras[Math.floor(rand() * defaultCameras.length)] as CameraMove),
    direction: words.includes('left') ? -1 : 1,
    speed: speedWords[0] === 'slow' ? 0.5 : speedWords[0] === 'fast' ? 2 : 1,
    looks: matches(words, LOOK_WORDS),
    seed,
  }
}
