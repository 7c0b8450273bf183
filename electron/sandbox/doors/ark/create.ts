// POST /contents/generations/tasks as Ark answers it: each field checked against the model (the catalog's
// capabilities), Ark's error codes with the failing `param`, its input moderation, its queued-task limit, and
// concurrency past the running limit queued rather than refused. Sources: providers.md A1, A3.
import type http from 'node:http'
import { type AspectRatio, frameSize, type ModelInfo, nearestRatio, type Resolution } from '../../../shared/providers'
import { prepareCanvas } from '../../image-source'
import { BLOCKED_TERMS } from '../../validation'
import type { DoorAnswer, DoorContext } from '../door'
import { loadArkImage } from './image'
import { ArkFailure, type ArkState, arkModel, invalid, missing, OUTPUT_POLICY_TRIGGER } from './wire'

const TEXT_COMMAND =
  /(?:^|\s)(--(?:resolution|rs|ratio|rt|duration|dur|frames|framespersecond|fps|seed|camerafixed|cf|watermark|wm))(?=\s|$|=)/i

type Body = Record<string, unknown>

function has(body: Body, key: string): boolean {
  return body[key] !== undefined && body[key] !== null
}

function bool(body: Body, key: string): boolean | null {
  if (!has(body, key)) return null
  if (typeof body[key] !== 'boolean') throw invalid(key, `The parameter ${key} must be a boolean.`)
  return body[key] as boolean
}

interface Parsed {
  model: ModelInfo
  modelId: string
  prompt: string
  images: Array<{ url: string; role: 'first_frame' | 'last_frame'; param: string }>
}

function parseContent(body: Body): Parsed {
  if (!has(body, 'model')) throw missing('model')
  if (typeof body.model !== 'string') throw invalid('model', 'The parameter model must be a string.')
  const model = arkModel(body.model)
  if (!model)
    throw new ArkFailure(
      404,
      'InvalidEndpointOrModel.NotFound',
      `The model or endpoint ${body.model} does not exist or you do not have access to it.`,
      'model',
    )
  if (!has(body, 'content')) throw missing('content')
  if (!Array.isArray(body.content) || body.content.length === 0)
    throw invalid('content', 'The parameter content must be a non-empty array.')
  let prompt: string | null = null
  const images: Parsed['images'] = []
  body.content.forEach((raw, i) => {
    const item = (typeof raw === 'object' && raw !== null ? raw : {}) as Body
    const param = `content[${i}]`
    if (item.type === 'text') {
      if (typeof item.text !== 'string') throw invalid(`${param}.text`, 'The text item must carry a string.')
      if (prompt !== null) throw invalid(param, 'Only one text item is allowed.')
      prompt = item.text
    } else if (item.type === 'image_url') {
      const url = (item.image_url as Body | undefined)?.url
      if (typeof url !== 'string' || !url) throw invalid(`${param}.image_url.url`, 'The image_url item needs a url.')
      const role = item.role ?? 'first_frame'
      if (role === 'reference_image')
        throw invalid(`${param}.role`, `The model ${body.model} does not support reference images.`)
      if (role !== 'first_frame' && role !== 'last_frame')
        throw invalid(`${param}.role`, `The image role ${String(role)} is not valid.`)
      images.push({ url, role, param: `${param}.image_url` })
    } else if (['video_url', 'audio_url', 'draft_task'].includes(item.type as string)) {
      throw invalid(`${param}.type`, `The model ${body.model} does not support ${String(item.type)} content.`)
    } else {
      throw invalid(`${param}.type`, `The content type ${String(item.type)} is not valid.`)
    }
  })
  const first = images.filter((m) => m.role === 'first_frame').length
  const last = images.filter((m) => m.role === 'last_frame').length
  if (first > 1 || last > 1) throw invalid('content', 'At most one first frame and one last frame are allowed.')
  if (last && !first) throw invalid('content', 'A last frame image requires a first frame image.')
  const mode = last ? 'first-last-frame' : first ? 'first-frame' : 'text'
  if (!model.modes.includes(mode))
    throw invalid('content', `The model ${body.model} does not support ${mode} generation.`)
  const text = (prompt ?? '').trim()
  if (!text && !first) throw invalid('content', 'A text prompt or a first frame image is required.')
  // Text commands are the old form of the body fields (create doc): mixing the two forms is refused.
  const flag = TEXT_COMMAND.exec(text)?.[1]
  if (flag)
    throw invalid(
      'content.text',
      `The text command ${flag} cannot be combined with request parameters; set the parameter instead.`,
    )
  if (text.length > model.promptMax)
    throw invalid('content.text', `The prompt is longer than ${model.promptMax} characters.`)
  const lower = text.toLowerCase()
  const term = BLOCKED_TERMS.find((t) => new RegExp(`(^|[^a-z])${t.replace('-', '\\-')}($|[^a-z])`).test(lower))
  if (term)
    throw new ArkFailure(
      400,
      'InputTextSensitiveContentDetected',
      'The request failed because the input text may contain sensitive information.',
    )
  return { model, modelId: body.model, prompt: text, images }
}

