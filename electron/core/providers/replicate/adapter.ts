// Replicate's predictions API (providers.md C) behind the provider port. Wire behaviour follows the official client
// (replicate-javascript 1.4.0): Bearer auth, POST /models/<owner>/<name>/predictions {input}, GET /predictions/<id>,
// GET /predictions (cursor pages with absolute next URLs), POST /predictions/<id>/cancel, GET /account.
import { findModel, providerInfo } from '../../../shared/providers'
import { serviceOrigin } from '../../../shared/service-url'
import { ApiError, CLIENT_ERROR } from '../errors'
import { HttpTransport, realClock } from '../http'
import {
  type CancelOutcome,
  PROVIDER_ERROR,
  type ProviderConfig,
  type RemotePage,
  type RemoteSnapshot,
  type VideoProvider,
} from '../port'
import { ClientRateLimiter } from '../rate-limiter'
import { replicateError } from './errors'
import { buildInput, checkSubmission } from './request'
import { snapshotOf } from './snapshot'
import { accountSchema, type Prediction, predictionPageSchema, predictionSchema } from './wire-types'

const INFO = providerInfo('replicate')
/** Single GETs in flight at once when a batch falls back to them. */
const GET_PARALLEL = 4

export function createReplicateProvider(config: ProviderConfig): VideoProvider {
  const windowMs = config.rateWindowMs ?? 60_000
  const others = config.requestsPerMinute ?? INFO.rate.requestsPerMinute
  // C3: creates and other requests are limited apart (600 and 3000 a minute): one transport (and limiter) each.
  const creates = Math.min(others, INFO.rate.createsPerMinute ?? others)
  const transport = (perWindow: number, notFound: string) =>
    new HttpTransport({
      apiKey: config.apiKey,
      baseUrl: config.baseUrl,
      keyOrigin: config.keyOrigin,
      scheme: 'Bearer',
      errorFrom: replicateError(notFound),
      fetch: config.fetch,
      clock: config.clock,
      random: config.random,
      retry: config.retry,
      timeouts: config.timeouts,
      onEvent: config.onEvent,
      limiter: new ClientRateLimiter(perWindow, config.clock ?? realClock, windowMs),
    })
  const createHttp = transport(creates, PROVIDER_ERROR.modelNotEnabled)
  const http = transport(others, PROVIDER_ERROR.jobNotFound)
  const baseUrl = createHttp.baseUrl
  const basePath = new URL(baseUrl).pathname.replace(/\/+$/, '')

  async function getOne(remoteId: string, signal?: AbortSignal): Promise<RemoteSnapshot | null> {
    try {
      return snapshotOf(
        await http.call('GET', `/predictions/${encodeURIComponent(remoteId)}`, predictionSchema, undefined, signal),
      )
    } catch (error) {
      if (error instanceof ApiError && error.code === PROVIDER_ERROR.jobNotFound) return null
      throw error
    }
  }

  /** A `next` URL → the path to ask, only on this base URL's origin and path (the key never goes elsewhere). */
  function nextPath(next: string | null | undefined): string | null {
    if (!next) return null
    let url: URL
    try {
      url = new URL(next, baseUrl)
    } catch {
      throw malformed(`The next page link "${next}" is not a URL.`)
    }
    if (url.origin !== serviceOrigin(baseUrl) || !url.pathname.startsWith(`${basePath}/`))
      throw malformed(
        `The next page is at ${url.origin}, not ${serviceOrigin(baseUrl)}: it is not followed, so the key is not sent there.`,
      )
    return `${url.pathname.slice(basePath.length)}${url.search}`
  }

  async function page(path: string, signal?: AbortSignal): Promise<{ results: Prediction[]; next: string | null }> {
    const answer = await http.call('GET', path, predictionPageSchema, undefined, signal)
    return { results: answer.results, next: nextPath(answer.next) }
  }

  return {
    id: 'replicate',
    info: INFO,
    baseUrl,

    async submit(submission, signal) {
      const model = findModel('replicate', submission.request.model)
      if (!model)
        throw new ApiError({
          code: PROVIDER_ERROR.modelNotEnabled,
          message: `Replicate has no model ${submission.request.model} in this app's catalog.`,
        })
      checkSubmission(submission, model)
      const input = await buildInput(submission, model)
      // No `Prefer: wait`: a video takes longer than its 60 s cap (C1); the engine polls.
      const prediction = await createHttp.call(
        'POST',
        `/models/${model.id}/predictions`,
        predictionSchema,
        { input },
        signal,
      )
      return snapshotOf(prediction)
    },

    /**
     * Replicate has no batch get. One job: GET /predictions/<id>. Several: the first list page (the 100 newest
     * predictions, one request) answers every job on it, and only jobs older than that page are asked one by one,
     * so polling a batch costs about one request per poll rather than one per job (the bench's ≤ 1.5 requests per
     * video). A page too large to read (inputs with inline images) falls back to single GETs.
     */
    async get(jobs, signal) {
      const out = new Map<string, RemoteSnapshot | null>()
      let rest = jobs.map((j) => j.remoteId)
      if (rest.length > 1) {
        try {
          const first = await page('/predictions', signal)
          for (const p of first.results) if (rest.includes(p.id)) out.set(p.id, snapshotOf(p))
          rest = rest.filter((id) => !out.has(id))
        } catch (error) {
          if (!(error instanceof ApiError && error.code === CLIENT_ERROR.tooLarge)) throw error
        }
      }
      for (let i = 0; i < rest.length; i += GET_PARALLEL) {
        const chunk = rest.slice(i, i + GET_PARALLEL)
        const found = await Promise.all(chunk.map((id) => getOne(id, signal)))
        for (const [k, id] of chunk.entries()) out.set(id, found[k] ?? null)
      }
      // In the order asked (the list page is newest first).
      return new Map(jobs.map((j) => [j.remoteId, out.get(j.remoteId) ?? null]))
    },

    /** One page of Replicate's list (its page size, 100; `limit` cannot change it), newest first. */
    async list(query, signal) {
      const path = query.cursor ? (nextPath(query.cursor) ?? '/predictions') : '/predictions'
      const answer = await page(path, signal)
      const result: RemotePage = {
        jobs: answer.results.map(snapshotOf),
        next: answer.next ? `${baseUrl}${answer.next}` : null,
      }
      return result
    },

    async cancel(job, signal): Promise<CancelOutcome> {
      const p = await http.call(
        'POST',
        `/predictions/${encodeURIComponent(job.remoteId)}/cancel`,
        predictionSchema,
        undefined,
        signal,
      )
      if (p.status === 'canceled' || p.status === 'aborted') return 'cancelled'
      if (p.status === 'succeeded' || p.status === 'failed') return 'already-final'
      return 'requested'
    },

    async checkKey(signal) {
      await http.call('GET', '/account', accountSchema, undefined, signal)
      // Replicate sends no rate-limit headers (C3).
      return { limit: null, remaining: null, resetAt: null }
    },
  }
}

function malformed(message: string): ApiError {
  return new ApiError({ code: CLIENT_ERROR.malformed, message })
}
