// The guide's API as a VideoProvider (issue 10): the one mapping between the app's shapes and the guide's wire
// (client.ts, wire-types.ts). Nothing outside this folder knows the guide's fields, status names or codes.
import { providerInfo } from '../../../shared/providers'
import { requestProblem } from '../../../shared/request-rules'
import { ApiError } from '../errors'
import { realClock } from '../http'
import {
  type CancelOutcome,
  type KeyCheck,
  PROVIDER_ERROR,
  type ProviderConfig,
  type ProviderSubmission,
  type RemotePage,
  type RemotePhase,
  type RemoteSnapshot,
  type VideoProvider,
} from '../port'
import { ClientRateLimiter } from '../rate-limiter'
import { SeedanceClient } from './client'
import type { AspectRatio, Job, JobStatus, Resolution, SubmitResponse } from './wire-types'

const INFO = providerInfo('seedance')

/** The guide's status words, in the app's phases (the guide: queued → processing → completed / failed). */
const PHASE: Record<JobStatus, RemotePhase> = {
  queued: 'queued',
  processing: 'running',
  completed: 'succeeded',
  failed: 'failed',
}

const time = (iso: string | null | undefined): number | null => {
  if (!iso) return null
  const t = Date.parse(iso)
  return Number.isFinite(t) ? t : null
}

/** A job as the guide describes it (GET /jobs/{id} or a row of GET /jobs), in the app's words. */
export function snapshotOf(job: Job): RemoteSnapshot {
  const out = job.output
  const failed = job.status === 'failed'
  const error = failed
    ? {
        // The app's stable codes were named after the guide's (port.ts PROVIDER_ERROR): they pass as they are.
        code: job.error?.code ?? PROVIDER_ERROR.jobFailed,
        message: job.error?.message ?? 'The generation failed.',
        serviceCode: job.error?.code ?? null,
      }
    : null
  return {
    remoteId: job.job_id,
    phase: PHASE[job.status],
    serviceStatus: job.status,
    error,
    queuePosition: null,
    eta: time(job.estimated_completion),
    createdAt: time(job.created_at),
    completedAt: time(job.completed_at),
    runMs: null, // the guide's API runs every job at once: created to completed is its run
    // A completed job without a video link is not a video: the engine reports it (MALFORMED_RESPONSE).
    videoUrl: out?.video_url ?? null,
    lastFrameUrl: null,
    thumbnailUrl: out?.thumbnail_url ?? null,
    linkExpiresAt: time(out?.expires_at),
    width: out?.width ?? null,
    height: out?.height ?? null,
    // The guide gives file_size_mb (2 places): the download cap allows for its rounding (save-video.ts).
    declaredBytes: out?.file_size_mb !== undefined ? Math.round(out.file_size_mb * 1024 * 1024) : null,
    cost: job.credits_used !== undefined ? { amount: job.credits_used, unit: 'credits' } : null,
    seed: null,
    echo: {
      ...(job.prompt !== undefined ? { prompt: job.prompt } : {}),
      ...(job.mode !== undefined
        ? { mode: job.mode === 'image-to-video' ? ('image' as const) : ('text' as const) }
        : {}),
      ...(job.duration !== undefined ? { duration: job.duration } : {}),
      ...((job.resolution ?? out?.resolution) !== undefined ? { resolution: job.resolution ?? out?.resolution } : {}),
      ...(job.aspect_ratio !== undefined ? { ratio: job.aspect_ratio } : {}),
      model: 'standard',
    },
  }
}

function submittedSnapshot(answer: SubmitResponse): RemoteSnapshot {
  return {
    remoteId: answer.job_id,
    phase: PHASE[answer.status],
    serviceStatus: answer.status,
    error: null,
    queuePosition: null,
    eta: time(answer.estimated_completion),
    createdAt: time(answer.created_at),
    completedAt: null,
    runMs: null,
    videoUrl: null,
    lastFrameUrl: null,
    thumbnailUrl: null,
    linkExpiresAt: null,
    width: null,
    height: null,
    declaredBytes: null,
    cost: answer.credits_used !== undefined ? { amount: answer.credits_used, unit: 'credits' } : null,
    seed: null,
    echo: null,
  }
}

function refuse(message: string, code: string = PROVIDER_ERROR.unsupported): ApiError {
  return new ApiError({ code, message, serviceCode: null })
}

/** The guide's page size ceiling for GET /jobs (the Sandbox and the guide's examples use up to 100). */
const MAX_PAGE = 100

