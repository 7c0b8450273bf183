// The Sandbox's fal.ai door (issue 10, point 5), mounted at /fal, standing in for https://queue.fal.run: the queue API
// as fal-js 1.10.1 calls it (src/queue.ts) and fal documents it (providers.md B). `Authorization: Key <key>`; submit
// per endpoint id, both namespaces; status under the endpoint id's first two segments; no FAILED status (a failed
// request COMPLETES and its result answers the error); never rejected for concurrency: 2 run at once (new accounts,
// B3), the rest wait IN_QUEUE with their queue_position. Inputs are checked as fal's models check them, at run time:
// a bad input is queued like any other and its result answers the 422 (TanStack/ai#396 saw this on live fal).
import type http from 'node:http'
import { providerInfo } from '../../shared/providers'
import type { SandboxJob } from '../jobs'
import type { Door, DoorAnswer, DoorContext } from './door'
import { FAL_ENDPOINTS } from './fal/endpoints'
import {
  appOf,
  json,
  modelError,
  queuePosition,
  REFUSE_MS,
  type Refused,
  refusedOf,
  requestError,
  submit,
  urls,
} from './fal/queue'

/** CHOSEN link lifetime (the catalog's linkLifetimeMs, B4: fal documents no default CDN expiry). */
const LINK_TTL_S = providerInfo('fal').linkLifetimeMs / 1000

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
