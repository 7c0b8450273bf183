// The Sandbox's Replicate door (providers.md C), at /replicate/v1 standing in for https://api.replicate.com/v1:
// POST /models/<owner>/<name>/predictions (the catalog's bytedance models), GET /predictions/<id>, GET /predictions
// (cursor pages, 100 a page, absolute next/previous URLs on the Sandbox's origin), POST /predictions/<id>/cancel,
// GET /account. Bearer auth; errors as `{"detail": ...}` (with title/status); 600 creates and 3000 other requests a
// minute, 429 with Retry-After past them (C3); outputs served 1 h after completion, then `data_removed` (C4);
// `Prefer: wait[=n]` holds a create up to n s (at most 60); `Cancel-After` sets a deadline (not started by then:
// aborted, not charged; running: canceled, charged); a prompt with a term of the Sandbox's content policy
// (sandbox/validation.ts BLOCKED_TERMS) makes the prediction fail with Replicate's E005 when it finishes.
import type http from 'node:http'
import { findModel, frameSize, nearestRatio, providerInfo } from '../../shared/providers'
import { prepareCanvas } from '../image-source'
import type { FixedWindowLimiter } from '../rate-limit'
import { BLOCKED_TERMS } from '../validation'
import { DOOR_PATHS, type Door, type DoorAnswer, type DoorContext } from './door'
import { InputInvalid, validateInput } from './replicate/input'
import { isFinal, type PredictionMeta, predictionId, predictionObject, stateOf } from './replicate/prediction'

const RATE = providerInfo('replicate').rate
/** Replicate's list pages hold 100 predictions. */
export const PAGE_SIZE = 100
/** `Prefer: wait` holds at most 60 s (C1). */
const MAX_WAIT_S = 60

interface DoorState {
  meta: Map<string, PredictionMeta>
  creates: FixedWindowLimiter
  others: FixedWindowLimiter
}
/** One state per Sandbox (its job store), so Sandboxes in one process never share predictions. */
const states = new WeakMap<object, DoorState>()
function stateFor(ctx: DoorContext): DoorState {
  let s = states.get(ctx.jobs)
  if (!s) {
    s = {
      meta: new Map(),
      creates: ctx.limiter(RATE.createsPerMinute ?? RATE.requestsPerMinute),
      others: ctx.limiter(RATE.requestsPerMinute),
    }
    states.set(ctx.jobs, s)
  }
  return s
}

const problem = (status: number, title: string, detail: string, headers?: Record<string, string>): DoorAnswer => ({
  status,
  body: { title, detail, status },
  headers,
})

function bearer(req: http.IncomingMessage): string | null {
  return /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1] ?? null
}

const blocked = (prompt: string) =>
  BLOCKED_TERMS.some((t) => new RegExp(`(^|[^a-z])${t.replace('-', '\\-')}($|[^a-z])`).test(prompt.toLowerCase()))

async function create(
  ctx: DoorContext,
  req: http.IncomingMessage,
  owner: string,
  modelId: string,
  base: string,
): Promise<DoorAnswer> {
  const model = findModel('replicate', modelId)
  if (!model) return problem(404, 'Not found', `The requested model ${modelId} could not be found.`)
  const cancelAfter = req.headers['cancel-after']
  const deadlineMs = cancelAfter === undefined ? null : durationMs(String(cancelAfter))
  if (deadlineMs === null && cancelAfter !== undefined)
    return problem(
      400,
      'Bad request',
      `Invalid Cancel-After header "${cancelAfter}": use a duration such as 30s, 5m or 1h30m.`,
    )
  const body = await ctx.readBody(req)
  const raw = (body as { input?: unknown } | undefined)?.input
  let input: Awaited<ReturnType<typeof validateInput>>
  try {
    input = await validateInput(model, raw, ctx.policy, ctx.options.imageFetchTimeoutMs)
  } catch (error) {
    if (!(error instanceof InputInvalid)) throw error
    return {
      status: 422,
      body: {
        title: 'Input validation failed',
        detail: `${error.message}\n`,
        status: 422,
        invalid_fields: error.fields,
      },
    }
  }
  const ratio =
    input.ratio && input.ratio !== 'adaptive'
      ? (input.ratio as Parameters<typeof frameSize>[1])
      : input.image
        ? nearestRatio(input.image.width, input.image.height)
        : model.defaultRatio
  const size = frameSize(input.resolution, ratio)
  // Replicate bills video models by the second of output (C2): the Sandbox's credits count seconds here.
  if (!ctx.spend(input.duration))
    return problem(
      402,
      'Insufficient credit',
      'You have insufficient credit to run this model. Go to https://replicate.com/account/billing#billing to purchase credit. Once you purchase credit, please wait a few minutes before retrying.',
    )
  const canvas = input.image ? await prepareCanvas(input.image.data, size.width, size.height, 0.5) : undefined
  const job = ctx.jobs.create(
    owner,
    input.image ? 'image-to-video' : 'text-to-video',
    {
      prompt: input.prompt,
      duration: input.duration,
      resolution: input.resolution,
      aspect_ratio: ratio,
      style: null,
      motion_intensity: null,
      model: model.id,
      seed: input.seed,
      camera_fixed: input.cameraFixed,
      audio: input.audio,
    },
    size,
    input.duration,
    canvas,
    { door: 'replicate', id: predictionId() },
  )
  const meta: PredictionMeta = {
    model,
    input: raw as Record<string, unknown>,
    canceledAt: null,
    moderated: blocked(input.prompt),
    deadline: deadlineMs === null ? null : job.createdAt + deadlineMs,
    refunded: false,
  }
  stateFor(ctx).meta.set(job.id, meta)
  if (ctx.dropAfterCreate()) {
    ctx.log(`${job.id}: dropping the connection after creating the prediction (injected fault)`)
    req.socket.destroy()
    return { status: 0 }
  }
  const wait = /^\s*wait(?:\s*=\s*(\d+))?\s*$/i.exec(String(req.headers.prefer ?? ''))
  if (wait) {
    // Held in real time (the Sandbox's clock may be a test's), at most the cap, and no longer than the client waits.
    const until = Date.now() + Math.min(MAX_WAIT_S, Math.max(1, Number(wait[1] ?? MAX_WAIT_S))) * 1000
    while (Date.now() < until && !req.socket.destroyed && !isFinal(stateOf(ctx, job, meta).status))
      await new Promise((r) => setTimeout(r, 50))
  }
  return { status: 201, body: predictionObject(ctx, job, meta, base) }
}

