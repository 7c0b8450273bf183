// The Sandbox's BytePlus ModelArk door, at /ark/api/v3: Ark's content generation tasks API (create, get, list with
// filters, cancel/delete), Bearer auth, Ark's error envelope and codes, its 429s (account RPM, queued-task limit,
// an overloaded server), 10 tasks running at once with more queued, the seed echoed, tokens counted, the last
// frame as a PNG, and links that live 24 h. Sources: providers.md A1–A5 (VolcanoArkDocs; byteplus-python-sdk-v2).
import { videoTokens } from '../../shared/providers'
import type { SandboxJob } from '../jobs'
import { createTask } from './ark/create'
import {
  ArkFailure,
  type ArkState,
  arkModel,
  arkState,
  bearer,
  CANCELLED_KEPT_MS,
  invalid,
  LINK_SECONDS,
  RECORD_DAYS_MS,
} from './ark/wire'
import type { Door, DoorAnswer, DoorContext } from './door'

const TASKS = '/contents/generations/tasks'
const STATUSES = ['queued', 'running', 'cancelled', 'succeeded', 'failed', 'expired'] as const
type Status = (typeof STATUSES)[number]

function statusOf(ctx: DoorContext, state: ArkState, job: SandboxJob): Status {
  const s = ctx.jobs.status(job)
  if (s === 'cancelled') return 'cancelled'
  if (s === 'completed') return 'succeeded'
  if (s === 'failed') return 'failed'
  const meta = state.tasks.get(job.id)
  // execution_expires_after: past it, an unfinished task is expired (A1).
  if (meta && ctx.now() >= job.createdAt + meta.expiresAfterSeconds * 1000) return 'expired'
  return s === 'queued' ? 'queued' : 'running'
}

/** A task the account can still see: made in the last 7 days, not deleted, a cancelled one for 24 h. */
function visible(ctx: DoorContext, state: ArkState, owner: string, id: string): SandboxJob | null {
  const job = ctx.jobs.get(owner, id, 'ark')
  const meta = state.tasks.get(id)
  if (!job || !meta) return null
  if (ctx.now() - job.createdAt >= RECORD_DAYS_MS) return null
  if (meta.cancelledAt !== null && ctx.now() - meta.cancelledAt >= CANCELLED_KEPT_MS) return null
  return job
}

/** The task as GET answers it (查询视频生成任务 API); list items are the same object. */
function taskView(ctx: DoorContext, state: ArkState, job: SandboxJob): Record<string, unknown> {
  const meta = state.tasks.get(job.id)
  if (!meta) throw new Error(`no Ark record for ${job.id}`)
  const status = statusOf(ctx, state, job)
  const completed = ctx.jobs.completedAt(job)
  const updated =
    status === 'queued'
      ? job.createdAt
      : status === 'running'
        ? job.queuedUntil
        : status === 'cancelled'
          ? (meta.cancelledAt ?? job.createdAt)
          : status === 'expired'
            ? job.createdAt + meta.expiresAfterSeconds * 1000
            : (completed ?? job.estimatedAt)
  let error: { code: string; message: string } | null = null
  if (status === 'failed')
    error = meta.failure ?? {
      code: 'InternalServiceError',
      message:
        job.render === 'error'
          ? `The generation failed while rendering: ${job.renderError ?? 'unknown error'}.`
          : 'The generation failed (injected fault); it is not charged. Retry the request.',
    }
  const view: Record<string, unknown> = {
    id: job.id,
    model: meta.model,
    status,
    error,
    created_at: Math.floor(job.createdAt / 1000),
    updated_at: Math.floor(updated / 1000),
    seed: meta.seed,
    resolution: job.params.resolution,
    ratio: meta.ratio,
    duration: job.params.duration,
    framespersecond: 24,
    service_tier: meta.serviceTier,
    execution_expires_after: meta.expiresAfterSeconds,
    ...(meta.generateAudio !== null ? { generate_audio: meta.generateAudio } : {}),
    draft: false,
  }
  if (status === 'succeeded' && completed !== null) {
    // Links live 24 h from completion (A4), whenever they are asked for.
    const ttl = Math.max(0, Math.floor((completed + LINK_SECONDS * 1000 - ctx.now()) / 1000))
    const urls = ctx.fileUrls(job, ttl)
    view.content = { video_url: urls.video, ...(job.params.lastFrame ? { last_frame_url: urls.lastFrame } : {}) }
    // Only successful videos are charged (A3): tokens = w × h × 24 × s / 1024.
    const tokens = videoTokens(job.width, job.height, job.params.duration)
    view.usage = { completion_tokens: tokens, total_tokens: tokens }
  }
  return view
}

function intParam(url: URL, name: string, def: number): number {
  const value = url.searchParams.get(name)
  if (value === null) return def
  const n = Number(value)
  if (!/^\d+$/.test(value) || n < 1 || n > 500)
    throw invalid(name, `The parameter ${name} must be an integer from 1 to 500.`)
  return n
}

