// The doors to Seedance (issue 10): each provider, its models and what each model can do, written once and read by
// the engine (checks before any request), the CLI (`seedance providers`, flags) and the renderer (the composer builds
// its controls from a model's capabilities). Pure data and pure functions: no Node, no DOM, no wire field names
// (those live only in electron/core/providers/<id>/ and the Sandbox).
//
// Sources for every figure: ../shared/reference/providers.md (and the API guide for `seedance`). Where sources
// disagree the careful choice is taken and marked CHOSEN, with the reason.

export const PROVIDER_IDS = ['seedance', 'ark', 'fal', 'replicate'] as const
export type ProviderId = (typeof PROVIDER_IDS)[number]

export function isProviderId(value: unknown): value is ProviderId {
  return typeof value === 'string' && (PROVIDER_IDS as readonly string[]).includes(value)
}

export const RESOLUTIONS = ['480p', '720p', '1080p'] as const
export type Resolution = (typeof RESOLUTIONS)[number]

/** `adaptive`: follow the source image (or, text only on 2.x, let the model choose). */
export const ASPECT_RATIOS = ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9', 'adaptive'] as const
export type AspectRatio = (typeof ASPECT_RATIOS)[number]

/** What a generation starts from: a prompt alone, a first frame, or a first and a last frame. */
export type ModeCapability = 'text' | 'first-frame' | 'first-last-frame'

/** The billing unit a provider counts in; USD is worked out from it where a price is known. */
export type CostUnit = 'credits' | 'tokens' | 'seconds'

export interface ImageRules {
  /** Formats as sharp names them. */
  formats: readonly string[]
  maxBytes: number
  /** Each side, in pixels (inclusive). */
  minSide: number
  maxSide: number
  /** Width / height (inclusive). */
  minAspect: number
  maxAspect: number
}

export interface ModelPrice {
  /** USD per million tokens, or per second of video, or per credit; by resolution when it varies. */
  usdPerUnit: number | Partial<Record<Resolution, number>> | null
  /** With audio, when it costs more (1.5 pro). */
  usdPerUnitWithAudio?: number
  /** Where the figure comes from (providers.md section), shown in the README and the cost tooltip. */
  source: string
}

export interface ModelInfo {
  /** The id the provider knows the model by (Ark's model id, fal's endpoint family, Replicate's owner/name). */
  id: string
  label: string
  modes: readonly ModeCapability[]
  /** Whole seconds; `auto`: the model may choose (sent as the provider's own "auto" value). */
  durations: { min: number; max: number; auto: boolean }
  defaultDuration: number
  resolutions: readonly Resolution[]
  defaultResolution: Resolution
  ratios: readonly AspectRatio[]
  defaultRatio: AspectRatio
  seed: boolean
  cameraFixed: boolean
  audio: boolean
  /** The guide's own controls. */
  style: boolean
  motionIntensity: boolean
  promptMax: number
  image: ImageRules
  price: ModelPrice
  /** Listed last and not the default (an older model still served). */
  legacy?: boolean
}

export interface RatePolicy {
  /** Requests per minute the client keeps under (all calls). */
  requestsPerMinute: number
  /** Create calls per minute, when the service counts them apart. */
  createsPerMinute?: number
  /** Jobs running at once that the service allows; null: no documented limit. */
  concurrency: number | null
  /** What the service does past its concurrency: 'reject' (429, we wait) or 'queue' (it queues; we may send). */
  overConcurrency: 'reject' | 'queue'
  /** Jobs waiting in the service's queue it accepts (Ark: 120 per account), when documented. */
  queueLimit?: number
}

export interface ProviderRegion {
  id: string
  label: string
  baseUrl: string
}

export interface ProviderInfo {
  id: ProviderId
  label: string
  /** One line for Settings and `seedance providers`. */
  blurb: string
  /** The environment variable of the service's own clients, read for this provider only. */
  keyEnv: string
  baseUrlEnv: string
  defaultBaseUrl: string
  /** Regions with their own base URL (Ark: BytePlus ap-southeast, Volcengine cn-beijing). */
  regions?: readonly ProviderRegion[]
  /** How long a finished video's link lives, in ms: downloads start at once, and a missed one is retried in it. */
  linkLifetimeMs: number
  /** The service can list past jobs (a lost POST is reconciled; jobs are imported). */
  canList: boolean
  /**
   * Cancel: 'none' (the service has no cancel: the job may still finish and bill), 'queued' (only before it runs),
   * 'best-effort' (may still finish and bill), 'any'.
   */
  cancel: 'none' | 'queued' | 'best-effort' | 'any'
  rate: RatePolicy
  costUnit: CostUnit
  models: readonly ModelInfo[]
  defaultModel: string
}

