// The Sandbox's fal.ai door (issue 10, point 5), mounted at /fal, standing in for https://queue.fal.run: the queue API
// as fal-js 1.10.1 calls it (src/queue.ts) and fal documents it (providers.md B). `Authorization: Key <key>`; submit
// per endpoint id, both namespaces; status under the endpoint id's first two segments; no FAILED status (a failed
// request COMPLETES and its result answers the error); never rejected for concurrency: 2 run at once (new accounts,
// B3), the rest wait IN_QUEUE with their queue_position. Inputs are checked as fal's models check them, at run time:
// a bad input is queued like any other and its result answers the 422 (TanStack/ai#396 saw this on live fal).
import { randomUUID } from 'node:crypto'
import type http from 'node:http'
import { type AspectRatio, frameSize, nearestRatio, providerInfo } from '../../shared/providers'
import { ApiFailure } from '../errors'
import { loadImage, prepareCanvas } from '../image-source'
import type { JobMode, JobStore, SandboxJob } from '../jobs'
import type { Door, DoorAnswer, DoorContext } from './door'
import { FAL_ENDPOINTS, type FalDetail, type FalEndpoint, flaggedTerm, validateFalInput } from './fal/endpoints'

/** Runners an account gets at once (B3: new accounts 2); past it requests queue, never 429. */
const CONCURRENCY = 2
/** CHOSEN link lifetime (the catalog's linkLifetimeMs, B4: fal documents no default CDN expiry). */
const LINK_TTL_S = providerInfo('fal').linkLifetimeMs / 1000
/** How long a refused request shows IN_PROGRESS before it COMPLETES with its 422 (the model's input check). */
const REFUSE_MS = 1000

/** A request the model refused (bad input, content policy): no video is made; its result is the 422. */
interface Refused {
  id: string
  owner: string
  app: string
  createdAt: number
  detail: FalDetail[]
}
/** Per Sandbox (keyed by its job store, so it ends with it): the refused requests, which the store does not hold. */
const refusedBySandbox = new WeakMap<JobStore, Map<string, Refused>>()
function refusedOf(ctx: DoorContext): Map<string, Refused> {
  const known = refusedBySandbox.get(ctx.jobs)
  if (known) return known
  const map = new Map<string, Refused>()
  refusedBySandbox.set(ctx.jobs, map)
  return map
}

const json = (status: number, body: DoorAnswer['body'], headers: Record<string, string> = {}): DoorAnswer => ({
  status,
  body,
  headers,
})
/** Infrastructure errors: `{detail, error_type}` and the same type in X-Fal-Error-Type (model-apis/request-errors). */
function requestError(status: number, type: string, detail: string, retryable: boolean): DoorAnswer {
  return json(status, { detail, error_type: type }, { 'x-fal-error-type': type, 'x-fal-retryable': String(retryable) })
}
const modelError = (detail: FalDetail[]) =>
  json(
    422,
    { detail: detail.map((d) => ({ url: `https://docs.fal.ai/errors#${d.type}`, ...d })) },
    { 'x-fal-retryable': 'false' },
  )

/** The app part of an endpoint id (fal-js utils.ts parseEndpointId): owner/alias. */
const appOf = (id: string) => id.split('/').slice(0, 2).join('/')

function origin(req: http.IncomingMessage): string {
  const host = req.headers.host ?? ''
  return /^[A-Za-z0-9.\-[\]:]+$/.test(host) ? `http://${host}` : 'http://127.0.0.1'
}

function urls(req: http.IncomingMessage, app: string, id: string) {
  const base = `${origin(req)}/fal/${app}/requests/${id}`
  return { response_url: base, status_url: `${base}/status`, cancel_url: `${base}/cancel` }
}

/**
 * When a new request may start: with every earlier request given the first runner free (FIFO), the two runners are
 * busy until the two latest ends so far; the new one starts at the second latest (or now, with a runner idle).
 */
function startAt(ctx: DoorContext, owner: string): number {
  const ends = ctx.jobs
    .list(owner, null, 'fal')
    .filter((j) => !j.cancelled)
    .map((j) => j.estimatedAt)
    .sort((a, b) => b - a)
  return Math.max(ctx.now(), ends[CONCURRENCY - 1] ?? 0)
}

/**
 * Requests ahead of this one in the account's queue (fal: "number of requests ahead of yours"): by start time, then
 * by arrival (the store lists ties in the order they came; the sort is stable).
 */
function queuePosition(ctx: DoorContext, job: SandboxJob): number {
  const queued = ctx.jobs
    .list(job.owner, 'queued', 'fal')
    .sort((a, b) => a.queuedUntil - b.queuedUntil || a.createdAt - b.createdAt)
  return Math.max(0, queued.indexOf(job))
}

function size(resolution: FalEndpoint['resolutions'][number], ratio: string) {
  // v1's 9:21 is 21:9 on its side.
  if (ratio === '9:21') {
    const { width, height } = frameSize(resolution, '21:9')
    return { width: height, height: width }
  }
  return frameSize(resolution, ratio as AspectRatio)
}

