// Replicate's predictions API on the wire (providers.md C; the official client replicate-javascript 1.4.0:
// index.d.ts `Prediction`, lib/predictions.js, lib/util.js). Only this folder knows these names.
import { z } from 'zod'

/** index.d.ts `Status`. `aborted`: a deadline (Cancel-After) passed before it started; not charged (C2). */
export const PREDICTION_STATUSES = ['starting', 'processing', 'succeeded', 'failed', 'canceled', 'aborted'] as const
export type PredictionStatus = (typeof PREDICTION_STATUSES)[number]

/** The prediction object (C2; index.d.ts). Read leniently: only what the adapter uses is required. */
export const predictionSchema = z.object({
  id: z.string().min(1),
  model: z.string().optional(),
  version: z.string().optional(),
  status: z.enum(PREDICTION_STATUSES),
  input: z.record(z.string(), z.unknown()).nullish(),
  /** For Seedance a single URI string (C2); other models may answer a list, kept as unknown. */
  output: z.unknown().optional(),
  /** A failed prediction's reason; index.d.ts types it `unknown` (moderation arrives here too, C3). */
  error: z.unknown().optional(),
  logs: z.string().nullish(),
  metrics: z.object({ predict_time: z.number().nullish(), total_time: z.number().nullish() }).partial().nullish(),
  urls: z.record(z.string(), z.string()).nullish(),
  created_at: z.string().nullish(),
  started_at: z.string().nullish(),
  completed_at: z.string().nullish(),
  deadline: z.string().nullish(),
  /** Inputs and outputs of API predictions are deleted after 1 h (C4). */
  data_removed: z.boolean().nullish(),
})
export type Prediction = z.infer<typeof predictionSchema>

/** GET /predictions: cursor pagination with absolute `next`/`previous` URLs (lib/index.js `paginate`). */
export const predictionPageSchema = z.object({
  results: z.array(predictionSchema),
  next: z.string().nullish(),
  previous: z.string().nullish(),
})
export type PredictionPage = z.infer<typeof predictionPageSchema>

/** GET /account (lib/accounts.js; index.d.ts `Account`). */
export const accountSchema = z.object({
  type: z.string().optional(),
  username: z.string(),
  name: z.string().optional(),
})

/**
 * Error bodies: at least `detail` (C3). A problem-details `title`/`status` and a 422's `invalid_fields` are
 * UNVERIFIED, so each is optional and read only when it has the expected shape.
 */
export const errorBodySchema = z.object({
  detail: z.string().optional(),
  title: z.string().optional(),
  status: z.number().optional(),
  invalid_fields: z
    .array(z.object({ type: z.string().optional(), field: z.string().optional(), description: z.string().optional() }))
    .optional(),
})
export type ErrorBody = z.infer<typeof errorBodySchema>

/** The input of a Seedance prediction as this app sends it (C1). Absent keys are not sent. */
export interface SeedanceInput {
  prompt: string
  image?: string
  last_frame_image?: string
  /** Whole seconds; -1 = let the model choose (2.x). */
  duration: number
  resolution: string
  aspect_ratio?: string
  fps?: number
  camera_fixed?: boolean
  seed?: number
  generate_audio?: boolean
}

/**
 * What each model's input schema has beyond the catalog's capabilities (C1, the model pages): `fps` (1.x only; 24
 * is the only value), whether `adaptive` is an aspect_ratio value (2.x), and `-1` as "auto" duration (2.x).
 * 1.x: aspect_ratio is ignored when an image is given, so `adaptive` there is sent as no aspect_ratio.
 */
export interface ModelWire {
  fps: boolean
  adaptiveRatio: boolean
  autoDuration: boolean
}
const V1: ModelWire = { fps: true, adaptiveRatio: false, autoDuration: false }
const V2: ModelWire = { fps: false, adaptiveRatio: true, autoDuration: true }
export const MODEL_WIRE: Record<string, ModelWire> = {
  'bytedance/seedance-1-pro': V1,
  'bytedance/seedance-1-pro-fast': V1,
  'bytedance/seedance-1.5-pro': V1,
  'bytedance/seedance-2.0': V2,
  'bytedance/seedance-2.0-fast': V2,
  'bytedance/seedance-2.5': V2,
}

/** The JS client's cap on inline files, in raw bytes summed over the input (lib/util.js MAX_DATA_URI_SIZE). */
export const MAX_DATA_URI_BYTES = 10_000_000
