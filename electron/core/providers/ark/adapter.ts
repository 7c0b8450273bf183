// BytePlus ModelArk (Volcengine Ark as a region): its content generation tasks API behind the provider port, over
// the shared transport (Bearer auth, the key only to its origin, the catalog's RPM kept, 429 codes waited out).
// Sources: providers.md A1–A5; byteplus-python-sdk-v2 resources/content_generation/tasks.py; TanStack/ai
// packages/ai-byteplus/src/adapters/video.ts.
import { type AspectRatio, findModel, frameSize, providerInfo, type Resolution } from '../../../shared/providers'
import { ApiError } from '../errors'
import { HttpTransport, realClock } from '../http'
import {
  type CancelOutcome,
  type KeyCheck,
  PROVIDER_ERROR,
  type ProviderConfig,
  type RemotePage,
  type RemoteSnapshot,
  type VideoProvider,
} from '../port'
import { ClientRateLimiter } from '../rate-limiter'
import { arkError, taskFailureCode } from './errors'
import { buildCreateBody, catalogModelId } from './request'
import {
  type ArkListItem,
  type ArkTask,
  createTaskResponseSchema,
  deleteTaskResponseSchema,
  listTasksResponseSchema,
  taskSchema,
} from './wire-types'

const TASKS = '/contents/generations/tasks'
/** A4: video_url and last_frame_url are cleaned up 24 h after the task produced them (TOS X-Tos-Expires=86400). */
const LINK_LIFETIME_MS = 24 * 60 * 60 * 1000
/** The list's page_size range (查询视频生成任务列表: [1, 500]). */
const MAX_PAGE = 500
/** Ids per grouped status check: a URL of 100 task ids stays far below any proxy's URL limit. */
const IDS_PER_CHECK = 100

const RESOLUTIONS: readonly string[] = ['480p', '720p', '1080p']
const RATIOS: readonly string[] = ['16:9', '4:3', '1:1', '3:4', '9:16', '21:9']

/** Ark's task (a GET answer or a list item) in the app's words. */
export function snapshotFromTask(task: ArkTask | ArkListItem): RemoteSnapshot {
  const failure = task.error ?? failureReason((task as ArkListItem).failure_reason)
  const final = task.status !== 'queued' && task.status !== 'running'
  const videoUrl = task.content?.video_url ?? null
  const tokens = task.usage?.total_tokens ?? task.usage?.completion_tokens
  const size =
    task.resolution && RESOLUTIONS.includes(task.resolution) && task.ratio && RATIOS.includes(task.ratio)
      ? frameSize(task.resolution as Resolution, task.ratio as AspectRatio)
      : null
  let error: RemoteSnapshot['error'] = null
  if (task.status === 'failed')
    error = {
      code: taskFailureCode(failure?.code ?? null),
      message: failure?.message || 'Ark reported the task failed without a reason.',
      serviceCode: failure?.code ?? null,
    }
  if (task.status === 'expired')
    error = {
      code: PROVIDER_ERROR.expired,
      message: 'The task ran past its execution_expires_after time at Ark before it finished.',
      serviceCode: failure?.code ?? null,
    }
  return {
    remoteId: task.id,
    phase: task.status,
    serviceStatus: task.status,
    error,
    queuePosition: null,
    eta: null,
    createdAt: task.created_at * 1000,
    completedAt: final ? task.updated_at * 1000 : null,
    runMs: null, // Ark says when a task was created and last updated, not when it started running
    videoUrl,
    lastFrameUrl: task.content?.last_frame_url ?? null,
    thumbnailUrl: null,
    // The 24 h run from when the output was produced: the last status change (as TanStack computes it).
    linkExpiresAt: videoUrl && task.status === 'succeeded' ? task.updated_at * 1000 + LINK_LIFETIME_MS : null,
    width: size?.width ?? null,
    height: size?.height ?? null,
    declaredBytes: null,
    cost: tokens !== undefined && task.status === 'succeeded' ? { amount: tokens, unit: 'tokens' } : null,
    seed: task.seed ?? null,
    echo: {
      model: catalogModelId(task.model),
      ...(task.duration !== undefined ? { duration: task.duration } : {}),
      ...(task.resolution !== undefined ? { resolution: task.resolution } : {}),
      ...(task.ratio !== undefined ? { ratio: task.ratio } : {}),
    },
  }
}

/** A list item's `failure_reason`: a string in the SDK's type (its code, when it reads as one), or {code, message}. */
function failureReason(value: ArkListItem['failure_reason']): { code: string | null; message: string } | null {
  if (!value) return null
  if (typeof value !== 'string') return value
  const code = /^[A-Z][A-Za-z]+(?:\.[A-Za-z]+)*/.exec(value)?.[0] ?? null
  return { code, message: value }
}