export function createSeedanceProvider(config: ProviderConfig): VideoProvider {
  const clock = config.clock ?? realClock
  const client = new SeedanceClient({
    apiKey: config.apiKey,
    baseUrl: config.baseUrl,
    keyOrigin: config.keyOrigin,
    fetch: config.fetch,
    clock,
    random: config.random,
    limiter: new ClientRateLimiter(
      config.requestsPerMinute ?? INFO.rate.requestsPerMinute,
      clock,
      config.rateWindowMs ?? 60_000,
    ),
    retry: config.retry,
    timeouts: config.timeouts,
    onEvent: config.onEvent,
  })

  async function getOne(remoteId: string, signal?: AbortSignal): Promise<RemoteSnapshot | null> {
    try {
      return snapshotOf(await client.getJob(remoteId, signal))
    } catch (error) {
      if (error instanceof ApiError && error.code === PROVIDER_ERROR.jobNotFound) return null
      throw error
    }
  }

  return {
    id: 'seedance',
    info: INFO,
    baseUrl: client.baseUrl,

    async submit({ request: r, firstFrame, lastFrame }: ProviderSubmission, signal?: AbortSignal) {
      // Refused before any request: what the guide's one model cannot do (shared/providers.ts).
      const model = INFO.models.find((m) => m.id === r.model)
      if (!model)
        throw refuse(
          `The Seedance API has no model "${r.model}"; it has ${INFO.models.map((m) => m.id).join(', ')}.`,
          'UNKNOWN_MODEL',
        )
      const problem = requestProblem(r, INFO, model)
      if (problem) throw refuse(problem.message, problem.code)
      if (lastFrame) throw refuse('The Seedance API cannot end on a last frame image.')
      if (firstFrame && !model.image.formats.some((f) => firstFrame.mime === `image/${f}`))
        throw refuse(
          `The Seedance API takes ${model.image.formats.join(', ')} images, not ${firstFrame.mime}.`,
          'INVALID_IMAGE',
        )
      const common = {
        prompt: r.prompt,
        duration: r.duration,
        // Checked above against the model's resolutions and ratios, which are the guide's.
        resolution: r.resolution as Resolution,
        ...(r.aspectRatio ? { aspect_ratio: r.aspectRatio as AspectRatio } : {}),
        ...(r.style ? { style: r.style } : {}),
      }
      const motion = r.motionIntensity ?? 0.5
      let answer: SubmitResponse
      if (r.mode === 'image' && r.imageUrl)
        answer = await client.generateImageToVideo(
          { ...common, image_url: r.imageUrl, motion_intensity: motion },
          signal,
        )
      else if (r.mode === 'image') {
        if (!firstFrame) throw refuse('An image-to-video request needs its first frame image.', 'INVALID_IMAGE')
        answer = await client.generateImageToVideo(
          { ...common, image_base64: Buffer.from(firstFrame.data).toString('base64'), motion_intensity: motion },
          signal,
        )
      } else answer = await client.generateTextToVideo(common, signal)
      return submittedSnapshot(answer)
    },

    async get(jobs, signal) {
      const found = new Map<string, RemoteSnapshot | null>()
      if (jobs.length > 1) {
        // Several jobs due together: one list request instead of one each (the guide's advice on polling).
        const page = await client.listJobs({ limit: Math.min(MAX_PAGE, Math.max(20, jobs.length * 2)) }, signal)
        const wanted = new Set(jobs.map((j) => j.remoteId))
        for (const j of page.jobs) if (wanted.has(j.job_id)) found.set(j.job_id, snapshotOf(j))
      }
      for (const { remoteId } of jobs) if (!found.has(remoteId)) found.set(remoteId, await getOne(remoteId, signal))
      return found
    },

    async list({ limit, cursor }, signal): Promise<RemotePage> {
      const offset = cursor ? Number(cursor) : 0
      if (!Number.isInteger(offset) || offset < 0)
        throw refuse(`Not a page of the job list: ${cursor}.`, 'INVALID_REQUEST')
      const page = await client.listJobs({ limit: Math.min(MAX_PAGE, Math.max(1, limit)), offset }, signal)
      const more = page.has_more ?? false
      return {
        jobs: page.jobs.map(snapshotOf),
        next: more && page.jobs.length > 0 ? String(offset + page.jobs.length) : null,
      }
    },

    async cancel(job): Promise<CancelOutcome> {
      // The guide documents no cancel endpoint: nothing is sent, and the caller is told plainly that the job goes
      // on at the service and may still use credits (ProviderInfo.cancel 'none').
      throw new ApiError({
        code: PROVIDER_ERROR.notCancellable,
        message: `The Seedance API has no cancel: job ${job.remoteId} may still finish there and use its credits.`,
      })
    },

    async checkKey(signal): Promise<KeyCheck> {
      // The cheapest authenticated call: one row of the job list; the answer's X-RateLimit headers give the figures.
      await client.listJobs({ limit: 1 }, signal)
      const rate = client.rateLimit()
      return { limit: rate?.limit ?? null, remaining: rate?.remaining ?? null, resetAt: rate?.resetAt ?? null }
    },
  }
}