export interface Settings {
  resolution: Resolution
  ratio: string
  duration: number
  seed: number | null
  cameraFixed: boolean | null
  generateAudio: boolean | null
  returnLastFrame: boolean
  serviceTier: 'default' | 'flex'
  expiresAfterSeconds: number
}

function parseSettings(body: Body, model: ModelInfo, fromImage: boolean): Settings {
  const resolution = has(body, 'resolution') ? body.resolution : model.defaultResolution
  if (!model.resolutions.includes(resolution as Resolution))
    throw invalid(
      'resolution',
      `The resolution ${String(resolution)} is not supported by ${model.id} (${model.resolutions.join(', ')}).`,
    )
  const ratio = has(body, 'ratio') ? body.ratio : fromImage ? 'adaptive' : '16:9'
  if (typeof ratio !== 'string' || !(model.ratios as readonly string[]).includes(ratio))
    throw invalid('ratio', `The ratio ${String(ratio)} is not supported by ${model.id}.`)
  if (has(body, 'frames')) throw invalid('frames', 'frames is not emulated by the Sandbox; use duration.')
  let duration = has(body, 'duration') ? body.duration : model.defaultDuration
  const { min, max, auto } = model.durations
  if (duration === -1 && auto) duration = model.defaultDuration // "the model decides": the Sandbox picks its default
  if (typeof duration !== 'number' || !Number.isInteger(duration) || duration < min || duration > max)
    throw invalid(
      'duration',
      `The duration must be an integer from ${min} to ${max}${auto ? ' or -1' : ''} for ${model.id}.`,
    )
  let seed: number | null = null
  if (has(body, 'seed')) {
    const s = body.seed
    if (typeof s !== 'number' || !Number.isInteger(s) || s < -1 || s > 2 ** 32 - 1)
      throw invalid('seed', 'The seed must be an integer from -1 to 4294967295.')
    if (s >= 0) seed = s
  }
  const cameraFixed = bool(body, 'camera_fixed')
  if (cameraFixed !== null && !model.cameraFixed)
    throw invalid('camera_fixed', `The parameter camera_fixed is not supported by ${model.id}.`)
  const generateAudio = bool(body, 'generate_audio')
  if (generateAudio !== null && !model.audio)
    throw invalid('generate_audio', `The parameter generate_audio is not supported by ${model.id}.`)
  bool(body, 'watermark')
  const returnLastFrame = bool(body, 'return_last_frame') ?? false
  if (bool(body, 'draft')) throw invalid('draft', 'Draft mode is not emulated by the Sandbox.')
  if (has(body, 'callback_url'))
    throw invalid('callback_url', 'Callbacks are not emulated by the Sandbox; poll the task.')
  const tier = has(body, 'service_tier') ? body.service_tier : 'default'
  if (tier !== 'default' && tier !== 'flex') throw invalid('service_tier', 'The service_tier must be default or flex.')
  if (tier === 'flex' && model.durations.auto)
    throw invalid('service_tier', `The flex tier is not available for ${model.id}.`)
  const expires = has(body, 'execution_expires_after') ? body.execution_expires_after : 172_800
  if (typeof expires !== 'number' || !Number.isInteger(expires) || expires < 3600 || expires > 259_200)
    throw invalid('execution_expires_after', 'The execution_expires_after must be an integer from 3600 to 259200.')
  return {
    resolution: resolution as Resolution,
    ratio,
    duration,
    seed,
    cameraFixed,
    generateAudio,
    returnLastFrame,
    serviceTier: tier,
    expiresAfterSeconds: expires,
  }
}

