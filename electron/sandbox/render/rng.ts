// Deterministic randomness for the procedural renderer: the same request always yields the same video.
import { createHash } from 'node:crypto'

/** A 32-bit seed from any strings (prompt, parameters). */
export function seedFrom(...parts: string[]): number {
  return createHash('sha256').update(parts.join('\u0000')).digest().readUInt32LE(0)
}

/** mulberry32: small, fast, good enough for visuals. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Hash an integer lattice point to [0, 1). */
export function hash1(n: number, seed: number): number {
  let h = Math.imul(n ^ seed, 0x27d4eb2d)
  h ^= h >>> 15
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  return (h >>> 0) / 4294967296
}

/** Smooth 1-D value noise in [0, 1). */
export function noise1(x: number, seed: number): number {
  const i = Math.floor(x)
  const f = x - i
  const u = f * f * (3 - 2 * f)
  return hash1(i, seed) * (1 - u) + hash1(i + 1, seed) * u
}

/** Fractal noise: a few octaves of noise1, in [0, 1). */
export function fbm1(x: number, seed: number, octaves = 4): number {
  let sum = 0
  let amp = 0.5
  let norm = 0
  let freq = 1
  for (let o = 0; o < octaves; o++) {
    sum += amp * noise1(x * freq, seed + o * 1013)
    norm += amp
    amp *= 0.5
    freq *= 2.03
  }
  return sum / norm
}