const HOUR = 60 * 60 * 1000

// --- image rules -------------------------------------------------------------------------------------------

const GUIDE_IMAGES: ImageRules = {
  formats: ['jpeg', 'png', 'webp'],
  maxBytes: 10 * 1024 * 1024,
  minSide: 300,
  maxSide: 6000,
  minAspect: 0.4,
  maxAspect: 2.5,
}
/** Ark create doc (providers.md A1): sides (300, 6000), ratio (0.4, 2.5), < 30 MB. */
const ARK_IMAGES: ImageRules = {
  formats: ['jpeg', 'png', 'webp', 'bmp', 'tiff', 'gif'],
  maxBytes: 30 * 1024 * 1024,
  minSide: 300,
  maxSide: 6000,
  minAspect: 0.4,
  maxAspect: 2.5,
}
/** fal's model pages: up to 30 MB JPEG/PNG/WebP; CHOSEN: Seedance's own side and ratio rules, as fal forwards to it. */
const FAL_IMAGES: ImageRules = { ...ARK_IMAGES, formats: ['jpeg', 'png', 'webp'] }
/**
 * Replicate: images go as data URIs, which its JS client caps at 10 MB (lib/util.js MAX_DATA_URI_SIZE); base64 grows
 * by a third, so CHOSEN: 7 MB of source bytes at most, and Seedance's own side and ratio rules.
 */
const REPLICATE_IMAGES: ImageRules = {
  ...ARK_IMAGES,
  formats: ['jpeg', 'png', 'webp', 'gif'],
  maxBytes: 7 * 1024 * 1024,
}

// --- model families -----------------------------------------------------------------------------------------

const ALL_RATIOS = ASPECT_RATIOS
/** CHOSEN: the services do not document a prompt limit for Seedance; 2,000 characters, as the guide's API. */
const PROMPT_MAX = 2000

type Family = Omit<ModelInfo, 'id' | 'label' | 'price' | 'image'>

const V1_PRO: Family = {
  modes: ['text', 'first-frame', 'first-last-frame'],
  durations: { min: 2, max: 12, auto: false },
  defaultDuration: 5,
  resolutions: ['480p', '720p', '1080p'],
  defaultResolution: '1080p',
  ratios: ALL_RATIOS,
  defaultRatio: '16:9',
  seed: true,
  cameraFixed: true,
  audio: false,
  style: false,
  motionIntensity: false,
  promptMax: PROMPT_MAX,
}
/** pro-fast: first frame only (fal: end_image_url is ignored on it). */
const V1_PRO_FAST: Family = { ...V1_PRO, modes: ['text', 'first-frame'] }
const V1_5_PRO: Family = {
  ...V1_PRO,
  durations: { min: 4, max: 12, auto: false },
  audio: true,
  defaultResolution: '720p',
}
/** 2.x: 4–15 s or auto, no camera_fixed; the fast and mini variants stop at 720p. */
const V2: Family = {
  ...V1_PRO,
  durations: { min: 4, max: 15, auto: true },
  cameraFixed: false,
  audio: true,
  defaultResolution: '720p',
}
const V2_FAST: Family = { ...V2, resolutions: ['480p', '720p'] }
/**
 * fal's own endpoints differ from Ark's (fal-js 1.10.1 types/endpoints.ts): Seedance2T2VInput/I2VInput take
 * "480p" | "720p" only; v1 pro's image-to-video now runs pro-fast, which ignores end_image_url (providers.md B1), so
 * a last frame would be dropped without a word: fal's v1 pro is offered with a first frame only.
 */
const FAL_V1_PRO: Family = { ...V1_PRO, modes: ['text', 'first-frame'] }
const FAL_V2: Family = { ...V2, resolutions: ['480p', '720p'] }
/**
 * 2.5: 4–30 s. CONFLICT (providers.md A5): 480p/720p in its release notes, 1080p in later code. CHOSEN: 480p and
 * 720p, which every source allows; a 1080p request would be refused by some.
 */
const V2_5: Family = { ...V2, durations: { min: 4, max: 30, auto: true }, resolutions: ['480p', '720p'] }

const model = (id: string, label: string, family: Family, image: ImageRules, price: ModelPrice, legacy = false) =>
  ({ id, label, ...family, image, price, ...(legacy ? { legacy } : {}) }) satisfies ModelInfo

// --- the providers -------------------------------------------------------------------------------------------

