// Request validation, with one documented error code per field (README: "Sandbox → Validation").
// Unknown fields are ignored, as the guide's clients send a variety of them.
import { badRequest } from './errors'

export const RESOLUTIONS = ['720p', '1080p'] as const
export const ASPECT_RATIOS = ['16:9', '9:16', '1:1'] as const
export type Resolution = (typeof RESOLUTIONS)[number]
export type AspectRatio = (typeof ASPECT_RATIOS)[number]

export const PROMPT_MAX = 2000
export const STYLE_MAX = 100

/** A small content-policy list: whole words, any case. Documented in the README. */
export const BLOCKED_TERMS = ['gore', 'nsfw', 'nude', 'naked', 'porn', 'beheading', 'massacre', 'self-harm'] as const

export interface GenerationParams {
  prompt: string
  duration: number
  resolution: Resolution
  aspect_ratio: AspectRatio | null
  style: string | null
  motion_intensity: number | null
}

type Body = Record<string, unknown>

export function asObject(body: unknown): Body {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('INVALID_REQUEST', 'The request body must be a JSON object.')
  }
  return body as Body
}

function present(body: Body, key: string): boolean {
  return body[key] !== undefined && body[key] !== null
}

export function validatePrompt(value: unknown): string {
  if (value === undefined || value === null) throw badRequest('INVALID_PROMPT', 'prompt is required.')
  if (typeof value !== 'string') throw badRequest('INVALID_PROMPT', 'prompt must be a string.')
  const prompt = value.trim()
  if (!prompt) throw badRequest('INVALID_PROMPT', 'prompt is empty.')
  if (prompt.length > PROMPT_MAX) {
    throw badRequest(
      'INVALID_PROMPT',
      `prompt is ${prompt.length.toLocaleString('en-US')} characters; the limit is 2,000.`,
    )
  }
  const lower = prompt.toLowerCase()
  const term = BLOCKED_TERMS.find((t) => new RegExp(`(^|[^a-z])${t.replace('-', '\\-')}($|[^a-z])`).test(lower))
  if (term) throw badRequest('INVALID_PROMPT', `prompt violates the content policy (blocked term: "${term}").`)
  return prompt
}

function validateCommon(
  body: Body,
  defaultDuration: number,
): Omit<GenerationParams, 'prompt' | 'aspect_ratio' | 'motion_intensity'> {
  const duration = present(body, 'duration') ? body.duration : defaultDuration
  if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < 1 || duration > 8) {
    throw badRequest(
      'INVALID_DURATION',
      `duration must be a whole number of seconds from 1 to 8 (got ${JSON.stringify(duration)}).`,
    )
  }
  const resolution = present(body, 'resolution') ? body.resolution : '1080p'
  if (!RESOLUTIONS.includes(resolution as Resolution)) {
    throw badRequest('INVALID_RESOLUTION', `resolution must be 720p or 1080p (got ${JSON.stringify(resolution)}).`)
  }
  let style: string | null = null
  if (present(body, 'style')) {
    if (typeof body.style !== 'string' || body.style.trim().length > STYLE_MAX) {
      throw badRequest('INVALID_STYLE', `style must be text of at most ${STYLE_MAX} characters.`)
    }
    style = body.style.trim() || null
  }
  return { duration, resolution: resolution as Resolution, style }
}

function validateAspect(body: Body): AspectRatio | null {
  if (!present(body, 'aspect_ratio')) return null
  if (!ASPECT_RATIOS.includes(body.aspect_ratio as AspectRatio)) {
    throw badRequest(
      'INVALID_ASPECT_RATIO',
      `aspect_ratio must be 16:9, 9:16 or 1:1 (got ${JSON.stringify(body.aspect_ratio)}).`,
    )
  }
  return body.aspect_ratio as AspectRatio
}

/** POST generate/text-to-video. Defaults: duration 8, resolution 1080p, aspect_ratio 16:9. */
export function validateTextRequest(raw: unknown): GenerationParams {
  const body = asObject(raw)
  const prompt = validatePrompt(body.prompt)
  return { prompt, ...validateCommon(body, 8), aspect_ratio: validateAspect(body) ?? '16:9', motion_intensity: null }
}

export type ImageSource = { kind: 'url'; url: string } | { kind: 'base64'; data: string }

/**
 * POST generate/image-to-video. Defaults: duration 6, resolution 1080p, motion_intensity 0.5, and the
 * aspect ratio nearest the image's own when aspect_ratio is not given (aspect_ratio is then null here).
 */
export function validateImageRequest(raw: unknown): { params: GenerationParams; source: ImageSource } {
  const body = asObject(raw)
  const prompt = validatePrompt(body.prompt)
  const common = validateCommon(body, 6)
  const aspect = validateAspect(body)
  const motion = present(body, 'motion_intensity') ? body.motion_intensity : 0.5
  if (typeof motion !== 'number' || !Number.isFinite(motion) || motion < 0 || motion > 1) {
    throw badRequest(
      'INVALID_MOTION_INTENSITY',
      `motion_intensity must be a number from 0 to 1 (got ${JSON.stringify(motion)}).`,
    )
  }
  const hasUrl = present(body, 'image_url')
  const hasData = present(body, 'image_base64')
  if (hasUrl && hasData) throw badRequest('INVALID_IMAGE', 'Send either image_url or image_base64, not both.')
  if (!hasUrl && !hasData) throw badRequest('INVALID_IMAGE', 'image_url or image_base64 is required.')
  let source: ImageSource
  if (hasUrl) {
    const url = body.image_url
    let parsed: URL | null = null
    try {
      parsed = typeof url === 'string' ? new URL(url) : null
    } catch {
      parsed = null
    }
    if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
      throw badRequest('INVALID_IMAGE', 'image_url must be an http(s) URL.')
    }
    source = { kind: 'url', url: parsed.href }
  } else {
    if (typeof body.image_base64 !== 'string') throw badRequest('INVALID_IMAGE', 'image_base64 must be a string.')
    source = { kind: 'base64', data: body.image_base64 }
  }
  return { params: { prompt, ...common, aspect_ratio: aspect, motion_intensity: motion }, source }
}

export { creditsFor } from '../shared/pricing'

/** Output frame size for a resolution and aspect ratio (the short side is 720 or 1080). */
export function frameSize(resolution: Resolution, aspect: AspectRatio): { width: number; height: number } {
  const short = resolution === '1080p' ? 1080 : 720
  const long = resolution === '1080p' ? 1920 : 1280
  if (aspect === '16:9') return { width: long, height: short }
  if (aspect === '9:16') return { width: short, height: long }
  return { width: short, height: short }
}

/** The supported aspect ratio nearest an image's own. */
export function nearestAspect(width: number, height: number): AspectRatio {
  const target = Math.log(width / height)
  const options: Array<[AspectRatio, number]> = [
    ['16:9', 16 / 9],
    ['1:1', 1],
    ['9:16', 9 / 16],
  ]
  return options.reduce((best, o) =>
    Math.abs(Math.log(o[1]) - target) < Math.abs(Math.log(best[1]) - target) ? o : best,
  )[0]
}
