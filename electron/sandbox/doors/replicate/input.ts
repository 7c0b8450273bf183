// The Replicate door's input validation: a Seedance model's input schema (providers.md C1), answered as Replicate
// does, 422 with one entry per invalid field. Each model takes only its own fields; an unknown one is refused, so an
// adapter that sends a field a model lacks is caught here.
import { checkImage, ImageRuleError } from '../../../node/image-rules'
import { ASPECT_RATIOS, type ModelInfo, type Resolution } from '../../../shared/providers'
import { ApiFailure } from '../../errors'
import { loadImage } from '../../image-source'
import type { OutboundPolicy } from '../../outbound'

export interface InvalidField {
  type: string
  field: string
  description: string
}

/** A 422 in Replicate's shape; `fields` are listed in `detail` too. */
export class InputInvalid extends Error {
  constructor(readonly fields: InvalidField[]) {
    super(fields.map((f) => `- ${f.field}: ${f.description}`).join('\n'))
  }
}

/** 1.x models take `fps` and no `adaptive` ratio or `-1` duration; 2.x the reverse (C1). */
export const isV1 = (model: ModelInfo) => /\/seedance-1/.test(model.id)

export interface ValidInput {
  prompt: string
  /** Seconds to render (`-1` resolved to the model's default). */
  duration: number
  resolution: Resolution
  /** The ratio asked (null: none, or `adaptive`). */
  ratio: string | null
  seed: number | null
  cameraFixed: boolean | null
  audio: boolean | null
  image: { data: Uint8Array; width: number; height: number } | null
}

function fieldsOf(model: ModelInfo): Set<string> {
  const f = new Set(['prompt', 'duration', 'resolution', 'aspect_ratio'])
  if (model.modes.includes('first-frame')) f.add('image')
  if (model.modes.includes('first-last-frame')) f.add('last_frame_image')
  if (isV1(model)) f.add('fps')
  if (model.seed) f.add('seed')
  if (model.cameraFixed) f.add('camera_fixed')
  if (model.audio) f.add('generate_audio')
  return f
}

const DATA_URI = /^data:([a-z0-9.+-]+\/[a-z0-9.+-]+)?(;[a-z0-9-]+=[^;,]*)*;base64,([A-Za-z0-9+/]*={0,2})$/i

async function readImage(
  value: unknown,
  field: string,
  policy: OutboundPolicy,
  timeoutMs: number,
): Promise<{ data: Uint8Array; width: number; height: number } | InvalidField> {
  const bad = (description: string): InvalidField => ({ type: 'invalid_image', field: `input.${field}`, description })
  if (typeof value !== 'string') return bad(`Invalid type. Expected: string (a URI), given: ${typeof value}`)
  try {
    if (value.startsWith('data:')) {
      const m = DATA_URI.exec(value)
      if (!m) return bad('Not a valid base64 data URI.')
      const data = Buffer.from(m[3] ?? '', 'base64')
      const info = await checkImage(data)
      return { data, width: info.width, height: info.height }
    }
    if (!/^https?:\/\//i.test(value)) return bad('Does not match format "uri".')
    const loaded = await loadImage({ kind: 'url', url: value }, timeoutMs, policy)
    return { data: loaded.data, width: loaded.info.width, height: loaded.info.height }
  } catch (error) {
    if (error instanceof ImageRuleError || error instanceof ApiFailure) return bad(error.message)
    throw error
  }
}

/** Check `input` against the model's schema; throws InputInvalid with every problem found. */
export async function validateInput(
  model: ModelInfo,
  raw: unknown,
  policy: OutboundPolicy,
  timeoutMs: number,
): Promise<ValidInput> {
  const problems: InvalidField[] = []
  const bad = (field: string, type: string, description: string) =>
    problems.push({ type, field: `input.${field}`, description })
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new InputInvalid([{ type: 'required', field: 'input', description: 'input is required (an object).' }])
  const input = raw as Record<string, unknown>
  const known = fieldsOf(model)
  for (const key of Object.keys(input))
    if (!known.has(key)) bad(key, 'additional_property_not_allowed', `Additional property ${key} is not allowed`)
  const v1 = isV1(model)
  const prompt = typeof input.prompt === 'string' ? input.prompt.trim() : ''
  if (input.prompt === undefined) bad('prompt', 'required', 'prompt is required')
  else if (!prompt) bad('prompt', 'invalid_type', 'prompt must be a non-empty string')
  else if (prompt.length > model.promptMax) bad('prompt', 'max_length', `String length must be <= ${model.promptMax}`)
  let duration = model.defaultDuration
  if (input.duration !== undefined) {
    const d = input.duration
    const { min, max, auto } = model.durations
    if (typeof d !== 'number' || !Number.isInteger(d)) bad('duration', 'invalid_type', 'Expected: integer')
    else if (d === -1 && auto) duration = model.defaultDuration
    else if (d < min || d > max) bad('duration', 'range', `Must be ${auto ? '-1 or ' : ''}${min}–${max}`)
    else duration = d
  }
  let resolution = model.defaultResolution
  if (input.resolution !== undefined) {
    if (!model.resolutions.includes(input.resolution as Resolution))
      bad('resolution', 'enum', `Must be one of: ${model.resolutions.join(', ')}`)
    else resolution = input.resolution as Resolution
  }
  const ratios = ASPECT_RATIOS.filter((r) => model.ratios.includes(r) && (r !== 'adaptive' || !v1))
  const ratio = input.aspect_ratio === undefined ? null : String(input.aspect_ratio)
  if (ratio !== null && !(ratios as readonly string[]).includes(ratio))
    bad('aspect_ratio', 'enum', `Must be one of: ${ratios.join(', ')}`)
  if (input.fps !== undefined && input.fps !== 24) bad('fps', 'enum', 'Must be one of: 24')
  const flag = (key: string) => {
    if (input[key] === undefined) return null
    if (typeof input[key] !== 'boolean') bad(key, 'invalid_type', 'Expected: boolean')
    return input[key] === true
  }
  const cameraFixed = known.has('camera_fixed') ? flag('camera_fixed') : null
  const audio = known.has('generate_audio') ? (flag('generate_audio') ?? true) : null
  let seed: number | null = null
  if (input.seed !== undefined && input.seed !== null) {
    if (typeof input.seed !== 'number' || !Number.isInteger(input.seed))
      bad('seed', 'invalid_type', 'Expected: integer')
    else seed = input.seed
  }
  if (input.last_frame_image !== undefined && input.image === undefined)
    bad('last_frame_image', 'dependency', 'last_frame_image needs image (the first frame)')
  let image: ValidInput['image'] = null
  if (problems.length === 0) {
    for (const field of ['image', 'last_frame_image'] as const) {
      if (input[field] === undefined || !known.has(field)) continue
      const read = await readImage(input[field], field, policy, timeoutMs)
      if ('field' in read) problems.push(read)
      else if (field === 'image') image = read
    }
  }
  if (problems.length > 0) throw new InputInvalid(problems)
  // 1.x ignores aspect_ratio when an image is given (C1): the image decides.
  return { prompt, duration, resolution, ratio: image && v1 ? null : ratio, seed, cameraFixed, audio, image }
}