async function submit(
  ctx: DoorContext,
  req: http.IncomingMessage,
  owner: string,
  endpoint: FalEndpoint,
): Promise<DoorAnswer> {
  let body: unknown
  try {
    body = await ctx.readBody(req)
  } catch (error) {
    // Too large (413) or not JSON: answered before the queue, in fal's `detail` form.
    const status = error instanceof ApiFailure ? error.status : 400
    return json(status, { detail: (error as Error).message })
  }
  const app = appOf(endpoint.id)
  const id = randomUUID()
  const accepted = (position: number) => json(200, { request_id: id, ...urls(req, app, id), queue_position: position })
  const input = validateFalInput(endpoint, body)
  const refuse = (detail: FalDetail[]) => {
    refusedOf(ctx).set(id, { id, owner, app, createdAt: ctx.now(), detail })
    return accepted(0)
  }
  if (Array.isArray(input)) return refuse(input)
  const term = flaggedTerm(input.prompt)
  if (term)
    return refuse([
      {
        loc: ['body', 'prompt'],
        msg: `The content could not be processed because it contained material flagged by a content checker ("${term}").`,
        type: 'content_policy_violation',
        input: input.prompt,
      },
    ])
  const mode: JobMode = endpoint.mode
  let ratio = input.ratio
  let image: Awaited<ReturnType<typeof prepareCanvas>> | undefined
  if (input.imageUrl !== null) {
    const fields: Array<['image_url' | 'end_image_url', string | null]> = [
      ['image_url', input.imageUrl],
      ['end_image_url', input.endImageUrl],
    ]
    const loaded = []
    for (const [field, url] of fields) {
      if (url === null) continue
      try {
        const source = url.startsWith('data:') ? { kind: 'base64' as const, data: url } : { kind: 'url' as const, url }
        loaded.push(await loadImage(source, ctx.options.imageFetchTimeoutMs, ctx.policy))
      } catch (error) {
        return refuse([
          { loc: ['body', field], msg: (error as Error).message, type: 'image_load_error', input: url.slice(0, 100) },
        ])
      }
    }
    const first = loaded[0] as (typeof loaded)[number]
    if (ratio === 'auto') ratio = nearestRatio(first.info.width, first.info.height)
    const { width, height } = size(input.resolution, ratio)
    // The Sandbox's camera moves over the first frame; an end image is checked, not blended in.
    image = await prepareCanvas(first.data, width, height, 0.5)
  } else if (ratio === 'auto') ratio = '16:9'
  // The Sandbox's one account: its credits stand in for fal's balance (403 once exhausted, as fal locks the user).
  const credits = Math.ceil(input.duration * (input.resolution === '1080p' ? 1.25 : 0.75))
  if (!ctx.spend(credits))
    return json(403, {
      detail: 'User is locked. Reason: Exhausted balance. Top up your balance at fal.ai/dashboard/billing.',
    })
  const seed = input.seed ?? Math.floor(ctx.random() * 2 ** 31)
  const job = ctx.jobs.create(
    owner,
    mode,
    {
      prompt: input.prompt,
      duration: input.duration,
      resolution: input.resolution,
      aspect_ratio: ratio,
      style: null,
      motion_intensity: null,
      model: endpoint.model,
      seed,
      camera_fixed: input.cameraFixed,
      audio: input.audio,
    },
    size(input.resolution, ratio),
    credits,
    image,
    { door: 'fal', startAt: startAt(ctx, owner), id },
  )
  if (ctx.dropAfterCreate()) {
    ctx.log(`fal ${id}: dropping the connection after queueing the request (injected fault)`)
    req.socket.destroy()
    return { status: 0 }
  }
  return accepted(queuePosition(ctx, job))
}

type Found = { kind: 'job'; job: SandboxJob } | { kind: 'refused'; refused: Refused }

function find(ctx: DoorContext, owner: string, app: string, id: string): Found | null {
  const job = ctx.jobs.get(owner, id, 'fal')
  if (job && appOf(job.params.model ?? '') === app) return { kind: 'job', job }
  const refused = refusedOf(ctx).get(id)
  if (refused && refused.owner === owner && refused.app === app) return { kind: 'refused', refused }
  return null
}

function queueStatus(ctx: DoorContext, found: Found): 'IN_QUEUE' | 'IN_PROGRESS' | 'COMPLETED' {
  if (found.kind === 'refused') return ctx.now() < found.refused.createdAt + REFUSE_MS ? 'IN_PROGRESS' : 'COMPLETED'
  const phase = ctx.jobs.status(found.job)
  return phase === 'queued' ? 'IN_QUEUE' : phase === 'processing' ? 'IN_PROGRESS' : 'COMPLETED'
}

