// A request is checked against its model before anything is sent (issue 10, point 1): each setting the model cannot
// take is refused with its own code and a message naming the model and what it allows; prompt text flags are refused;
// images follow each model's rules. No engine, no HTTP: prepareRequest over a temporary images folder.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prepareRequest, type RequestInput } from '../../electron/core/prepare-request'
import { PROMPT_FLAGS } from '../../electron/shared/request-rules'
import { picture } from '../fixtures/images'

let dir: string
let png: Buffer
let gif: Buffer
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'prepare-caps-'))
  png = await picture(800, 600, 'png')
  gif = await picture(800, 600, 'gif')
})
afterAll(() => rm(dir, { recursive: true, force: true }))

const prepare = (input: Partial<RequestInput>) => prepareRequest({ prompt: 'a lighthouse at dusk', ...input }, dir)
const refusal = (input: Partial<RequestInput>) =>
  prepare(input).then(
    () => null,
    (e: { code: string; message: string }) => ({ code: e.code, message: e.message }),
  )

const ARK_PRO = { provider: 'ark', model: 'seedance-1-0-pro-250528' } as const
const ARK_PRO_FAST = { provider: 'ark', model: 'seedance-1-0-pro-fast-251015' } as const
const ARK_2 = { provider: 'ark', model: 'dreamina-seedance-2-0-260128' } as const
const ARK_2_FAST = { provider: 'ark', model: 'dreamina-seedance-2-0-fast-260128' } as const

describe('the guide’s API (seedance/standard), as before issue 10', () => {
  it('keeps its defaults: 8 s, 1080p, 16:9 for text', async () => {
    expect(await prepare({})).toMatchObject({
      provider: 'seedance',
      model: 'standard',
      mode: 'text',
      duration: 8,
      resolution: '1080p',
      aspectRatio: '16:9',
      motionIntensity: null,
    })
  })

  it.each<[string, Partial<RequestInput>, string, RegExp]>([
    ['a seed', { seed: 42 }, 'UNSUPPORTED_SETTING', /Seedance \(standard tier\) on Seedance API does not take a seed/],
    ['480p', { resolution: '480p' }, 'INVALID_RESOLUTION', /makes 720p, 1080p videos, not 480p/],
    ['21:9', { aspectRatio: '21:9' }, 'INVALID_ASPECT_RATIO', /16:9, 9:16, 1:1, not 21:9/],
    ['adaptive', { aspectRatio: 'adaptive' }, 'INVALID_ASPECT_RATIO', /not adaptive/],
    ['9 s', { duration: 9 }, 'INVALID_DURATION', /from 1 to 8 for Seedance \(standard tier\)/],
    ['auto duration', { duration: 0 }, 'INVALID_DURATION', /from 1 to 8 /],
    ['a fixed camera', { cameraFixed: true }, 'UNSUPPORTED_SETTING', /cannot keep the camera fixed/],
    ['sound', { audio: true }, 'UNSUPPORTED_SETTING', /silent videos/],
  ])('refuses %s', async (_name, input, code, message) => {
    const r = await refusal(input)
    expect(r?.code).toBe(code)
    expect(r?.message).toMatch(message)
  })

  it('refuses a last frame: it has no first + last frame mode', async () => {
    const r = await refusal({ image: { name: 'a.png', data: png }, lastImage: { name: 'b.png', data: png } })
    expect(r).toMatchObject({
      code: 'UNSUPPORTED_SETTING',
      message: expect.stringMatching(/cannot end on a last frame/),
    })
  })

  it('refuses a GIF first frame (JPEG, PNG or WebP only), naming the model', async () => {
    const r = await refusal({ image: { name: 'anim.gif', data: gif } })
    expect(r?.code).toBe('INVALID_IMAGE')
    expect(r?.message).toMatch(/anim\.gif: .*gif is not supported; use JPEG, PNG or WebP.*Seedance API/)
  })
})

