// BytePlus ModelArk / Volcengine Ark "content generation tasks": the bodies it documents, as zod schemas. With
// adapter.ts, the only code that knows Ark's field names. Sources (../shared/reference/providers.md A1–A3):
// VolcanoArkDocs 创建/查询/查询列表/取消或删除 视频生成任务 API and 错误码; byteplus-sdk/byteplus-python-sdk-v2
// byteplussdkarkruntime/types/content_generation/{content_generation_task,create_task_content_param}.py;
// volcengine-python-sdk …/list_content_generation_tasks_response.py; TanStack/ai packages/ai-byteplus/src/video/wire-types.ts.
import { z } from 'zod'

export const ARK_TASK_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'expired'] as const
export type ArkTaskStatus = (typeof ARK_TASK_STATUSES)[number]

/** `role` of an image in `content[]` (reference_video / reference_audio belong to their own item types). */
export const ARK_IMAGE_ROLES = ['first_frame', 'last_frame', 'reference_image'] as const

const textItem = z.object({ type: z.literal('text'), text: z.string() }).strict()
const imageItem = z
  .object({
    type: z.literal('image_url'),
    image_url: z.object({ url: z.string().min(1) }).strict(),
    // Omitted for a bare first frame: the API's default (TanStack wire-types.ts).
    role: z.enum(ARK_IMAGE_ROLES).optional(),
  })
  .strict()
const videoItem = z
  .object({
    type: z.literal('video_url'),
    video_url: z.object({ url: z.string().min(1) }).strict(),
    role: z.literal('reference_video').optional(),
  })
  .strict()
const audioItem = z
  .object({
    type: z.literal('audio_url'),
    audio_url: z.object({ url: z.string().min(1) }).strict(),
    role: z.literal('reference_audio').optional(),
  })
  .strict()
const draftItem = z
  .object({ type: z.literal('draft_task'), draft_task: z.object({ id: z.string() }).strict() })
  .strict()

export const contentItemSchema = z.discriminatedUnion('type', [textItem, imageItem, videoItem, audioItem, draftItem])
export type ArkContentItem = z.infer<typeof contentItemSchema>

/**
 * POST /contents/generations/tasks. Strict: a field the documentation does not list is refused, so the adapter's
 * requests are checked against the documented shape (never a prompt text command, never an invented field).
 */
export const createTaskRequestSchema = z
  .object({
    /** A model id (Volcengine: `doubao-` prefixed) or an `ep-…` inference endpoint id. */
    model: z.string().min(1),
    content: z.array(contentItemSchema).min(1),
    resolution: z.enum(['480p', '720p', '1080p', '4k']).optional(),
    ratio: z.enum(['16:9', '4:3', '1:1', '3:4', '9:16', '21:9', 'adaptive']).optional(),
    /** Whole seconds; -1 lets 2.x models choose. */
    duration: z.number().int().optional(),
    /** 1.0 only: 25 + 4n in [29, 289]; overrides duration. */
    frames: z.number().int().optional(),
    /** [-1, 2^32 − 1]; -1 = random (the answer echoes the seed used). */
    seed: z
      .number()
      .int()
      .min(-1)
      .max(2 ** 32 - 1)
      .optional(),
    camera_fixed: z.boolean().optional(),
    watermark: z.boolean().optional(),
    generate_audio: z.boolean().optional(),
    return_last_frame: z.boolean().optional(),
    callback_url: z.string().optional(),
    service_tier: z.enum(['default', 'flex']).optional(),
    execution_expires_after: z.number().int().min(3600).max(259_200).optional(),
    draft: z.boolean().optional(),
  })
  .strict()
export type ArkCreateTaskRequest = z.infer<typeof createTaskRequestSchema>

export const createTaskResponseSchema = z.object({ id: z.string().min(1) })

export const taskErrorSchema = z.object({ code: z.string(), message: z.string() })

/** TanStack notes usage counts typed as strings in places: read either, as a number. */
const tokenCount = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)])

/** GET /contents/generations/tasks/{id}. Fields beyond the documented ones are kept, not refused. */
export const taskSchema = z
  .object({
    id: z.string().min(1),
    model: z.string(),
    status: z.enum(ARK_TASK_STATUSES),
    /** null (or absent) unless the task failed. */
    error: taskErrorSchema.nullish(),
    /** Unix seconds. */
    created_at: z.number().int(),
    updated_at: z.number().int(),
    content: z
      .object({
        video_url: z.string().optional(),
        last_frame_url: z.string().optional(),
        file_url: z.string().optional(),
      })
      .nullish(),
    usage: z.object({ completion_tokens: tokenCount.optional(), total_tokens: tokenCount.optional() }).nullish(),
    seed: z.number().int().optional(),
    resolution: z.string().optional(),
    ratio: z.string().optional(),
    duration: z.number().int().optional(),
    frames: z.number().int().optional(),
    framespersecond: z.number().int().optional(),
    service_tier: z.string().optional(),
    execution_expires_after: z.number().int().optional(),
    generate_audio: z.boolean().optional(),
    draft: z.boolean().optional(),
    draft_task_id: z.string().optional(),
    revised_prompt: z.string().optional(),
  })
  .loose()
export type ArkTask = z.infer<typeof taskSchema>

/**
 * A list item: the task, where the Python SDK's type (and ark-cli's gen-meta.md) name the failure `failure_reason`
 * (a string) while the current list documentation names it `error` ({code, message}): both are read.
 */
export const listItemSchema = taskSchema.extend({
  failure_reason: z.union([z.string(), taskErrorSchema]).nullish(),
})
export type ArkListItem = z.infer<typeof listItemSchema>

/** GET /contents/generations/tasks?page_num=&page_size=&filter.…: newest first, the last 7 days only. */
export const listTasksResponseSchema = z.object({ total: z.number().int().min(0), items: z.array(listItemSchema) })
export type ArkListTasksResponse = z.infer<typeof listTasksResponseSchema>

/** Every error answer: {"error":{"code","message","param","type"}} (错误码.md; docs.byteplus.com ModelArk/1299023). */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    param: z.string().nullish(),
    type: z.string().nullish(),
  }),
})
export type ArkErrorBody = z.infer<typeof errorBodySchema>

/** DELETE answers `{}`. */
export const deleteTaskResponseSchema = z.object({}).loose()