export const PROVIDERS: readonly ProviderInfo[] = [
  {
    id: 'seedance',
    label: 'Seedance API',
    blurb: "The API guide's service: credits, text and image to video up to 8 s.",
    keyEnv: 'SEEDANCE_API_KEY',
    baseUrlEnv: 'SEEDANCE_BASE_URL',
    defaultBaseUrl: 'https://api.seedance.tv/v1',
    // The guide: video links expire 24 h after completion.
    linkLifetimeMs: 24 * HOUR,
    canList: true,
    // The guide documents no cancel endpoint (generate, jobs, webhooks only).
    cancel: 'none',
    // The guide's free tier: 10 requests a minute; 2 jobs at once (the Sandbox's default, the app's setting).
    rate: { requestsPerMinute: 10, concurrency: 2, overConcurrency: 'reject' },
    costUnit: 'credits',
    defaultModel: 'standard',
    models: [
      {
        id: 'standard',
        label: 'Seedance (standard tier)',
        modes: ['text', 'first-frame'],
        durations: { min: 1, max: 8, auto: false },
        defaultDuration: 8,
        resolutions: ['720p', '1080p'],
        defaultResolution: '1080p',
        ratios: ['16:9', '9:16', '1:1'],
        defaultRatio: '16:9',
        seed: false,
        cameraFixed: false,
        audio: false,
        style: true,
        motionIntensity: true,
        promptMax: PROMPT_MAX,
        image: GUIDE_IMAGES,
        // The guide prices in credits (plans from $20/month); no per-credit USD price is published.
        price: { usdPerUnit: null, source: 'API guide: credits only' },
      },
    ],
  },
  {
    id: 'ark',
    label: 'BytePlus ModelArk',
    blurb: 'ByteDance’s own cloud (Volcengine Ark in China): every Seedance model, billed in tokens.',
    keyEnv: 'ARK_API_KEY',
    baseUrlEnv: 'ARK_BASE_URL',
    defaultBaseUrl: 'https://ark.ap-southeast.bytepluses.com/api/v3',
    regions: [
      {
        id: 'ap-southeast',
        label: 'BytePlus (international)',
        baseUrl: 'https://ark.ap-southeast.bytepluses.com/api/v3',
      },
      { id: 'cn-beijing', label: 'Volcengine (China)', baseUrl: 'https://ark.cn-beijing.volces.com/api/v3' },
    ],
    // A4: TOS links are cleaned up after 24 h.
    linkLifetimeMs: 24 * HOUR,
    canList: true,
    cancel: 'queued',
    // A3: RPM 600 and 10 running for 1.0 pro (Volcengine, Dec 2025); more are queued, up to 120 per account.
    rate: { requestsPerMinute: 600, concurrency: 10, overConcurrency: 'queue', queueLimit: 120 },
    costUnit: 'tokens',
    defaultModel: 'seedance-1-0-pro-250528',
    models: [
      model('seedance-1-0-pro-250528', 'Seedance 1.0 Pro', V1_PRO, ARK_IMAGES, { usdPerUnit: 2.5, source: 'A5' }),
      model('seedance-1-0-pro-fast-251015', 'Seedance 1.0 Pro Fast', V1_PRO_FAST, ARK_IMAGES, {
        usdPerUnit: 1.0,
        source: 'A5',
      }),
      model('seedance-1-5-pro-251215', 'Seedance 1.5 Pro', V1_5_PRO, ARK_IMAGES, {
        usdPerUnit: 1.2,
        usdPerUnitWithAudio: 2.4,
        source: 'A5',
      }),
      model('dreamina-seedance-2-0-260128', 'Seedance 2.0', V2, ARK_IMAGES, {
        usdPerUnit: { '480p': 7, '720p': 7, '1080p': 7.7 },
        source: 'A5 (ComfyUI SEEDANCE2_PRICE_PER_1K_TOKENS)',
      }),
      model('dreamina-seedance-2-0-fast-260128', 'Seedance 2.0 Fast', V2_FAST, ARK_IMAGES, {
        usdPerUnit: 5.6,
        source: 'A5',
      }),
      model('dreamina-seedance-2-0-mini-260615', 'Seedance 2.0 Mini', V2_FAST, ARK_IMAGES, {
        usdPerUnit: 3.5,
        source: 'A5',
      }),
      model('dreamina-seedance-2-5-260628', 'Seedance 2.5', V2_5, ARK_IMAGES, { usdPerUnit: 10.7, source: 'A5' }),
    ],
  },
  {
    id: 'fal',
    label: 'fal.ai',
    blurb: 'fal’s queue: Seedance 1.0 to 2.5; jobs past your concurrency wait in its queue.',
    keyEnv: 'FAL_KEY',
    baseUrlEnv: 'FAL_BASE_URL',
    defaultBaseUrl: 'https://queue.fal.run',
    // B4: no default CDN expiry is documented. CHOSEN: treat links like Ark's (24 h) and download at once.
    linkLifetimeMs: 24 * HOUR,
    canList: false,
    cancel: 'best-effort',
    // B3: never rejected for concurrency (queued); new accounts run 2 at once.
    rate: { requestsPerMinute: 600, concurrency: 2, overConcurrency: 'queue' },
    costUnit: 'tokens',
    defaultModel: 'fal-ai/bytedance/seedance/v1/pro',
    models: [
      model('fal-ai/bytedance/seedance/v1/pro', 'Seedance 1.0 Pro', FAL_V1_PRO, FAL_IMAGES, {
        usdPerUnit: 2.5,
        source: 'B5',
      }),
      model('fal-ai/bytedance/seedance/v1/pro/fast', 'Seedance 1.0 Pro Fast', V1_PRO_FAST, FAL_IMAGES, {
        usdPerUnit: 1.0,
        source: 'B5',
      }),
      model('fal-ai/bytedance/seedance/v1.5/pro', 'Seedance 1.5 Pro', V1_5_PRO, FAL_IMAGES, {
        usdPerUnit: 1.2,
        usdPerUnitWithAudio: 2.4,
        source: 'B5',
      }),
      // B5: $0.014 / 1K tokens, the same with audio.
      model('bytedance/seedance-2.0', 'Seedance 2.0', FAL_V2, FAL_IMAGES, { usdPerUnit: 14, source: 'B5' }),
      model('bytedance/seedance-2.0/fast', 'Seedance 2.0 Fast', V2_FAST, FAL_IMAGES, {
        usdPerUnit: 11.2,
        source: 'B5',
      }),
    ],
  },
  {
    id: 'replicate',
    label: 'Replicate',
    blurb: 'Replicate’s predictions: outputs are deleted after 1 hour, so videos are saved at once.',
    keyEnv: 'REPLICATE_API_TOKEN',
    baseUrlEnv: 'REPLICATE_BASE_URL',
    defaultBaseUrl: 'https://api.replicate.com/v1',
    // C4: outputs of API predictions are removed after 1 hour.
    linkLifetimeMs: 1 * HOUR,
    canList: true,
    cancel: 'any',
    // C3: 600 creates a minute, 3000 other requests; no documented concurrency limit.
    rate: { requestsPerMinute: 3000, createsPerMinute: 600, concurrency: null, overConcurrency: 'queue' },
    costUnit: 'seconds',
    defaultModel: 'bytedance/seedance-1-pro',
    models: [
      model('bytedance/seedance-1-pro', 'Seedance 1.0 Pro', V1_PRO, REPLICATE_IMAGES, {
        usdPerUnit: null,
        source: 'C2: no published price',
      }),
      model('bytedance/seedance-1-pro-fast', 'Seedance 1.0 Pro Fast', V1_PRO_FAST, REPLICATE_IMAGES, {
        usdPerUnit: null,
        source: 'C2: no published price',
      }),
      model('bytedance/seedance-1.5-pro', 'Seedance 1.5 Pro', V1_5_PRO, REPLICATE_IMAGES, {
        usdPerUnit: null,
        source: 'C2: no published price',
      }),
      model('bytedance/seedance-2.0', 'Seedance 2.0', V2, REPLICATE_IMAGES, {
        usdPerUnit: null,
        source: 'C2: no published price',
      }),
      model('bytedance/seedance-2.0-fast', 'Seedance 2.0 Fast', V2_FAST, REPLICATE_IMAGES, {
        usdPerUnit: null,
        source: 'C2: no published price',
      }),
      // C2: a third party passes 2.5 through at these per-second prices (a markup: an upper bound).
      model('bytedance/seedance-2.5', 'Seedance 2.5', V2_5, REPLICATE_IMAGES, {
        usdPerUnit: { '480p': 0.1028, '720p': 0.2312 },
        source: 'C2 (pollinations#13215, a reseller: an upper bound)',
      }),
    ],
  },
]

