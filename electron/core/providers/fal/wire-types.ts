// fal.ai's queue API as it answers (providers.md B; fal-js 1.10.1 src/queue.ts, utils.ts, response.ts,
// types/common.ts, types/endpoints.ts). Only this folder knows these names. Unknown fields are dropped; fields fal does
// not promise are optional. Status words are kept as strings: a word fal adds later reads as "running", never as a
// malformed answer (TanStack/ai#396 did the same after fal's answers surprised it).
import { z } from 'zod'

/** fal's three queue states (types/common.ts BaseQueueStatus). There is no FAILED: errors come with the result. */
export const QUEUE_STATUS = { queued: 'IN_QUEUE', running: 'IN_PROGRESS', completed: 'COMPLETED' } as const

/** POST queue.fal.run/<endpoint id>. */
export const submitAnswerSchema = z.object({
  request_id: z.string().min(1),
  gateway_request_id: z.string().nullish(),
  // Present, but never followed with the key (BerriAI/litellm#31013): the adapter builds its own URLs.
  response_url: z.string().nullish(),
  status_url: z.string().nullish(),
  cancel_url: z.string().nullish(),
  queue_position: z.number().int().nonnegative().nullish(),
})
export type SubmitAnswer = z.infer<typeof submitAnswerSchema>

/** GET <owner>/<alias>/requests/<id>/status. */
export const statusAnswerSchema = z.object({
  status: z.string().min(1),
  request_id: z.string().nullish(),
  queue_position: z.number().int().nonnegative().nullish(),
  metrics: z.object({ inference_time: z.number().nullish() }).partial().nullish(),
})
export type StatusAnswer = z.infer<typeof statusAnswerSchema>

/** GET <owner>/<alias>/requests/<id>, once COMPLETED without an error (types/endpoints.ts magiOutput). */
export const resultAnswerSchema = z.object({
  video: z.object({
    url: z.string().url(),
    content_type: z.string().nullish(),
    file_name: z.string().nullish(),
    file_size: z.number().int().nonnegative().nullish(),
  }),
  seed: z.number().int().nullish(),
})
export type ResultAnswer = z.infer<typeof resultAnswerSchema>

/** PUT .../cancel answers `{"status": ...}` (202, 400, 404). */
export const CANCEL_STATUS = {
  requested: 'CANCELLATION_REQUESTED',
  alreadyCompleted: 'ALREADY_COMPLETED',
  notFound: 'NOT_FOUND',
} as const
export const cancelAnswerSchema = z.object({ status: z.string() })

/**
 * Model errors (docs.fal.ai/errors): HTTP 422 and a `detail` array, one entry per problem, `type` machine-readable
 * (`content_policy_violation`, `image_load_error`, pydantic's `literal_error`…), `loc` the field (["body", "prompt"]).
 */
export const validationErrorSchema = z.object({
  detail: z
    .array(
      z.object({
        loc: z.array(z.union([z.string(), z.number()])).default([]),
        msg: z.string(),
        type: z.string(),
      }),
    )
    .min(1),
})
export type ValidationDetail = z.infer<typeof validationErrorSchema>['detail'][number]

/**
 * Request errors (fal.ai/docs/documentation/model-apis/request-errors): `{detail: string, error_type}`, the same
 * error_type in the X-Fal-Error-Type header; 401/403/404 answers carry `detail` alone.
 */
export const requestErrorSchema = z.object({ detail: z.string(), error_type: z.string().nullish() })

export const ERROR_TYPE_HEADER = 'x-fal-error-type'
export const RETRYABLE_HEADER = 'x-fal-retryable'
export const CONTENT_POLICY = 'content_policy_violation'
/** The request was cancelled (request-errors table, 499): what a cancelled request's result answers. */
export const CLIENT_CANCELLED = 'client_cancelled'

/** The model's raw input (no `input` wrapper), as fal-js types/endpoints.ts names it. */
export interface FalInput {
  prompt: string
  image_url?: string
  end_image_url?: string
  aspect_ratio?: string
  resolution?: string
  /** A STRING enum: "2".."12" (v1), "4".."12" (1.5), "auto" | "4".."15" (2.0). */
  duration?: string
  camera_fixed?: boolean
  seed?: number
  generate_audio?: boolean
  enable_safety_checker?: boolean
}

/** The endpoint id for a model family and a mode: fal has one endpoint per mode (providers.md B1). */
export function endpointId(model: string, mode: 'text' | 'image'): string {
  return `${model}/${mode === 'text' ? 'text-to-video' : 'image-to-video'}`
}

/**
 * Status, result and cancel live under the first two path segments of the endpoint id only (fal-js utils.ts
 * parseEndpointId; none of our endpoints is under its `workflows`/`comfy` namespaces): `fal-ai/bytedance`,
 * `bytedance/seedance-2.0`.
 */
export function requestsPath(modelOrEndpoint: string, requestId: string): string {
  const [owner, alias] = modelOrEndpoint.split('/')
  return `/${owner}/${alias}/requests/${encodeURIComponent(requestId)}`
}

/**
 * Per-family wire facts beyond the shared capabilities (fal-js types/endpoints.ts): v1's text-to-video has no "auto"
 * ratio; the 2.0 endpoints have no enable_safety_checker (and no camera_fixed, which the catalog already says).
 */
export function wireFacts(model: string): { autoRatioOnText: boolean; safetyChecker: boolean } {
  const v1 = model.startsWith('fal-ai/bytedance/seedance/v1/')
  return { autoRatioOnText: !v1, safetyChecker: model.startsWith('fal-ai/') }
}
