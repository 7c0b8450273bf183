// fal's Seedance endpoints as the Sandbox emulates them: each endpoint id with its input schema (fal-js 1.10.1
// types/endpoints.ts: Seedance{TextToVideo,ImageToVideo,ProFastImageToVideo,Prov15*,2T2V,2I2V}Input), and input
// validation answered as fal's models answer it: a 422 `detail` array in pydantic's words (docs.fal.ai/errors).
import type { Resolution } from '../../../shared/providers'
import { BLOCKED_TERMS } from '../../validation'

export type FalMode = 'text-to-video' | 'image-to-video'

export interface FalEndpoint {
  id: string
  /** The shared catalog's model id (the endpoint id without its mode). */
  model: string
  mode: FalMode
  durations: readonly string[]
  defaultDuration: string
  resolutions: readonly Resolution[]
  defaultResolution: Resolution
  ratios: readonly string[]
  defaultRatio: string
  cameraFixed: boolean
  audio: boolean
  endImage: boolean
  safetyChecker: boolean
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i))
const RATIOS = ['21:9', '16:9', '4:3', '1:1', '3:4', '9:16']

type Family = Omit<FalEndpoint, 'id' | 'model' | 'mode' | 'ratios' | 'defaultRatio' | 'endImage'>
const V1: Family = {
  durations: range(2, 12),
  defaultDuration: '5',
  resolutions: ['480p', '720p', '1080p'],
  defaultResolution: '1080p',
  cameraFixed: true,
  audio: false,
  safetyChecker: true,
}
const V15: Family = { ...V1, durations: range(4, 12), defaultResolution: '720p', audio: true }
const V2: Family = {
  durations: ['auto', ...range(4, 15)],
  defaultDuration: 'auto',
  resolutions: ['480p', '720p'],
  defaultResolution: '720p',
  cameraFixed: false,
  audio: true,
  safetyChecker: false,
}

function pair(
  model: string,
  family: Family,
  t2vRatios: string[],
  t2vDefault: string,
  endImage: boolean,
): FalEndpoint[] {
  return [
    {
      id: `${model}/text-to-video`,
      model,
      mode: 'text-to-video',
      ...family,
      ratios: t2vRatios,
      defaultRatio: t2vDefault,
      endImage: false,
    },
    {
      id: `${model}/image-to-video`,
      model,
      mode: 'image-to-video',
      ...family,
      ratios: [...RATIOS, 'auto'],
      defaultRatio: 'auto',
      endImage,
    },
  ]
}

/** Both namespaces: `fal-ai/bytedance/seedance/...` (1.x) and `bytedance/seedance-2.0/...` (2.0). */
export const FAL_ENDPOINTS: ReadonlyMap<string, FalEndpoint> = new Map(
  [
    // v1 text-to-video has no "auto" ratio but a 9:21 (SeedanceTextToVideoInput); its i2v takes an end image.
    ...pair('fal-ai/bytedance/seedance/v1/pro', V1, [...RATIOS, '9:21'], '16:9', true),
    ...pair('fal-ai/bytedance/seedance/v1/pro/fast', V1, [...RATIOS, '9:21'], '16:9', false),
    ...pair('fal-ai/bytedance/seedance/v1.5/pro', V15, [...RATIOS, 'auto'], '16:9', true),
    ...pair('bytedance/seedance-2.0', V2, [...RATIOS, 'auto'], 'auto', true),
    ...pair('bytedance/seedance-2.0/fast', V2, [...RATIOS, 'auto'], 'auto', true),
  ].map((e) => [e.id, e]),
)

/** One entry of fal's 422 `detail` array. */
export interface FalDetail {
  loc: Array<string | number>
  msg: string
  type: string
  url?: string
  input?: unknown
  ctx?: Record<string, unknown>
}

export interface FalInputOk {
  prompt: string
  /** "auto" already resolved for duration (the Sandbox's model picks 5 s); ratio stays "auto" until the image is read. */
  duration: number
  resolution: Resolution
  ratio: string
  seed: number | null
  cameraFixed: boolean | null
  audio: boolean | null
  imageUrl: string | null
  endImageUrl: string | null
}

/** The seconds the Sandbox's model picks for "auto" (the models' default length). */
export const AUTO_SECONDS = 5
/** The prompt length fal's Seedance endpoints refuse past (TanStack/ai#396 saw 2,500 on a live fal endpoint). */
export const PROMPT_MAX = 2500

