// The flags that choose a video's door, model and settings (generate, batch), read into the engine's request input.
// Only their form is checked here; whether the model can do what they ask is the engine's check against the
// model's capabilities (shared/providers.ts), made before anything is sent.
import path from 'node:path'
import type { RequestInput } from '../../core/engine'
import {
  defaultModel,
  findModel,
  isProviderId,
  PROVIDER_IDS,
  PROVIDERS,
  type ProviderId,
  providerInfo,
} from '../../shared/providers'
import { closest, UsageError, type Values } from '../args'

export function number(value: string | boolean | undefined, name: string): number | undefined {
  if (value === undefined || typeof value === 'boolean') return undefined
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number (got "${value}").`)
  return n
}

export interface Target {
  /** Absent: the engine's default door (Settings, or the one provider with a key). */
  provider?: ProviderId
  /** Absent: the door's model from Settings, else its default. */
  model?: string
}

const modelList = (provider: ProviderId) =>
  PROVIDERS.find((p) => p.id === provider)
    ?.models.map((m) => m.id)
    .join(', ') ?? ''

/**
 * The door and model asked for: `--provider` / `--model`, else SEEDANCE_PROVIDER / SEEDANCE_MODEL. A model alone
 * names its door when exactly one door has it (fal and Replicate both serve `bytedance/seedance-2.0`: then the
 * provider must be given). `where` names the source in messages (a CSV row).
 */
export function resolveTarget(
  asked: { provider?: string; model?: string },
  where = { provider: '--provider', model: '--model' },
): Target {
  const rawProvider = asked.provider?.trim() || undefined
  const model = asked.model?.trim() || undefined
  let provider: ProviderId | undefined
  if (rawProvider !== undefined) {
    const id = rawProvider.toLowerCase()
    if (!isProviderId(id)) {
      const guess = closest(id, [...PROVIDER_IDS])
      throw new UsageError(
        `${where.provider} "${rawProvider}" is not a provider.${guess ? ` Did you mean "${guess}"?` : ''} Use one of: ${PROVIDER_IDS.join(', ')} (see: seedance providers).`,
      )
    }
    provider = id
  }
  if (model === undefined) return provider ? { provider } : {}
  if (provider) {
    if (!findModel(provider, model))
      throw new UsageError(
        `${where.model} "${model}" is not a model of ${provider}. Its models: ${modelList(provider)}.`,
      )
    return { provider, model }
  }
  const doors = PROVIDER_IDS.filter((p) => findModel(p, model))
  if (doors.length === 1) return { provider: doors[0] as ProviderId, model }
  if (doors.length > 1)
    throw new UsageError(
      `${where.model} "${model}" is offered by ${doors.join(' and ')}: choose one with ${where.provider}.`,
    )
  const all = PROVIDERS.flatMap((p) => p.models.map((m) => m.id))
  const guess = closest(model, all)
  throw new UsageError(
    `${where.model} "${model}" is not a model of any provider.${guess ? ` Did you mean "${guess}"?` : ''} See: seedance providers`,
  )
}

/** The target from the command line, else the environment. */
export function targetFromFlags(values: Values, env: Record<string, string | undefined>): Target {
  const flag = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined)
  const provider = flag('provider')
  const model = flag('model')
  return resolveTarget(
    { provider: provider ?? env.SEEDANCE_PROVIDER, model: model ?? env.SEEDANCE_MODEL },
    {
      provider: provider === undefined && env.SEEDANCE_PROVIDER ? 'SEEDANCE_PROVIDER' : '--provider',
      model: model === undefined && env.SEEDANCE_MODEL ? 'SEEDANCE_MODEL' : '--model',
    },
  )
}

/** "BytePlus ModelArk · Seedance 1.0 Pro" for a job or video; one written before the doors is the guide's API. */
export function madeWith(provider: ProviderId | undefined, model: string | undefined): string {
  const p = provider ?? 'seedance'
  const id = model ?? defaultModel(p).id
  return `${providerInfo(p).label} · ${findModel(p, id)?.label ?? id}`
}

/** Seeds the doors take: Ark's [-1, 2^32 − 1], where -1 asks for a random one (as leaving it out does). */
const SEED_MAX = 4_294_967_295

export function seedFlag(value: string | boolean | undefined): number | null {
  const n = number(value, 'seed')
  if (n === undefined || n === -1) return null
  if (!Number.isInteger(n) || n < 0 || n > SEED_MAX)
    throw new UsageError(`--seed must be a whole number from 0 to ${SEED_MAX} (got "${value}").`)
  return n
}

/** `generate`'s flags as the engine's request input (the prompt and the first image are read by the caller). */
/** Whole seconds, or `auto` (0: the model chooses, on models that can). */
export function durationFlag(value: string | boolean | undefined): number | undefined {
  if (typeof value === 'string' && value.trim().toLowerCase() === 'auto') return 0
  return number(value, 'duration')
}

export async function requestFromFlags(
  prompt: string,
  values: Values,
  env: Record<string, string | undefined>,
): Promise<RequestInput & Record<string, unknown>> {
  const image = values.image as string | undefined
  // Motion intensity applies to image-to-video only (API guide); taking it silently for a text prompt would
  // let the user believe it did something.
  if (values.motion !== undefined && !image)
    throw new UsageError('--motion applies only to image-to-video: add --image FILE, or leave --motion out.')
  const lastFrame = values['last-frame'] as string | undefined
  if (lastFrame !== undefined && !image)
    throw new UsageError('--last-frame needs the first frame too: add --image FILE.')
  if (values.audio && values['no-audio']) throw new UsageError('--audio and --no-audio cannot both be given.')
  const aspect = values.aspect as string | undefined
  if (aspect === 'adaptive' && !image)
    throw new UsageError('--aspect adaptive follows the source image: add --image FILE, or choose a ratio.')
  return {
    ...targetFromFlags(values, env),
    prompt,
    imagePath: image ? path.resolve(image) : null,
    // Read and checked by the engine against the model's image rules, as --image is.
    lastImagePath: lastFrame ? path.resolve(lastFrame) : null,
    duration: durationFlag(values.duration),
    resolution: values.resolution as never,
    aspectRatio: (aspect ?? null) as never,
    seed: seedFlag(values.seed),
    cameraFixed: values['camera-fixed'] === true ? true : null,
    audio: values.audio === true ? true : values['no-audio'] === true ? false : null,
    style: (values.style as string | undefined) ?? null,
    motionIntensity: number(values.motion, 'motion') ?? null,
  }
}