export function createArkProvider(config: ProviderConfig): VideoProvider {
  const info = providerInfo('ark')
  const clock = config.clock ?? realClock
  const http = new HttpTransport({
    apiKey: config.apiKey,
    baseUrl: config.baseUrl,
    keyOrigin: config.keyOrigin,
    scheme: 'Bearer',
    errorFrom: arkError,
    fetch: config.fetch,
    clock,
    random: config.random,
    retry: config.retry,
    timeouts: config.timeouts,
    onEvent: config.onEvent,
    // The catalog's RPM (A3: 600 for 1.0 pro), over all calls: Ark sends no rate-limit headers to follow.
    limiter: new ClientRateLimiter(
      config.requestsPerMinute ?? info.rate.requestsPerMinute,
      clock,
      config.rateWindowMs ?? 60_000,
    ),
  })

  async function getOne(id: string, signal?: AbortSignal): Promise<RemoteSnapshot | null> {
    try {
      return snapshotFromTask(
        await http.call('GET', `${TASKS}/${encodeURIComponent(id)}`, taskSchema, undefined, signal),
      )
    } catch (error) {
      // A task older than 7 days (or never made) answers 404; a 404 about the model is not "no such task".
      if (error instanceof ApiError && error.status === 404 && error.code === PROVIDER_ERROR.jobNotFound) return null
      throw error
    }
  }

  async function page(query: string, signal?: AbortSignal) {
    return http.call('GET', `${TASKS}?${query}`, listTasksResponseSchema, undefined, signal)
  }

  return {
    id: 'ark',
    info,
    baseUrl: http.baseUrl,

    async submit(submission, signal) {
      const model = findModel('ark', submission.request.model)
      if (!model)
        throw new ApiError({
          code: PROVIDER_ERROR.unsupported,
          message: `BytePlus ModelArk has no model "${submission.request.model}" in this app.`,
        })
      const body = buildCreateBody(model, submission, config.region)
      const { id } = await http.call('POST', TASKS, createTaskResponseSchema, body, signal)
      const r = submission.request
      return {
        remoteId: id,
        phase: 'queued',
        serviceStatus: 'queued',
        error: null,
        queuePosition: null,
        eta: null,
        createdAt: null,
        completedAt: null,
        runMs: null,
        videoUrl: null,
        lastFrameUrl: null,
        thumbnailUrl: null,
        linkExpiresAt: null,
        width: null,
        height: null,
        declaredBytes: null,
        cost: null,
        seed: r.seed ?? null,
        echo: { prompt: r.prompt, model: model.id, duration: r.duration, resolution: r.resolution },
      }
    },

    async get(jobs, signal) {
      const ids = [...new Set(jobs.map((j) => j.remoteId))]
      const found = new Map<string, RemoteSnapshot | null>()
      if (ids.length === 1) found.set(ids[0] as string, await getOne(ids[0] as string, signal))
      // Several at once: one list call per 100 ids, `filter.task_ids` repeated (查询视频生成任务列表; the SDK's list()).
      for (let i = 0; ids.length > 1 && i < ids.length; i += IDS_PER_CHECK) {
        const chunk = ids.slice(i, i + IDS_PER_CHECK)
        const query = new URLSearchParams({ page_num: '1', page_size: String(chunk.length) })
        for (const id of chunk) query.append('filter.task_ids', id)
        const answer = await page(query.toString(), signal)
        for (const id of chunk) found.set(id, null)
        for (const item of answer.items) if (found.has(item.id)) found.set(item.id, snapshotFromTask(item))
      }
      return found
    },

    async list({ limit, cursor }, signal) {
      const size = Math.min(MAX_PAGE, Math.max(1, Math.floor(limit)))
      const num = cursor ? Number(cursor) : 1
      if (!Number.isInteger(num) || num < 1)
        throw new ApiError({ code: PROVIDER_ERROR.invalidRequest, message: `Not a page of Ark's list: ${cursor}.` })
      const answer = await page(
        new URLSearchParams({ page_num: String(num), page_size: String(size) }).toString(),
        signal,
      )
      const jobs = answer.items.map(snapshotFromTask)
      return { jobs, next: num * size < answer.total && jobs.length > 0 ? String(num + 1) : null } satisfies RemotePage
    },

    async cancel(job, signal): Promise<CancelOutcome> {
      // DELETE of a finished task deletes its record (取消或删除视频生成任务): read the task first, so a job that
      // finished meanwhile is never wiped; only a queued task is sent the DELETE.
      const before = await getOne(job.remoteId, signal)
      if (!before) throw new ApiError({ code: PROVIDER_ERROR.jobNotFound, message: `Ark has no task ${job.remoteId}.` })
      if (before.phase === 'cancelled') return 'cancelled'
      if (before.phase !== 'queued' && before.phase !== 'running') return 'already-final'
      if (before.phase === 'running') throw notCancellable(job.remoteId)
      try {
        await http.call(
          'DELETE',
          `${TASKS}/${encodeURIComponent(job.remoteId)}`,
          deleteTaskResponseSchema,
          undefined,
          signal,
        )
        return 'cancelled'
      } catch (error) {
        // It started between the two calls: Ark refuses a running task (its code for that is undocumented).
        if (!(error instanceof ApiError) || error.status === null || error.status >= 500 || error.status === 429)
          throw error
        const after = await getOne(job.remoteId, signal)
        if (after?.phase === 'running') throw notCancellable(job.remoteId)
        if (after?.phase === 'cancelled') return 'cancelled'
        if (after && after.phase !== 'queued') return 'already-final'
        throw error
      }
    },

    async checkKey(signal): Promise<KeyCheck> {
      // The cheapest authenticated call: one list item.
      await page('page_num=1&page_size=1', signal)
      return { limit: null, remaining: null, resetAt: null }
    },
  }
}

function notCancellable(id: string): ApiError {
  return new ApiError({
    code: PROVIDER_ERROR.notCancellable,
    message: `Task ${id} is already running at Ark, which only cancels queued tasks; it will finish (and be billed).`,
  })
}
