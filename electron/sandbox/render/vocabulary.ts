// The words the Sandbox understands. A prompt's (and style's) words pick the palette, the scene's
// elements, the camera move and a finishing look; anything else is seeded noise. Documented in the README.

export const THEMES = {
  sunset: ['sunset', 'sunrise', 'golden', 'dusk', 'dawn', 'evening'],
  ocean: ['ocean', 'sea', 'beach', 'wave', 'waves', 'coast', 'lake', 'water', 'river'],
  forest: ['forest', 'jungle', 'tree', 'trees', 'woods', 'woodland', 'pine'],
  night: ['night', 'stars', 'starry', 'moon', 'moonlight', 'space', 'galaxy', 'midnight'],
  neon: ['neon', 'cyberpunk', 'synthwave', 'vaporwave', 'retrowave', 'arcade'],
  desert: ['desert', 'dune', 'dunes', 'sand', 'canyon', 'sahara'],
  snow: ['snow', 'snowy', 'winter', 'ice', 'arctic', 'frozen', 'blizzard'],
  city: ['city', 'urban', 'skyline', 'street', 'downtown', 'skyscraper', 'skyscrapers'],
  mountain: ['mountain', 'mountains', 'alpine', 'peak', 'peaks', 'valley', 'hills'],
} as const

export type Theme = keyof typeof THEMES

export const CAMERA_WORDS = {
  drone: ['drone', 'aerial', 'flyover', 'fly', 'flying', 'birdseye', 'overhead'],
  pan: ['pan', 'panning', 'tracking', 'sideways', 'truck', 'glide'],
  zoomIn: ['zoom', 'push', 'closer', 'approach', 'dolly'],
  zoomOut: ['pull', 'reveal', 'outward', 'back'],
  orbit: ['orbit', 'orbiting', 'circle', 'circling', 'rotate', 'rotating'],
  rise: ['tilt', 'rise', 'rising', 'crane', 'ascend', 'up'],
  still: ['static', 'still', 'locked', 'tripod', 'stationary'],
} as const

export type CameraMove = keyof typeof CAMERA_WORDS

export const SPEED_WORDS = {
  slow: ['slow', 'slowly', 'gentle', 'gently', 'calm', 'serene', 'lazy'],
  fast: ['fast', 'rapid', 'quick', 'quickly', 'speed', 'hyperlapse', 'timelapse', 'racing'],
} as const

export const WEATHER_WORDS = {
  snowfall: ['snow', 'snowy', 'snowfall', 'blizzard', 'snowflakes'],
  rain: ['rain', 'rainy', 'storm', 'stormy', 'drizzle'],
} as const

export const LOOK_WORDS = {
  letterbox: ['cinematic', 'film', 'movie', 'anamorphic', 'widescreen'],
  mono: ['noir', 'monochrome', 'grayscale', 'greyscale', 'b&w'],
  vintage: ['vintage', 'retro', 'sepia', '70s', '80s', 'nostalgic'],
  vivid: ['vibrant', 'vivid', 'anime', 'cartoon', 'colorful', 'colourful', 'saturated'],
  dreamy: ['dreamy', 'pastel', 'soft', 'ethereal', 'hazy'],
} as const

export type Look = keyof typeof LOOK_WORDS

/** Lower-case words of a text; "black and white" counts as the single word b&w. */
export function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/black\s+(and|&)\s+white/g, 'b&w')
    .replace(/bird'?s[- ]eye/g, 'birdseye')
    .replace(/zoom(ing)?\s+out/g, 'pull')
    .replace(/zoom(ing)?\s+in/g, 'zoom')
    .split(/[^a-z0-9&]+/)
    .filter(Boolean)
}

/** Every key of a vocabulary whose words appear, in order of first appearance. */
export function matches<K extends string>(words: string[], vocabulary: Record<K, readonly string[]>): K[] {
  const found: K[] = []
  for (const w of words) {
    for (const key of Object.keys(vocabulary) as K[]) {
      if (vocabulary[key].includes(w) && !found.includes(key)) found.push(key)
    }
  }
  return found
}
