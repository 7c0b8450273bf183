import { describe, expect, it } from 'vitest'
import { planImageMove, viewAt } from '../../../electron/sandbox/render/camera'
import { planScene } from '../../../electron/sandbox/render/scene-plan'

describe('planScene', () => {
  it('takes its palette from the light and its landscape from the place', () => {
    const p = planScene('Aerial view of a mountain range at golden hour, slow drone shot', '', 1)
    expect(p.theme).toBe('sunset')
    expect(p.terrain).toBe('ridges')
    expect(p.camera).toBe('drone')
    expect(p.speed).toBe(0.5)
  })

  it.each([
    ['sunset over the ocean', { theme: 'sunset', water: true, sun: 'sun' }],
    ['a quiet forest at night', { theme: 'night', terrain: 'trees', stars: true, sun: 'moon' }],
    ['neon city in the rain', { theme: 'neon', grid: true, weather: 'rain', terrain: 'skyline' }],
    ['snowy forest', { theme: 'snow', terrain: 'trees', weather: 'snowfall' }],
    ['desert dunes, fast pan left', { theme: 'desert', terrain: 'dunes', camera: 'pan', direction: -1, speed: 2 }],
    ['city skyline, zoom out', { theme: 'city', camera: 'zoomOut' }],
  ])('%s', (prompt, expected) => {
    expect(planScene(prompt, '', 7)).toMatchObject(expected)
  })

  it('reads the style too: cinematic letterbox, black and white', () => {
    expect(planScene('mountains', 'cinematic, black and white', 3).looks).toEqual(['letterbox', 'mono'])
  })

  it('is deterministic for a seed when the prompt names nothing it knows', () => {
    expect(planScene('a feeling of Tuesday', '', 42)).toEqual(planScene('a feeling of Tuesday', '', 42))
  })
})

describe('image camera', () => {
  it.each([
    ['slowly push in on the face', 'pushIn'],
    ['pull back to reveal the valley', 'pullBack'],
    ['pan left across the room', 'panLeft'],
    ['pan across the table', 'panRight'],
    ['tilt up to the sky', 'tiltUp'],
    ['tilt down to the floor', 'tiltDown'],
    ['the flowers sway', 'pushIn'],
  ])('%s → %s', (prompt, move) => {
    expect(planImageMove(prompt, 0.5).move).toBe(move)
  })

  it('goes further with more motion, and holds still at zero', () => {
    const view = (amount: number, p: number) =>
      viewAt({ move: 'pushIn', amount }, 1280 * (1 + 0.35 * amount), 720 * (1 + 0.35 * amount), 1280, 720, p)
    expect(view(0, 0).width).toBeCloseTo(view(0, 1).width)
    expect(view(1, 1).width).toBeLessThan(view(1, 0).width)
    expect(view(1, 0).width / view(1, 1).width).toBeGreaterThan(view(0.5, 0).width / view(0.5, 1).width)
  })
})
