// The fal door's queue: submissions (checked at run time as fal's models check them), the two runners an account gets
// (B3) with everyone else IN_QUEUE behind them, and the requests a model refused (which the job store does not hold).
// Answers are in fal's shapes (providers.md B; docs.fal.ai/errors; model-apis/request-errors).
import { randomUUID } from 'node:crypto'
import type http from 'node:http'
import { type AspectRatio, frameSize, nearestRatio, providerInfo } from '../../../shared/providers'
import { ApiFailure } from '../../errors'
import { loadImage, prepareCanvas } from '../../image-source'
import type { JobMode, JobStore, SandboxJob } from '../../jobs'
import type { DoorAnswer, DoorContext } from '../door'
import { type FalDetail, type FalEndpoint, flaggedTerm, validateFalInput } from './endpoints'

/** Runners an account gets at once (B3: new accounts 2); past it requests queue, never 429. */
const CONCURRENCY = providerInfo('fal').rate.concurrency ?? 2
/** How long a refused request shows IN_PROGRESS before it COMPLETES with its 422 (the model's input check). */
export const REFUSE_MS = 1000

/** A request the model refused (bad input, content policy): no video is made; its result is the 422. */
export interface Refused {
  id: string
  owner: string
  app: string
  createdAt: number
  detail: FalDetail[]
}
/** Per Sandbox (keyed by its job store, so it ends with it): the refused requests, which the store does not hold. */
const refusedBySandbox = new WeakMap<JobStore, Map<string, Refused>>()
export function refusedOf(ctx: DoorContext): Map<string, Refused> {
  const known = refusedBySandbox.get(ctx.jobs)
  if (known) return known
  const map = new Map<string, Refused>()
  refusedBySandbox.set(ctx.jobs, map)
  return map
}

export const json = (status: number, body: DoorAnswer['body'], headers: Record<string, string> = {}): DoorAnswer => ({
  status,
  body,
  headers,
})
/** Infrastructure errors: `{detail, error_type}` and the same type in X-Fal-Error-Type (model-apis/request-errors). */
export function requestError(status: number, type: string, detail: string, retryable: boolean): DoorAnswer {
  return json(status, { detail, error_type: type }, { 'x-fal-error-type': type, 'x-fal-retryable': String(retryable) })
}
export const modelError = (detail: FalDetail[]) =>
  json(
    422,
    { detail: detail.map((d) => ({ url: `https://docs.fal.ai/errors#${d.type}`, ...d })) },
    { 'x-fal-retryable': 'false' },
  )

/** The app part of an endpoint id (fal-js utils.ts parseEndpointId): owner/alias. */
export const appOf = (id: string) => id.split('/').slice(0, 2).join('/')

/**
 * The Sandbox's origin as this client reached it (its Host header): the answer's URLs point back at the Sandbox. A
 * client that sends another Host only misleads itself, and fal's clients never follow these URLs anyway.
 */
function origin(req: http.IncomingMessage): string {
  const host = req.headers.host ?? ''
  return /^[A-Za-z0-9.\-[\]:]+$/.test(host) ? `http://${host}` : 'http://127.0.0.1'
}

export function urls(req: http.IncomingMessage, app: string, id: string) {
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
 * by arrival (the store lists newest first, ties included; reversed, ties are in the order they came, and the sort
 * is stable).
 */
export function queuePosition(ctx: DoorContext, job: SandboxJob): number {
  const queued = ctx.jobs
    .list(job.owner, 'queued', 'fal')
    .reverse()
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

export async function submit(
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