export function providerInfo(id: ProviderId): ProviderInfo {
  return PROVIDERS.find((p) => p.id === id) as ProviderInfo
}

/** The model of a provider by id, or null when the provider has no such model. */
export function findModel(provider: ProviderId, modelId: string): ModelInfo | null {
  return providerInfo(provider).models.find((m) => m.id === modelId) ?? null
}

export function defaultModel(provider: ProviderId): ModelInfo {
  const p = providerInfo(provider)
  return (p.models.find((m) => m.id === p.defaultModel) ?? p.models[0]) as ModelInfo
}

// --- frame sizes and cost -----------------------------------------------------------------------------------

/**
 * Output size of Seedance models by resolution and ratio (Ark's create doc table, the same models behind every
 * door). The guide's API keeps its own 16:9 = 1280×720 / 1920×1080 sizes (the Sandbox's guide emulation).
 */
const FRAME_SIZES: Record<Resolution, Record<Exclude<AspectRatio, 'adaptive'>, [number, number]>> = {
  '480p': {
    '16:9': [864, 480],
    '4:3': [736, 544],
    '1:1': [640, 640],
    '3:4': [544, 736],
    '9:16': [480, 864],
    '21:9': [960, 416],
  },
  '720p': {
    '16:9': [1248, 704],
    '4:3': [1120, 832],
    '1:1': [960, 960],
    '3:4': [832, 1120],
    '9:16': [704, 1248],
    '21:9': [1504, 640],
  },
  '1080p': {
    '16:9': [1920, 1088],
    '4:3': [1664, 1248],
    '1:1': [1440, 1440],
    '3:4': [1248, 1664],
    '9:16': [1088, 1920],
    '21:9': [2176, 928],
  },
}

