// The flags that choose a video's door, model and settings: read as a user types them, with a specific message for
// each mistake (issue 10, point 7). Whether the model can do what they ask is the engine's check.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  durationFlag,
  requestFromFlags,
  resolveTarget,
  seedFlag,
  targetFromFlags,
} from '../../../electron/cli/commands/request-flags'

let tmp: string
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'cli-flags-'))
})
afterAll(() => rm(tmp, { recursive: true, force: true }))

describe('resolveTarget', () => {
  it('takes a provider alone (its default model is the engine’s choice) and a provider with its model', () => {
    expect(resolveTarget({})).toEqual({})
    expect(resolveTarget({ provider: 'ARK' })).toEqual({ provider: 'ark' })
    expect(resolveTarget({ provider: 'fal', model: 'bytedance/seedance-2.0' })).toEqual({
      provider: 'fal',
      model: 'bytedance/seedance-2.0',
    })
  })

  it('names the door of a model only one door has, and asks when two have it', () => {
    expect(resolveTarget({ model: 'seedance-1-0-pro-250528' })).toEqual({
      provider: 'ark',
      model: 'seedance-1-0-pro-250528',
    })
    expect(() => resolveTarget({ model: 'bytedance/seedance-2.0' })).toThrow(
      '--model "bytedance/seedance-2.0" is offered by fal and replicate: choose one with --provider.',
    )
  })

  it('refuses an unknown provider or model with the closest one and where to look', () => {
    expect(() => resolveTarget({ provider: 'arc' })).toThrow(
      '--provider "arc" is not a provider. Did you mean "ark"? Use one of: seedance, ark, fal, replicate',
    )
    expect(() => resolveTarget({ provider: 'seedance', model: 'pro' })).toThrow(
      '--model "pro" is not a model of seedance. Its models: standard.',
    )
    expect(() => resolveTarget({ model: 'seedance-1-0-pro-25052' })).toThrow(
      'Did you mean "seedance-1-0-pro-250528"? See: seedance providers',
    )
  })
})

describe('targetFromFlags', () => {
  it('reads SEEDANCE_PROVIDER and SEEDANCE_MODEL when no flag is given, and a flag over them', () => {
    const env = { SEEDANCE_PROVIDER: 'replicate', SEEDANCE_MODEL: 'bytedance/seedance-1-pro' }
    expect(targetFromFlags({}, env)).toEqual({ provider: 'replicate', model: 'bytedance/seedance-1-pro' })
    expect(targetFromFlags({ provider: 'fal', model: 'bytedance/seedance-2.0/fast' }, env)).toEqual({
      provider: 'fal',
      model: 'bytedance/seedance-2.0/fast',
    })
    expect(() => targetFromFlags({}, { SEEDANCE_PROVIDER: 'openai' })).toThrow(
      'SEEDANCE_PROVIDER "openai" is not a provider.',
    )
  })
})

describe('seedFlag', () => {
  it('takes a whole number in range; -1 or none is random', () => {
    expect(seedFlag('42')).toBe(42)
    expect(seedFlag('4294967295')).toBe(4294967295)
    expect(seedFlag('-1')).toBeNull()
    expect(seedFlag(undefined)).toBeNull()
    expect(() => seedFlag('4294967296')).toThrow('--seed must be a whole number from 0 to 4294967295')
    expect(() => seedFlag('1.5')).toThrow('--seed must be a whole number')
    expect(() => seedFlag('abc')).toThrow('--seed must be a number (got "abc").')
  })
})

describe('requestFromFlags', () => {
  it('carries provider, model, seed, fixed camera, sound and the last frame', async () => {
    const first = path.join(tmp, 'first.png')
    const last = path.join(tmp, 'last.png')
    const input = await requestFromFlags(
      'a lighthouse',
      {
        provider: 'ark',
        model: 'seedance-1-0-pro-250528',
        image: first,
        'last-frame': path.relative(process.cwd(), last),
        seed: '7',
        'camera-fixed': true,
        resolution: '480p',
        aspect: '21:9',
        'no-audio': true,
      },
      {},
    )
    expect(input).toMatchObject({
      provider: 'ark',
      model: 'seedance-1-0-pro-250528',
      prompt: 'a lighthouse',
      imagePath: first,
      seed: 7,
      cameraFixed: true,
      audio: false,
      resolution: '480p',
      aspectRatio: '21:9',
      lastImagePath: last,
    })
  })

  it('reads a duration in seconds, or auto (0: the model chooses)', () => {
    expect(durationFlag('12')).toBe(12)
    expect(durationFlag('auto')).toBe(0)
    expect(durationFlag(undefined)).toBeUndefined()
    expect(() => durationFlag('long')).toThrow('--duration must be a number (got "long").')
  })

  it('leaves what was not asked for to the model’s default', async () => {
    const input = await requestFromFlags('a lake', {}, {})
    expect(input).toMatchObject({ seed: null, cameraFixed: null, audio: null, lastImagePath: null, imagePath: null })
    expect(input).not.toHaveProperty('provider')
  })

  it('refuses flags that cannot go together, naming the fix', async () => {
    await expect(requestFromFlags('x', { 'last-frame': 'b.png' }, {})).rejects.toThrow(
      '--last-frame needs the first frame too: add --image FILE.',
    )
    await expect(requestFromFlags('x', { audio: true, 'no-audio': true }, {})).rejects.toThrow(
      '--audio and --no-audio cannot both be given.',
    )
    await expect(requestFromFlags('x', { aspect: 'adaptive' }, {})).rejects.toThrow(
      '--aspect adaptive follows the source image',
    )
  })
})
