// The composer's capability logic, without a DOM: which controls a model offers, how settings are fitted when the
// model changes (and that each change is said), the seed lock, what is sent, and the cost shown.
import { describe, expect, it } from 'vitest'
import { frameSize, videoTokens } from '../../../../electron/shared/providers'
import {
  controlsFor,
  costLines,
  engineDefault,
  fitToModel,
  type ModelSettings,
  modelLabel,
  parseSeed,
  seedForSubmit,
  submitPayload,
} from '../../../../renderer/src/features/composer/capabilities'

const ARK_1 = 'seedance-1-0-pro-250528'
const ARK_2 = 'dreamina-seedance-2-0-260128'

const settings = (over: Partial<ModelSettings> = {}): ModelSettings => ({
  provider: 'seedance',
  model: 'standard',
  mode: 'text',
  duration: 5,
  resolution: '1080p',
  aspectRatio: '16:9',
  style: '',
  seed: '',
  seedLocked: false,
  cameraFixed: false,
  audio: false,
  hasLastImage: false,
  ...over,
})

describe('controlsFor', () => {
  it('offers the guide’s model its own controls: 1–8 s, two resolutions, three shapes, style, no seed', () => {
    const c = controlsFor('seedance', 'standard', 'image')
    expect(c.durations).toEqual({ min: 1, max: 8 })
    expect(c.resolutions).toEqual(['720p', '1080p'])
    expect(c.ratios).toEqual(['16:9', '9:16', '1:1'])
    expect(c).toMatchObject({ style: true, motion: true, seed: false, cameraFixed: false, audio: false })
    expect(c.lastFrame).toBe(false)
  })

  it('offers an Ark model 480p, 21:9, 4:3, 3:4, a seed and a fixed camera, and no style', () => {
    const c = controlsFor('ark', ARK_1, 'text')
    expect(c.durations).toEqual({ min: 2, max: 12 })
    expect(c.resolutions).toContain('480p')
    expect(c.ratios).toEqual(expect.arrayContaining(['21:9', '4:3', '3:4']))
    expect(c).toMatchObject({ style: false, motion: false, seed: true, cameraFixed: true, audio: false })
  })

  it('offers adaptive and the last frame only with an image, and the last frame only where the model has it', () => {
    expect(controlsFor('ark', ARK_1, 'text').ratios).not.toContain('adaptive')
    expect(controlsFor('ark', ARK_1, 'text').lastFrame).toBe(false)
    expect(controlsFor('ark', ARK_1, 'image').ratios).toContain('adaptive')
    expect(controlsFor('ark', ARK_1, 'image').lastFrame).toBe(true)
    // pro-fast takes a first frame only.
    expect(controlsFor('ark', 'seedance-1-0-pro-fast-251015', 'image').lastFrame).toBe(false)
  })

  it('goes up to each model’s maximum duration and offers sound where the model makes it', () => {
    expect(controlsFor('ark', 'dreamina-seedance-2-5-260628', 'text').durations.max).toBe(30)
    expect(controlsFor('fal', 'bytedance/seedance-2.0', 'text')).toMatchObject({ audio: true, cameraFixed: false })
  })
})

