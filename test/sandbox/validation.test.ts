import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ApiFailure } from '../../electron/sandbox/errors'
import {
  BLOCKED_TERMS,
  creditsFor,
  nearestAspect,
  validateImageRequest,
  validateTextRequest,
} from '../../electron/sandbox/validation'

function codeOf(fn: () => unknown): string | null {
  try {
    fn()
    return null
  } catch (e) {
    if (e instanceof ApiFailure) return e.code
    throw e
  }
}

const validText = fc.record({
  prompt: fc
    .string({ minLength: 1, maxLength: 300 })
    .filter((s) => s.trim().length > 0 && !/gore|nsfw|nude|naked|porn|beheading|massacre|self-harm/i.test(s)),
  duration: fc.integer({ min: 1, max: 8 }),
  resolution: fc.constantFrom('720p', '1080p'),
  aspect_ratio: fc.constantFrom('16:9', '9:16', '1:1'),
  style: fc.string({ maxLength: 100 }),
})

describe('validateTextRequest', () => {
  it('accepts every well-formed request and trims the prompt (property)', () => {
    fc.assert(
      fc.property(validText, (body) => {
        const v = validateTextRequest(body)
        expect(v.prompt).toBe(body.prompt.trim())
        expect(v.duration).toBe(body.duration)
      }),
    )
  })

  it('rejects any duration that is not a whole number from 1 to 8 with INVALID_DURATION (property)', () => {
    const bad = fc.oneof(
      fc.integer().filter((n) => n < 1 || n > 8),
      fc.double({ noNaN: false }).filter((n) => !Number.isInteger(n)),
      fc.string(),
      fc.boolean(),
    )
    fc.assert(
      fc.property(
        validText,
        bad,
        (body, duration) => codeOf(() => validateTextRequest({ ...body, duration })) === 'INVALID_DURATION',
      ),
    )
  })

  it('rejects any other resolution or aspect ratio with a code naming the field (property)', () => {
    const notOne = (allowed: string[]) =>
      fc.oneof(fc.string(), fc.integer()).filter((v) => !allowed.includes(v as string))
    fc.assert(
      fc.property(
        validText,
        notOne(['720p', '1080p']),
        (b, resolution) => codeOf(() => validateTextRequest({ ...b, resolution })) === 'INVALID_RESOLUTION',
      ),
    )
    fc.assert(
      fc.property(
        validText,
        notOne(['16:9', '9:16', '1:1']),
        (b, aspect_ratio) => codeOf(() => validateTextRequest({ ...b, aspect_ratio })) === 'INVALID_ASPECT_RATIO',
      ),
    )
  })

  it('rejects a style over 100 characters with INVALID_STYLE (property)', () => {
    fc.assert(
      fc.property(
        validText,
        fc.string({ minLength: 101, maxLength: 400 }).filter((s) => s.trim().length > 100),
        (b, style) => codeOf(() => validateTextRequest({ ...b, style })) === 'INVALID_STYLE',
      ),
    )
  })

  it.each([
    [{}, 'prompt is required.'],
    [{ prompt: 42 }, 'prompt must be a string.'],
    [{ prompt: '   \n ' }, 'prompt is empty.'],
    [{ prompt: 'x'.repeat(2001) }, 'prompt is 2,001 characters; the limit is 2,000.'],
    [{ prompt: 'A GORE-filled battle' }, 'prompt violates the content policy (blocked term: "gore").'],
  ])('INVALID_PROMPT with a clear message: %j', (body, message) => {
    expect(() => validateTextRequest(body)).toThrow(message)
    expect(codeOf(() => validateTextRequest(body))).toBe('INVALID_PROMPT')
  })

  it('matches blocked terms as whole words only', () => {
    expect(codeOf(() => validateTextRequest({ prompt: 'a gorge at sunrise' }))).toBeNull()
    for (const term of BLOCKED_TERMS)
      expect(codeOf(() => validateTextRequest({ prompt: `some ${term} here` }))).toBe('INVALID_PROMPT')
  })

  it('fills documented defaults: 8 s, 1080p, 16:9', () => {
    expect(validateTextRequest({ prompt: 'p' })).toMatchObject({
      duration: 8,
      resolution: '1080p',
      aspect_ratio: '16:9',
      style: null,
    })
  })
})

describe('validateImageRequest', () => {
  const base = { prompt: 'push in', image_base64: 'aGVsbG8=' }
  it('requires exactly one image source', () => {
    expect(codeOf(() => validateImageRequest({ prompt: 'p' }))).toBe('INVALID_IMAGE')
    expect(codeOf(() => validateImageRequest({ ...base, image_url: 'https://x.test/a.png' }))).toBe('INVALID_IMAGE')
    expect(codeOf(() => validateImageRequest({ prompt: 'p', image_url: 'ftp://x.test/a.png' }))).toBe('INVALID_IMAGE')
  })

  it('rejects motion_intensity outside 0–1 (property) and defaults it to 0.5', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double().filter((n) => !(n >= 0 && n <= 1)),
          fc.string(),
        ),
        (m) => codeOf(() => validateImageRequest({ ...base, motion_intensity: m })) === 'INVALID_MOTION_INTENSITY',
      ),
    )
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        (m) => validateImageRequest({ ...base, motion_intensity: m }).params.motion_intensity === m,
      ),
    )
    expect(validateImageRequest(base).params).toMatchObject({ motion_intensity: 0.5, duration: 6, aspect_ratio: null })
  })
})

describe('creditsFor and nearestAspect', () => {
  it('charges 10 credits for 8 s at 1080p, as the guide says, and less for shorter or smaller', () => {
    expect(creditsFor(8, '1080p')).toBe(10)
    expect(creditsFor(8, '720p')).toBe(6)
    expect(creditsFor(1, '720p')).toBe(1)
    expect(creditsFor(5, '1080p')).toBe(7)
  })

  it('picks the supported aspect nearest the image', () => {
    expect(nearestAspect(1920, 1080)).toBe('16:9')
    expect(nearestAspect(1000, 1100)).toBe('1:1')
    expect(nearestAspect(800, 1600)).toBe('9:16')
  })
})