function list(ctx: DoorContext, state: ArkState, owner: string, url: URL): DoorAnswer {
  const pageNum = intParam(url, 'page_num', 1)
  const pageSize = intParam(url, 'page_size', 10)
  const status = url.searchParams.get('filter.status')
  if (status !== null && !(STATUSES as readonly string[]).includes(status))
    throw invalid('filter.status', `The filter.status must be one of ${STATUSES.join(', ')}.`)
  const ids = new Set(url.searchParams.getAll('filter.task_ids'))
  const model = url.searchParams.get('filter.model')
  // filter.service_tier defaults to `default` (查询视频生成任务列表): flex tasks are listed only when asked for.
  const tier = url.searchParams.get('filter.service_tier') ?? 'default'
  if (tier !== 'default' && tier !== 'flex')
    throw invalid('filter.service_tier', 'The filter.service_tier must be default or flex.')
  const wanted = arkModel(model ?? '')?.id
  // Newest first; tasks made in the same instant, the later one first (the door's own creation order).
  const order = new Map([...state.tasks.keys()].map((id, i) => [id, i]))
  const items = ctx.jobs
    .list(owner, null, 'ark')
    .sort((a, b) => b.createdAt - a.createdAt || (order.get(b.id) ?? 0) - (order.get(a.id) ?? 0))
    .filter((j) => visible(ctx, state, owner, j.id))
    .filter((j) => ids.size === 0 || ids.has(j.id))
    .filter((j) => status === null || statusOf(ctx, state, j) === status)
    .filter((j) => model === null || state.tasks.get(j.id)?.model === model || j.params.model === wanted)
    .filter((j) => state.tasks.get(j.id)?.serviceTier === tier)
  const page = items.slice((pageNum - 1) * pageSize, pageNum * pageSize)
  return { status: 200, body: { total: items.length, items: page.map((j) => taskView(ctx, state, j)) } }
}

function notFound(id: string): ArkFailure {
  return new ArkFailure(404, 'ResourceNotFound', `The specified task ${id} is not found.`, 'id')
}

/** DELETE: a queued task is cancelled; a finished one's record is deleted; a running or cancelled one is refused. */
function remove(ctx: DoorContext, state: ArkState, owner: string, id: string): DoorAnswer {
  const job = visible(ctx, state, owner, id)
  if (!job) throw notFound(id)
  const status = statusOf(ctx, state, job)
  if (status === 'queued') {
    ctx.jobs.cancel(job)
    ;(state.tasks.get(id) as { cancelledAt: number | null }).cancelledAt = ctx.now()
    return { status: 200, body: {} }
  }
  if (status === 'running' || status === 'cancelled')
    // UNVERIFIED: Ark documents that it refuses these, not the code it answers with.
    throw new ArkFailure(
      400,
      'OperationDenied.InvalidState',
      status === 'running'
        ? `The task ${id} is running; only a queued task can be cancelled.`
        : `The task ${id} is cancelled; its record is deleted automatically after 24 hours.`,
      'id',
    )
  ctx.jobs.forget(job)
  state.tasks.delete(id)
  return { status: 200, body: {} }
}

async function route(ctx: DoorContext, req: Parameters<Door['handle']>[1], method: string, path: string, url: URL) {
  const key = bearer(req)
  if (key !== ctx.options.apiKey)
    throw new ArkFailure(
      401,
      'AuthenticationError',
      key
        ? 'The API key in the request is invalid.'
        : 'The request is missing an API key: send "Authorization: Bearer <ARK_API_KEY>".',
    )
  const owner = key
  const state = arkState(ctx)
  const rate = state.limiter.take(owner)
  if (!rate.allowed)
    throw new ArkFailure(
      429,
      'APIAccountRpmRateLimitExceeded',
      `The request rate of your account has exceeded its limit (${state.limits.requestsPerMinute} RPM). Retry later.`,
    )
  if (ctx.unavailable())
    throw ctx.random() < 0.5
      ? new ArkFailure(
          500,
          'InternalServiceError',
          'The service encountered an unexpected internal error (injected fault).',
        )
      : new ArkFailure(429, 'ServerOverloaded', 'The service is overloaded (injected fault); retry with backoff.')
  if (path === TASKS) {
    if (method === 'POST') return createTask(ctx, state, owner, await ctx.readBody(req), req)
    if (method === 'GET') return list(ctx, state, owner, url)
  }
  const m = /^\/contents\/generations\/tasks\/([^/]+)$/.exec(path)
  if (m) {
    const id = decodeURIComponent(m[1] as string)
    if (method === 'GET') {
      const job = visible(ctx, state, owner, id)
      if (!job) throw notFound(id)
      return { status: 200, body: taskView(ctx, state, job) }
    }
    if (method === 'DELETE') return remove(ctx, state, owner, id)
  }
  throw new ArkFailure(404, 'NotFound', `No endpoint ${method} ${path} under /api/v3.`)
}

export const arkDoor: Door = {
  id: 'ark',
  prefix: '/ark/api/v3',
  async handle(ctx, req, method, path, url) {
    try {
      return await route(ctx, req, method, path, url)
    } catch (error) {
      if (error instanceof ArkFailure) return error.answer()
      // The server's body reader throws its own (guide-shaped) failures: answer them in Ark's words.
      const status = (error as { status?: number }).status
      if (status === 413) return new ArkFailure(413, 'InvalidParameter', 'The request body is too large.').answer()
      if (status === 400) return invalid('body', 'The request body is not valid JSON.').answer()
      throw error
    }
  },
}