/** The concrete ratio nearest to width / height (how `adaptive` resolves against a source image). */
export function nearestRatio(width: number, height: number): Exclude<AspectRatio, 'adaptive'> {
  const target = width / height
  let best: Exclude<AspectRatio, 'adaptive'> = '16:9'
  let bestDiff = Number.POSITIVE_INFINITY
  for (const r of Object.keys(FRAME_SIZES['720p']) as Array<Exclude<AspectRatio, 'adaptive'>>) {
    const [w, h] = r.split(':').map(Number) as [number, number]
    const diff = Math.abs(Math.log(w / h / target))
    if (diff < bestDiff) {
      best = r
      bestDiff = diff
    }
  }
  return best
}

/** Pixel size of a Seedance output; `adaptive` without an image is taken as 16:9 (what the models choose). */
export function frameSize(resolution: Resolution, ratio: AspectRatio): { width: number; height: number } {
  const [width, height] = FRAME_SIZES[resolution][ratio === 'adaptive' ? '16:9' : ratio]
  return { width, height }
}

export interface CostEstimate {
  amount: number
  unit: CostUnit
  /** USD where a price is known, else null. */
  usd: number | null
}

/** The guide's credits: ceil(duration × 1.25) at 1080p, ceil(duration × 0.75) at 720p (8 s at 1080p = 10). */
export function guideCredits(duration: number, resolution: Resolution): number {
  return Math.ceil(duration * (resolution === '1080p' ? 1.25 : 0.75))
}

/** Seedance video tokens: width × height × 24 fps × seconds / 1024 (providers.md A5, B5). */
export function videoTokens(width: number, height: number, seconds: number): number {
  return Math.round((width * height * 24 * seconds) / 1024)
}

/**
 * What a generation is expected to cost, before it is sent: in the provider's unit, and in USD where a price is
 * known. `auto` durations are estimated at the model's maximum (the most it can cost).
 */
export function estimateCost(
  provider: ProviderId,
  m: ModelInfo,
  request: { duration: number; resolution: Resolution; aspectRatio: AspectRatio | null; audio?: boolean | null },
): CostEstimate {
  const p = providerInfo(provider)
  const seconds = request.duration > 0 ? request.duration : m.durations.max
  const perUnit = m.price.usdPerUnit
  let rate = typeof perUnit === 'number' || perUnit === null ? perUnit : (perUnit[request.resolution] ?? null)
  if (rate !== null && request.audio && m.audio && m.price.usdPerUnitWithAudio !== undefined)
    rate = m.price.usdPerUnitWithAudio
  if (p.costUnit === 'credits') {
    const amount = guideCredits(seconds, request.resolution)
    return { amount, unit: 'credits', usd: rate === null ? null : amount * rate }
  }
  if (p.costUnit === 'seconds') return { amount: seconds, unit: 'seconds', usd: rate === null ? null : seconds * rate }
  const size = frameSize(request.resolution, request.aspectRatio ?? m.defaultRatio)
  const amount = videoTokens(size.width, size.height, seconds)
  return { amount, unit: 'tokens', usd: rate === null ? null : (amount / 1_000_000) * rate }
}
