// Runtime schemas for every response the client reads, so a malformed answer becomes a clear
// MALFORMED_RESPONSE error instead of an undefined field downstream. Unknown fields are dropped;
// fields the guide does not promise are optional.
import { z } from 'zod'

export const JOB_STATUSES = ['queued', 'processing', 'completed', 'failed'] as const
export type JobStatus = (typeof JOB_STATUSES)[number]

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'not a date')

export const submitResponseSchema = z.object({
  job_id: z.string().min(1),
  status: z.enum(JOB_STATUSES),
  created_at: isoDate.optional(),
  estimated_completion: isoDate.optional(),
  credits_used: z.number().nonnegative().optional(),
})

export const jobOutputSchema = z.object({
  video_url: z.string().url(),
  thumbnail_url: z.string().url().optional(),
  duration: z.number().positive().optional(),
  resolution: z.string().optional(),
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  file_size_mb: z.number().nonnegative().optional(),
  expires_at: isoDate.optional(),
})

export const jobSchema = z.object({
  job_id: z.string().min(1),
  status: z.enum(JOB_STATUSES),
  mode: z.enum(['text-to-video', 'image-to-video']).optional(),
  prompt: z.string().optional(),
  duration: z.number().optional(),
  resolution: z.string().optional(),
  aspect_ratio: z.string().optional(),
  style: z.string().nullable().optional(),
  motion_intensity: z.number().nullable().optional(),
  credits_used: z.number().optional(),
  created_at: isoDate.optional(),
  estimated_completion: isoDate.optional(),
  completed_at: isoDate.nullable().optional(),
  output: jobOutputSchema.optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
})

export const jobPageSchema = z.object({
  jobs: z.array(jobSchema),
  total: z.number().int().nonnegative().optional(),
  limit: z.number().int().optional(),
  offset: z.number().int().optional(),
  has_more: z.boolean().optional(),
})

export const webhookSchema = z.object({
  webhook_id: z.string().min(1),
  url: z.string(),
  events: z.array(z.string()),
  created_at: isoDate.optional(),
})

export const webhookListSchema = z.object({ webhooks: z.array(webhookSchema) })

export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), retry_after: z.number().nonnegative().optional() }),
})

export type SubmitResponse = z.infer<typeof submitResponseSchema>
export type Job = z.infer<typeof jobSchema>
export type JobOutput = z.infer<typeof jobOutputSchema>
export type JobPage = z.infer<typeof jobPageSchema>
export type Webhook = z.infer<typeof webhookSchema>

export type Resolution = '720p' | '1080p'
export type AspectRatio = '16:9' | '9:16' | '1:1'

export interface TextToVideoRequest {
  prompt: string
  duration?: number
  resolution?: Resolution
  aspect_ratio?: AspectRatio
  style?: string
}

export interface ImageToVideoRequest {
  prompt: string
  image_url?: string
  image_base64?: string
  duration?: number
  resolution?: Resolution
  aspect_ratio?: AspectRatio
  style?: string
  motion_intensity?: number
}