const literal = (field: string, input: unknown, allowed: readonly string[]): FalDetail => ({
  loc: ['body', field],
  msg: `Input should be ${allowed.map((a) => `'${a}'`).join(', ')}`,
  type: 'literal_error',
  input,
  ctx: { expected: allowed.map((a) => `'${a}'`).join(', ') },
})

/** The Sandbox's content checker: the same documented word list as the guide's door (README, Sandbox). */
export function flaggedTerm(prompt: string): string | null {
  const lower = prompt.toLowerCase()
  return BLOCKED_TERMS.find((t) => new RegExp(`(^|[^a-z])${t.replace('-', '\\-')}($|[^a-z])`).test(lower)) ?? null
}

/** Check a body against the endpoint's schema: the input, or every problem found (pydantic reports them all). */
export function validateFalInput(endpoint: FalEndpoint, raw: unknown): FalInputOk | FalDetail[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return [{ loc: ['body'], msg: 'Input should be a valid dictionary', type: 'dict_type', input: raw }]
  const body = raw as Record<string, unknown>
  const problems: FalDetail[] = []
  const has = (k: string) => body[k] !== undefined && body[k] !== null
  const str = (k: string): string | null => {
    if (!has(k)) return null
    if (typeof body[k] === 'string') return body[k] as string
    problems.push({ loc: ['body', k], msg: 'Input should be a valid string', type: 'string_type', input: body[k] })
    return null
  }
  const bool = (k: string): boolean | null => {
    if (!has(k)) return null
    if (typeof body[k] === 'boolean') return body[k] as boolean
    problems.push({ loc: ['body', k], msg: 'Input should be a valid boolean', type: 'bool_type', input: body[k] })
    return null
  }

  const prompt = str('prompt')
  if (!has('prompt')) problems.push({ loc: ['body', 'prompt'], msg: 'Field required', type: 'missing', input: body })
  else if (prompt !== null && prompt.length > PROMPT_MAX)
    problems.push({
      loc: ['body', 'prompt'],
      msg: `String should have at most ${PROMPT_MAX} characters`,
      type: 'string_too_long',
      input: prompt,
      ctx: { max_length: PROMPT_MAX },
    })
  const pick = (k: string, allowed: readonly string[], fallback: string): string => {
    if (!has(k)) return fallback
    // The duration is a STRING enum: 5 (a number) is refused as fal refuses it.
    if (typeof body[k] === 'string' && allowed.includes(body[k] as string)) return body[k] as string
    problems.push(literal(k, body[k], allowed))
    return fallback
  }
  const duration = pick('duration', endpoint.durations, endpoint.defaultDuration)
  const resolution = pick('resolution', endpoint.resolutions, endpoint.defaultResolution) as Resolution
  const ratio = pick('aspect_ratio', endpoint.ratios, endpoint.defaultRatio)
  let seed: number | null = null
  if (has('seed')) {
    if (Number.isInteger(body.seed)) seed = body.seed === -1 ? null : (body.seed as number)
    else
      problems.push({
        loc: ['body', 'seed'],
        msg: 'Input should be a valid integer',
        type: 'int_type',
        input: body.seed,
      })
  }
  const cameraFixed = endpoint.cameraFixed ? bool('camera_fixed') : null
  const audio = endpoint.audio ? bool('generate_audio') : null
  if (endpoint.safetyChecker) bool('enable_safety_checker')
  let imageUrl: string | null = null
  if (endpoint.mode === 'image-to-video') {
    imageUrl = str('image_url')
    if (!has('image_url'))
      problems.push({ loc: ['body', 'image_url'], msg: 'Field required', type: 'missing', input: body })
  }
  // Fields an endpoint does not have are ignored, as pydantic ignores them (v1 pro fast's end_image_url).
  const endImageUrl = endpoint.endImage ? str('end_image_url') : null
  if (problems.length) return problems
  return {
    prompt: (prompt as string).trim(),
    duration: duration === 'auto' ? AUTO_SECONDS : Number(duration),
    resolution,
    ratio,
    seed,
    cameraFixed,
    audio: audio ?? (endpoint.audio ? true : null),
    imageUrl,
    endImageUrl,
  }
}