/** `cgt-<yyyymmddhhmmss>-<5 random>` (the ids in Ark's documentation: cgt-20250331175019-68d9t). */
function taskId(now: number, random: () => number): string {
  const stamp = new Date(now).toISOString().replace(/\D/g, '').slice(0, 14)
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
  let tail = ''
  for (let i = 0; i < 5; i++) tail += alphabet[Math.floor(random() * alphabet.length)]
  return `cgt-${stamp}-${tail}`
}

export async function createTask(
  ctx: DoorContext,
  state: ArkState,
  owner: string,
  body: unknown,
  req: http.IncomingMessage,
): Promise<DoorAnswer> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalid('body', 'The request body must be a JSON object.')
  const parsed = parseContent(body as Body)
  const { model } = parsed
  const settings = parseSettings(body as Body, model, parsed.images.length > 0)
  const active = ctx.jobs.active(owner, 'ark')
  const queued = active.filter((j) => ctx.jobs.status(j) === 'queued').length
  if (queued >= state.limits.queueLimit)
    throw new ArkFailure(
      429,
      'QuotaExceeded',
      `The number of queued tasks in your account has reached the limit (${state.limits.queueLimit}); wait for queued tasks to finish.`,
    )
  let image: Awaited<ReturnType<typeof prepareCanvas>> | undefined
  let ratio = settings.ratio
  for (const img of parsed.images) {
    const loaded = await loadArkImage(img.url, model.image, ctx, img.param)
    if (img.role !== 'first_frame') continue
    // `adaptive` follows the first frame (A1); the renderer moves over the first frame (a last frame is checked only).
    if (ratio === 'adaptive') ratio = nearestRatio(loaded.width, loaded.height)
    const size = frameSize(settings.resolution, ratio as AspectRatio)
    image = await prepareCanvas(loaded.data, size.width, size.height, 0.5)
  }
  if (ratio === 'adaptive') ratio = '16:9'
  // Past the running limit, jobs wait in Ark's queue (A3: concurrency 10); the slot that frees first takes the next.
  const ends = active.map((j) => j.estimatedAt).sort((a, b) => b - a)
  const startAt = ends.length >= state.limits.concurrency ? (ends[state.limits.concurrency - 1] as number) : 0
  const seed = settings.seed ?? Math.floor(ctx.random() * 2 ** 32)
  const job = ctx.jobs.create(
    owner,
    image ? 'image-to-video' : 'text-to-video',
    {
      prompt: parsed.prompt,
      duration: settings.duration,
      resolution: settings.resolution,
      aspect_ratio: ratio,
      style: null,
      motion_intensity: null,
      model: model.id,
      seed,
      camera_fixed: settings.cameraFixed,
      audio: settings.generateAudio,
      lastFrame: settings.returnLastFrame,
    },
    frameSize(settings.resolution, ratio as AspectRatio),
    0,
    image,
    { door: 'ark', startAt, id: taskId(ctx.now(), ctx.random) },
  )
  let failure: { code: string; message: string } | null = null
  if (parsed.prompt.toLowerCase().includes(OUTPUT_POLICY_TRIGGER)) {
    job.willFail = true
    failure = {
      code: 'OutputVideoSensitiveContentDetected.PolicyViolation',
      message: 'The request failed because the output video may contain sensitive information.',
    }
  }
  state.tasks.set(job.id, {
    model: parsed.modelId,
    seed,
    ratio,
    generateAudio: settings.generateAudio,
    serviceTier: settings.serviceTier,
    expiresAfterSeconds: settings.expiresAfterSeconds,
    failure,
    cancelledAt: null,
  })
  if (ctx.dropAfterCreate()) {
    ctx.log(`${job.id}: dropping the connection after creating the task (injected fault)`)
    req.socket.destroy()
    return { status: 0 }
  }
  return { status: 200, body: { id: job.id } }
}
