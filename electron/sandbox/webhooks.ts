// Webhook registrations and deliveries: job.completed / job.failed, signed as the guide describes,
// retried with exponential backoff when the receiver is down or answers non-2xx.
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { signWebhook } from '../node/webhook-signature'
import { badRequest } from './errors'
import { checkTarget, type OutboundPolicy, OutboundRefused, outboundRequest } from './outbound'

export const WEBHOOK_EVENTS = ['job.completed', 'job.failed'] as const
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number]

export interface Webhook {
  id: string
  owner: string
  url: string
  events: WebhookEvent[]
  secret: string
  createdAt: number
}

export interface WebhookResource {
  webhook_id: string
  url: string
  events: WebhookEvent[]
  created_at: string
}

export interface DeliveryOptions {
  retryBaseMs: number
  maxAttempts: number
  timeoutMs: number
  log: ((line: string) => void) | null
  /** Where deliveries may go (public addresses only, unless --allow-private-urls). */
  policy: OutboundPolicy
}

/** What is read of a receiver's answer before the connection is dropped; only the status matters. */
export const MAX_ANSWER_BYTES = 64 * 1024

/**
 * Read and discard a receiver's answer, at most MAX_ANSWER_BYTES: an endless body is cut there, and one that
 * stalls is cut by the delivery's abort timer, which stays armed until this settles.
 */
function discardAnswer(body: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    let read = 0
    body.on('data', (chunk: Buffer) => {
      read += chunk.length
      if (read > MAX_ANSWER_BYTES) body.destroy()
    })
    body.once('end', resolve)
    body.once('close', resolve)
    body.once('error', () => resolve())
  })
}

export function parseWebhookRequest(body: Record<string, unknown>): {
  url: string
  events: WebhookEvent[]
  secret: string
} {
  let url: URL | null = null
  try {
    url = typeof body.url === 'string' ? new URL(body.url) : null
  } catch {
    url = null
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw badRequest('INVALID_WEBHOOK', 'url must be an http(s) URL.')
  }
  const events = body.events ?? [...WEBHOOK_EVENTS]
  if (
    !Array.isArray(events) ||
    events.length === 0 ||
    !events.every((e) => (WEBHOOK_EVENTS as readonly unknown[]).includes(e))
  ) {
    throw badRequest('INVALID_WEBHOOK', `events must be a non-empty list of ${WEBHOOK_EVENTS.join(', ')}.`)
  }
  if (typeof body.secret !== 'string' || body.secret.length < 8 || body.secret.length > 256) {
    throw badRequest('INVALID_WEBHOOK', 'secret must be 8–256 characters; it signs every delivery.')
  }
  return { url: url.href, events: [...new Set(events as WebhookEvent[])], secret: body.secret }
}

/**
 * A webhook may only point where a hosted service would deliver: a public address (checked again at each
 * delivery, as the name may resolve differently by then). A name that does not resolve yet is accepted.
 */
export async function checkWebhookTarget(href: string, policy: OutboundPolicy): Promise<void> {
  try {
    await checkTarget(new URL(href), policy)
  } catch (error) {
    if (error instanceof OutboundRefused && error.code !== 'UNRESOLVED_HOST')
      throw badRequest('INVALID_WEBHOOK', `url is refused: ${error.message}`)
  }
}

export class WebhookRegistry {
  private readonly hooks = new Map<string, Webhook>()
  private readonly timers = new Set<ReturnType<typeof setTimeout>>()
  private readonly inflight = new Set<AbortController>()

  constructor(
    private readonly options: DeliveryOptions,
    private readonly now: () => number,
  ) {}

  add(owner: string, spec: { url: string; events: WebhookEvent[]; secret: string }): Webhook {
    const hook: Webhook = {
      id: `wh_${randomUUID().replace(/-/g, '').slice(0, 16)}`,
      owner,
      ...spec,
      createdAt: this.now(),
    }
    this.hooks.set(hook.id, hook)
    return hook
  }

  list(owner: string): Webhook[] {
    return [...this.hooks.values()].filter((h) => h.owner === owner)
  }

  remove(owner: string, id: string): boolean {
    const hook = this.hooks.get(id)
    if (!hook || hook.owner !== owner) return false
    return this.hooks.delete(id)
  }

  static resource(h: Webhook): WebhookResource {
    return { webhook_id: h.id, url: h.url, events: h.events, created_at: new Date(h.createdAt).toISOString() }
  }

  /** Send `payload` to every hook of `owner` subscribed to `event`. */
  dispatch(owner: string, event: WebhookEvent, payload: Record<string, unknown>): void {
    for (const hook of this.list(owner)) {
      if (hook.events.includes(event)) this.deliver(hook, event, JSON.stringify(payload), randomUUID(), 1)
    }
  }

  private deliver(hook: Webhook, event: WebhookEvent, body: string, deliveryId: string, attempt: number): void {
    const controller = new AbortController()
    this.inflight.add(controller)
    const timer = setTimeout(() => controller.abort(), this.options.timeoutMs)
    let answerRead: Promise<void> = Promise.resolve()
    // No redirects for deliveries: a 3xx is a failed delivery, like any non-2xx (a redirect could lead anywhere).
    outboundRequest(hook.url, {
      method: 'POST',
      body,
      signal: controller.signal,
      maxRedirects: 0,
      policy: this.options.policy,
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': 'Seedance-Sandbox-Webhooks/1',
        'x-seedance-event': event,
        'x-seedance-delivery': deliveryId,
        'x-seedance-attempt': String(attempt),
        'x-seedance-signature': signWebhook(body, hook.secret),
      },
    })
      .then(async (res) => {
        answerRead = discardAnswer(res.body)
        if (res.status < 200 || res.status > 299) throw new Error(`HTTP ${res.status}`)
        this.options.log?.(`webhook ${event} → ${hook.url}: delivered (attempt ${attempt})`)
      })
      .catch((error: Error) => {
        if (attempt >= this.options.maxAttempts || controller.signal.reason === 'closed') {
          this.options.log?.(`webhook ${event} → ${hook.url}: gave up after ${attempt} attempts (${error.message})`)
          return
        }
        // Backoff: base, 2×base, 4×base… (1 s, 2 s, 4 s, 8 s by default).
        const wait = this.options.retryBaseMs * 2 ** (attempt - 1)
        const retry = setTimeout(() => {
          this.timers.delete(retry)
          this.deliver(hook, event, body, deliveryId, attempt + 1)
        }, wait)
        retry.unref()
        this.timers.add(retry)
      })
      .finally(async () => {
        await answerRead
        clearTimeout(timer)
        this.inflight.delete(controller)
      })
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
    for (const c of this.inflight) c.abort('closed')
  }
}