describe('a model on another door', () => {
  it('takes the door’s default model when none is given', async () => {
    expect(await prepare({ provider: 'ark', duration: 5 })).toMatchObject({
      provider: 'ark',
      model: 'seedance-1-0-pro-250528',
    })
  })

  it('takes what Seedance 1.0 Pro can do: seed, 480p, 21:9, a fixed camera, first + last frame', async () => {
    const r = await prepare({
      ...ARK_PRO,
      duration: 10,
      resolution: '480p',
      aspectRatio: '21:9',
      seed: 42,
      cameraFixed: true,
      image: { name: 'first.png', data: png },
      lastImage: { name: 'last.png', data: png },
    })
    expect(r).toMatchObject({ mode: 'image', seed: 42, cameraFixed: true, resolution: '480p', aspectRatio: '21:9' })
    expect(r.image?.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(r.lastImage?.sha256).toBe(r.image?.sha256)
    expect(r.motionIntensity).toBeNull() // the guide's setting: not on Ark's models
  })

  it.each<[string, Partial<RequestInput>, string, RegExp]>([
    ['a style (the guide’s own setting)', { ...ARK_PRO, style: 'anime' }, 'UNSUPPORTED_SETTING', /no style setting/],
    [
      'a motion intensity',
      { ...ARK_PRO, image: null, imageUrl: 'https://example.com/a.png', motionIntensity: 0.3 },
      'UNSUPPORTED_SETTING',
      /no motion intensity/,
    ],
    ['sound on 1.0 Pro', { ...ARK_PRO, audio: true }, 'UNSUPPORTED_SETTING', /silent videos/],
    [
      'a last frame on Pro Fast',
      { ...ARK_PRO_FAST, imageUrl: 'https://example.com/a.png', lastImage: { name: 'b.png', data: Buffer.alloc(0) } },
      'UNSUPPORTED_SETTING',
      /Seedance 1\.0 Pro Fast on BytePlus ModelArk cannot end on a last frame/,
    ],
    [
      'a fixed camera on 2.0',
      { ...ARK_2, cameraFixed: true },
      'UNSUPPORTED_SETTING',
      /Seedance 2\.0 on BytePlus ModelArk cannot keep the camera fixed/,
    ],
    [
      '1080p on 2.0 Fast',
      { ...ARK_2_FAST, resolution: '1080p' },
      'INVALID_RESOLUTION',
      /makes 480p, 720p videos, not 1080p/,
    ],
    ['16 s on 2.0', { ...ARK_2, duration: 16 }, 'INVALID_DURATION', /from 4 to 15 \(or 0 for auto\)/],
    ['a seed out of range', { ...ARK_PRO, seed: 2 ** 32 }, 'INVALID_SEED', /0 to 4,294,967,295/],
    ['a fractional seed', { ...ARK_PRO, seed: 1.5 }, 'INVALID_SEED', /whole number/],
    [
      'a last frame alone',
      { ...ARK_PRO, lastImage: { name: 'b.png', data: png } },
      'INVALID_IMAGE',
      /needs a first frame/,
    ],
    [
      'an unknown model',
      { provider: 'ark', model: 'seedance-9' },
      'UNKNOWN_MODEL',
      /BytePlus ModelArk has no model "seedance-9"; it has seedance-1-0-pro-250528/,
    ],
    [
      'an unknown provider',
      { provider: 'runway' as never },
      'UNKNOWN_PROVIDER',
      /no provider "runway"; there are seedance, ark, fal, replicate/,
    ],
  ])('refuses %s', async (_name, input, code, message) => {
    const r = await refusal(input)
    expect(r?.code).toBe(code)
    expect(r?.message).toMatch(message)
  })

  it('takes auto duration and adaptive shape on 2.0', async () => {
    expect(await prepare({ ...ARK_2, duration: 0, aspectRatio: 'adaptive', audio: true })).toMatchObject({
      duration: 0,
      aspectRatio: 'adaptive',
      audio: true,
    })
  })

  it('follows each model’s image rules: a GIF is fine for Replicate', async () => {
    const r = await prepare({ provider: 'replicate', duration: 5, image: { name: 'anim.gif', data: gif } })
    expect(r.image?.path).toMatch(/\.gif$/)
  })
})

describe('prompt text flags', () => {
  it.each(PROMPT_FLAGS.map((f) => [f]))('refuses --%s, naming it', async (flag) => {
    const r = await refusal({ ...ARK_PRO, prompt: `a lighthouse at dusk --${flag} 5` })
    expect(r?.code).toBe('INVALID_PROMPT')
    expect(r?.message).toContain(`"--${flag}"`)
  })

  it.each([
    ['--RS=720p at the start', '--RS=720p a lighthouse'],
    ['flag in the middle', 'a --dur 5 lighthouse'],
  ])('refuses %s', async (_name, prompt) => {
    expect((await refusal({ prompt }))?.code).toBe('INVALID_PROMPT')
  })

  it.each([
    ['a dash pair used as punctuation', 'a lighthouse -- at dusk'],
    ['a word that only starts like a flag', 'a lighthouse --seedling grows'],
    ['a flag glued to a word', 'fast-motion--rs'],
  ])('takes %s', async (_name, prompt) => {
    expect((await prepare({ prompt })).prompt).toBe(prompt)
  })
})