describe('fitToModel', () => {
  it('clamps what the new model cannot do, and says each change', () => {
    const from = settings({
      provider: 'ark',
      model: ARK_2,
      duration: 15,
      resolution: '480p',
      aspectRatio: '21:9',
      seed: '42',
    })
    const { settings: next, changes } = fitToModel({ ...from, provider: 'seedance', model: 'standard' })
    expect(next).toMatchObject({ duration: 8, resolution: '720p', aspectRatio: '16:9', seed: '' })
    expect(changes).toEqual([
      'Duration 15 s → 8 s: Seedance (standard tier) makes 1–8 s.',
      'Resolution 480p → 720p: Seedance (standard tier) makes 720p, 1080p.',
      'Aspect ratio 21:9 → 16:9: Seedance (standard tier) makes 16:9, 9:16, 1:1.',
      'Seed 42 not used: Seedance (standard tier) does not take a seed.',
    ])
  })

  it('removes a style, fixed camera, sound and last frame the model has no control for', () => {
    const { settings: next, changes } = fitToModel(
      settings({
        provider: 'ark',
        model: 'seedance-1-0-pro-fast-251015',
        mode: 'image',
        style: 'noir',
        audio: true,
        hasLastImage: true,
      }),
    )
    expect(next).toMatchObject({ style: '', audio: false, hasLastImage: false })
    expect(changes).toEqual([
      'Style “noir” removed: Seedance 1.0 Pro Fast has no style setting.',
      'Sound turned off: Seedance 1.0 Pro Fast makes silent videos.',
      'Last frame removed: Seedance 1.0 Pro Fast takes a first frame only.',
    ])
    const camera = fitToModel(settings({ provider: 'ark', model: ARK_2, cameraFixed: true }))
    expect(camera.settings.cameraFixed).toBe(false)
    expect(camera.changes).toEqual(['Fixed camera turned off: Seedance 2.0 does not take it.'])
  })

  it('changes nothing, and says nothing, when the model can do it all', () => {
    const from = settings({ duration: 5, resolution: '720p', aspectRatio: '16:9' })
    const { settings: next, changes } = fitToModel({ ...from, provider: 'ark', model: ARK_1 })
    expect(changes).toEqual([])
    expect(next).toEqual({ ...from, provider: 'ark', model: ARK_1 })
  })

  it('takes the highest resolution below one the model lacks, and leaves adaptive without an image', () => {
    const r = fitToModel(settings({ provider: 'ark', model: 'dreamina-seedance-2-0-fast-260128', resolution: '1080p' }))
    expect(r.settings.resolution).toBe('720p')
    const a = fitToModel(settings({ provider: 'ark', model: ARK_1, mode: 'text', aspectRatio: 'adaptive' }))
    expect(a.settings.aspectRatio).toBe('16:9')
    expect(a.changes).toEqual(['Aspect ratio adaptive → 16:9: adaptive follows a source image.'])
  })

  it('falls back to the provider’s default model for an id it no longer has, and says so', () => {
    const { settings: next, changes } = fitToModel(settings({ provider: 'ark', model: 'seedance-0-9-retired' }))
    expect(next.model).toBe(ARK_1)
    expect(changes[0]).toBe('Model “seedance-0-9-retired” is not offered any more: using Seedance 1.0 Pro.')
    // '' asks for the default: nothing to report.
    expect(fitToModel(settings({ provider: 'fal', model: '', resolution: '720p' })).changes).toEqual([])
  })
})

describe('the seed and its lock', () => {
  it('reads a typed seed, and says what is wrong with a bad one', () => {
    expect(parseSeed('')).toEqual({ seed: null, problem: null })
    expect(parseSeed(' 42 ')).toEqual({ seed: 42, problem: null })
    expect(parseSeed('4.5').problem).toBe('The seed is a whole number (or empty for a random one).')
    expect(parseSeed('-3').problem).toBe('The seed is a whole number (or empty for a random one).')
    expect(parseSeed('4294967296').problem).toBe('The seed is at most 4,294,967,295.')
  })

  it('keeps a locked seed across generations, and draws one to keep when none is typed', () => {
    expect(seedForSubmit({ seed: '42', seedLocked: true }, true, () => 0.5)).toEqual({ send: 42, after: '42' })
    expect(seedForSubmit({ seed: '', seedLocked: true }, true, () => 0.5)).toEqual({
      send: 1073741824,
      after: '1073741824',
    })
  })

  it('uses an unlocked seed once; sends none when empty or when the model takes none', () => {
    expect(seedForSubmit({ seed: '42', seedLocked: false }, true, () => 0.5)).toEqual({ send: 42, after: '' })
    expect(seedForSubmit({ seed: '', seedLocked: false }, true, () => 0.5)).toEqual({ send: null, after: '' })
    expect(seedForSubmit({ seed: '42', seedLocked: true }, false, () => 0.5)).toEqual({ send: null, after: '' })
  })
})