function status(
  ctx: DoorContext,
  req: http.IncomingMessage,
  app: string,
  id: string,
  found: Found,
  url: URL,
): DoorAnswer {
  const state = queueStatus(ctx, found)
  const logs = url.searchParams.get('logs') === '1' ? [] : null
  const base = { status: state, request_id: id, ...urls(req, app, id) }
  if (state === 'IN_QUEUE' && found.kind === 'job')
    return json(202, { ...base, queue_position: queuePosition(ctx, found.job) })
  if (state === 'IN_PROGRESS') return json(202, { ...base, logs })
  const inference =
    found.kind === 'job'
      ? Math.max(0, (ctx.jobs.completedAt(found.job) ?? ctx.now()) - found.job.queuedUntil) / 1000
      : 0
  return json(200, { ...base, logs, metrics: { inference_time: inference } })
}

function result(ctx: DoorContext, id: string, found: Found): DoorAnswer {
  const idHeader = { 'x-fal-request-id': id }
  if (queueStatus(ctx, found) !== 'COMPLETED') return json(400, { detail: 'Request is still in progress' }, idHeader)
  if (found.kind === 'refused') {
    const answer = modelError(found.refused.detail)
    return { ...answer, headers: { ...answer.headers, ...idHeader } }
  }
  const job = found.job
  const phase = ctx.jobs.status(job)
  if (phase === 'cancelled') return requestError(499, 'client_cancelled', 'Request was cancelled', false)
  if (phase === 'failed')
    // An injected failure (faults.jobFailureRate) or a render error: the runner's own 500, after the queue's retries.
    return requestError(500, 'runner_server_error', 'The runner encountered an internal server error.', false)
  const links = ctx.fileUrls(job, LINK_TTL_S)
  return json(
    200,
    {
      video: { url: links.video, content_type: 'video/mp4', file_name: 'output.mp4', file_size: job.fileBytes ?? 0 },
      seed: job.params.seed ?? 0,
    },
    idHeader,
  )
}

function cancel(ctx: DoorContext, found: Found): DoorAnswer {
  if (queueStatus(ctx, found) === 'COMPLETED') return json(400, { status: 'ALREADY_COMPLETED' })
  // Queued: dropped, never run, credits back. Running: fal signals the runner, which may still finish (and bill).
  if (found.kind === 'job') ctx.jobs.cancel(found.job)
  return json(202, { status: 'CANCELLATION_REQUESTED' })
}

/** The key as fal takes it: `Authorization: Key <key>`; a Bearer token is a JWT to fal, and ours is none. */
function owner(ctx: DoorContext, req: http.IncomingMessage): string | DoorAnswer {
  const header = req.headers.authorization ?? ''
  const m = /^(\S+)\s+(\S+)\s*$/.exec(header)
  if (!m) return json(401, { detail: 'Missing authorization header: send "Authorization: Key <FAL_KEY>".' })
  if (m[1]?.toLowerCase() !== 'key')
    return json(401, { detail: 'Invalid token: fal keys are sent as "Key <FAL_KEY>".' })
  if (m[2] !== ctx.options.apiKey) return json(401, { detail: 'No user found for Key ID and Secret' })
  return m[2]
}

export const falDoor: Door = {
  id: 'fal',
  prefix: '/fal',
  async handle(ctx, req, method, route, url) {
    const who = owner(ctx, req)
    if (typeof who !== 'string') return who
    const parts = route.split('/').filter(Boolean)
    const isRequests = parts[2] === 'requests' && parts.length >= 4
    // The Sandbox's faults.unavailableRate: the queue's own scheduling failure. A finished request's result is
    // stored, so a fault there is a bare gateway 503 without a type (a typed one would be the request's outcome).
    if (ctx.unavailable()) {
      return isRequests && parts.length === 4
        ? json(503, { detail: 'Service temporarily unavailable' })
        : requestError(503, 'runner_scheduling_failure', 'No runner could be allocated to handle the request.', true)
    }
    if (!isRequests) {
      const endpoint = FAL_ENDPOINTS.get(parts.join('/'))
      if (!endpoint) return json(404, { detail: `Endpoint ${parts.join('/') || '/'} not found` })
      if (method !== 'POST') return json(405, { detail: 'Method Not Allowed' })
      return submit(ctx, req, who, endpoint)
    }
    const app = `${parts[0]}/${parts[1]}`
    const id = parts[3] as string
    const rest = parts.slice(4).join('/')
    const found = find(ctx, who, app, id)
    const allowed = rest === '' ? 'GET' : rest === 'status' ? 'GET' : rest === 'cancel' ? 'PUT' : null
    if (allowed === null) return json(404, { detail: `No route ${route} (status/stream is not emulated)` })
    if (method !== allowed) return json(405, { detail: 'Method Not Allowed' })
    if (!found) return json(404, rest === 'cancel' ? { status: 'NOT_FOUND' } : { detail: `Request ${id} not found` })
    if (rest === 'status') return status(ctx, req, app, id, found, url)
    if (rest === 'cancel') return cancel(ctx, found)
    return result(ctx, id, found)
  },
}