/**
 * A `Cancel-After` duration (Replicate changelog 2025-10-16: a server-side deadline), Go-style: `90s`, `5m`,
 * `1h30m`; CHOSEN (undocumented bounds): 1 s to 24 h.
 */
function durationMs(value: string): number | null {
  const m = /^\s*(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?\s*$/.exec(value)
  if (!m || (!m[1] && !m[2] && !m[3])) return null
  const ms = (Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)) * 1000
  return ms >= 1000 && ms <= 24 * 3600_000 ? ms : null
}

function cursorOffset(cursor: string | null): number | null {
  if (cursor === null) return 0
  const m = /^o(\d{1,9})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'))
  return m ? Number(m[1]) : null
}
const cursorFor = (offset: number) => Buffer.from(`o${offset}`, 'utf8').toString('base64url')

async function route(
  ctx: DoorContext,
  req: http.IncomingMessage,
  method: string,
  path: string,
  url: URL,
  owner: string,
  base: string,
): Promise<DoorAnswer> {
  const state = stateFor(ctx)
  const parts = path.split('/').filter(Boolean)
  const only = (m: string) =>
    method === m ? null : problem(405, 'Method not allowed', `Method "${method}" not allowed.`)
  const found = (id: string) => {
    const job = ctx.jobs.get(owner, id, 'replicate')
    const meta = job && state.meta.get(job.id)
    return job && meta ? { job, meta } : null
  }
  const notFound = problem(404, 'Not found', 'The requested resource could not be found.')
  if (parts[0] === 'models' && parts[3] === 'predictions' && parts.length === 4)
    return only('POST') ?? create(ctx, req, owner, `${parts[1]}/${parts[2]}`, base)
  if (parts[0] === 'predictions' && parts.length === 1) {
    const bad = only('GET')
    if (bad) return bad
    const offset = cursorOffset(url.searchParams.get('cursor'))
    if (offset === null) return problem(400, 'Bad request', 'Invalid cursor.')
    const all = ctx.jobs.list(owner, null, 'replicate')
    const results = all.slice(offset, offset + PAGE_SIZE).flatMap((job) => {
      const meta = state.meta.get(job.id)
      return meta ? [predictionObject(ctx, job, meta, base)] : []
    })
    const link = (o: number) => `${base}/predictions?cursor=${cursorFor(o)}`
    return {
      status: 200,
      body: {
        next: offset + PAGE_SIZE < all.length ? link(offset + PAGE_SIZE) : null,
        previous: offset > 0 ? link(Math.max(0, offset - PAGE_SIZE)) : null,
        results,
      },
    }
  }
  if (parts[0] === 'predictions' && parts.length === 2) {
    const p = only('GET') ?? null
    if (p) return p
    const f = found(parts[1] as string)
    return f ? { status: 200, body: predictionObject(ctx, f.job, f.meta, base) } : notFound
  }
  if (parts[0] === 'predictions' && parts[2] === 'cancel' && parts.length === 3) {
    const p = only('POST')
    if (p) return p
    const f = found(parts[1] as string)
    if (!f) return notFound
    const status = stateOf(ctx, f.job, f.meta).status
    if (!isFinal(status)) {
      // Starting: cancelled and not charged (the store refunds). Processing: cancelled, charged for its time (C2).
      ctx.jobs.cancel(f.job)
      f.meta.canceledAt = ctx.now()
    }
    return { status: 200, body: predictionObject(ctx, f.job, f.meta, base) }
  }
  if (parts[0] === 'account' && parts.length === 1)
    return only('GET') ?? { status: 200, body: { type: 'user', username: 'sandbox', name: 'Seedance Studio Sandbox' } }
  return notFound
}

export const replicateDoor: Door = {
  id: 'replicate',
  prefix: DOOR_PATHS.replicate,
  async handle(ctx, req, method, path, url) {
    const key = bearer(req)
    if (key !== ctx.options.apiKey)
      return problem(401, 'Unauthenticated', 'You did not pass a valid authentication token')
    const state = stateFor(ctx)
    const isCreate = method === 'POST' && /^\/models\/[^/]+\/[^/]+\/predictions\/?$/.test(path)
    const rate = (isCreate ? state.creates : state.others).take(key)
    if (!rate.allowed)
      return problem(
        429,
        'Too Many Requests',
        `Request was throttled. Your rate limit resets in ~${rate.retryAfter}s.`,
        { 'retry-after': String(rate.retryAfter) },
      )
    if (ctx.unavailable())
      return problem(503, 'Service Unavailable', 'Service temporarily unavailable (injected fault).')
    // Links are built on the origin the client used, as Replicate's are on api.replicate.com.
    const base = `http://${req.headers.host ?? 'localhost'}${DOOR_PATHS.replicate}`
    try {
      return await route(ctx, req, method, path, url, key, base)
    } catch (error) {
      const status = (error as { status?: number }).status
      if (status === 413 || status === 400) return problem(status, 'Bad request', (error as Error).message)
      throw error
    }
  },
}