describe('submitPayload', () => {
  const form = { prompt: 'a lake', motion: 0.7, imageUrl: '' }
  const bytes = (name: string) => ({ name, data: new Uint8Array([1, 2, 3]) })

  it('sends the provider, model, seed, fixed camera, sound and last frame where the model takes them', () => {
    const s = { ...settings({ provider: 'ark', model: ARK_1, mode: 'image', cameraFixed: true, style: 'x' }), ...form }
    const p = submitPayload(s, { image: bytes('a.png'), lastImage: bytes('b.png') }, 7, false)
    expect(p).toMatchObject({
      provider: 'ark',
      model: ARK_1,
      seed: 7,
      cameraFixed: true,
      audio: null,
      style: null,
      motionIntensity: null,
      image: { name: 'a.png' },
      lastImage: { name: 'b.png' },
      force: false,
    })
  })

  it('sends nothing the model has no control for (the guide’s model: style and motion, no seed)', () => {
    const s = { ...settings({ mode: 'image', style: ' noir ', cameraFixed: true, audio: true }), ...form }
    const p = submitPayload(s, { image: bytes('a.png'), lastImage: bytes('b.png') }, 7, true)
    expect(p).toMatchObject({
      provider: 'seedance',
      model: 'standard',
      seed: null,
      cameraFixed: null,
      audio: null,
      style: 'noir',
      motionIntensity: 0.7,
      lastImage: null,
      force: true,
    })
  })

  it('sends no image in text mode, and an image URL only without an image', () => {
    const text = submitPayload({ ...settings(), ...form }, { image: bytes('a.png'), lastImage: null }, null, false)
    expect(text).toMatchObject({ image: null, imageUrl: null, lastImage: null })
    const url = submitPayload(
      { ...settings({ mode: 'image' }), ...form, imageUrl: ' https://example.com/a.jpg ' },
      { image: null, lastImage: null },
      null,
      false,
    )
    expect(url.imageUrl).toBe('https://example.com/a.jpg')
  })
})

describe('costLines', () => {
  it('shows the guide’s credits, with no USD price published', () => {
    expect(costLines(settings({ duration: 8 }), null)).toMatchObject({
      amount: '≈ 10 credits',
      usd: 'price not published',
    })
  })

  it('shows Ark’s tokens and their USD price at the model’s frame size', () => {
    const { width, height } = frameSize('720p', '21:9')
    const tokens = videoTokens(width, height, 5)
    const c = costLines(settings({ provider: 'ark', model: ARK_1, resolution: '720p', aspectRatio: '21:9' }), null)
    expect(c.amount).toBe(`≈ ${tokens.toLocaleString('en')} tokens`)
    expect(c.usd).toBe(`≈ $${((tokens / 1e6) * 2.5).toFixed(2)}`)
  })

  it('costs adaptive at the ratio nearest the image, and sound where it costs more', () => {
    const portrait = costLines(
      settings({ provider: 'ark', model: ARK_1, resolution: '480p', aspectRatio: 'adaptive', duration: 4 }),
      { width: 600, height: 1000 },
    )
    const { width, height } = frameSize('480p', '9:16')
    expect(portrait.estimate.amount).toBe(videoTokens(width, height, 4))
    const m = 'seedance-1-5-pro-251215'
    const silent = costLines(settings({ provider: 'ark', model: m, resolution: '720p' }), null).estimate.usd as number
    const loud = costLines(settings({ provider: 'ark', model: m, resolution: '720p', audio: true }), null).estimate
      .usd as number
    expect(loud).toBeCloseTo(silent * 2)
  })

  it('shows Replicate’s seconds, and says when no price is published', () => {
    const c = costLines(settings({ provider: 'replicate', model: 'bytedance/seedance-1-pro' }), null)
    expect(c).toMatchObject({ amount: '≈ 5 seconds', usd: 'price not published' })
  })
})

describe('engineDefault and labels', () => {
  it('reads the default door and model from engine:status, and falls back to the guide’s API', () => {
    expect(engineDefault({ provider: 'ark', model: ARK_2 })).toEqual({ provider: 'ark', model: ARK_2 })
    expect(engineDefault({ provider: 'fal', model: 'gone' })).toEqual({
      provider: 'fal',
      model: 'fal-ai/bytedance/seedance/v1/pro',
    })
    // Before the doors: provider is where jobs go ('sandbox' | 'cloud'), with no model.
    expect(engineDefault({ provider: 'sandbox' })).toEqual({ provider: 'seedance', model: 'standard' })
    expect(engineDefault(null)).toEqual({ provider: 'seedance', model: 'standard' })
  })

  it('labels a job or video by its door and model; one written before the doors is the guide’s', () => {
    expect(modelLabel('ark', ARK_1)).toBe('BytePlus ModelArk · Seedance 1.0 Pro')
    expect(modelLabel(undefined, undefined)).toBe('Seedance API · Seedance (standard tier)')
    expect(modelLabel('replicate', 'someone/else')).toBe('Replicate · someone/else')
  })
})
