// What the Sandbox's Ark door shares between its routes: Ark's error answers, its per-Sandbox state, its limits and
// its model list (the catalog's Ark models, by either region's id). Sources: providers.md A1–A5.
import type http from 'node:http'
import { type ModelInfo, providerInfo } from '../../../shared/providers'
import type { FixedWindowLimiter } from '../../rate-limit'
import type { DoorAnswer, DoorContext } from '../door'

/** Ark's error envelope: {"error":{"code","message","param","type"}} (错误码.md). */
export class ArkFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message)
  }

  answer(): DoorAnswer {
    const type =
      this.status === 401
        ? 'Unauthorized'
        : this.status === 403
          ? 'Forbidden'
          : this.status === 404
            ? 'NotFound'
            : this.status === 429
              ? 'TooManyRequests'
              : this.status >= 500
                ? 'InternalServerError'
                : 'BadRequest'
    return {
      status: this.status,
      body: { error: { code: this.code, message: this.message, param: this.param ?? '', type } },
    }
  }
}

export const invalid = (param: string, message: string) => new ArkFailure(400, 'InvalidParameter', message, param)
export const missing = (param: string) =>
  new ArkFailure(
    400,
    'MissingParameter',
    `The request failed because it is missing one or more required parameters: ${param}.`,
    param,
  )

/** What the door keeps about a task besides the job store's record. */
export interface TaskMeta {
  /** The model id as the client sent it (either region's form): echoed back. */
  model: string
  seed: number
  /** The concrete ratio rendered (`adaptive` resolved against the image). */
  ratio: string
  generateAudio: boolean | null
  serviceTier: 'default' | 'flex'
  expiresAfterSeconds: number
  /** A failure the door decided (output moderation, an injected fault), in Ark's words. */
  failure: { code: string; message: string } | null
  cancelledAt: number | null
}

export interface ArkState {
  limiter: FixedWindowLimiter
  tasks: Map<string, TaskMeta>
  limits: { requestsPerMinute: number; concurrency: number; queueLimit: number }
}

// One state per Sandbox (its door context), never module-wide: tests start many Sandboxes in one process.
const states = new WeakMap<DoorContext, ArkState>()

export function arkState(ctx: DoorContext): ArkState {
  let state = states.get(ctx)
  if (!state) {
    const rate = providerInfo('ark').rate
    const own = ctx.options.doorLimits?.ark ?? {}
    const limits = {
      requestsPerMinute: own.requestsPerMinute ?? rate.requestsPerMinute,
      concurrency: own.concurrency ?? rate.concurrency ?? 10,
      queueLimit: own.queueLimit ?? rate.queueLimit ?? 120,
    }
    state = { limiter: ctx.limiter(limits.requestsPerMinute), tasks: new Map(), limits }
    states.set(ctx, state)
  }
  return state
}

/** The catalog's Ark model a request names: BytePlus ids, or Volcengine's `doubao-` form of them (A5). */
export function arkModel(id: string): ModelInfo | null {
  const bare = id.replace(/^doubao-/, '')
  return (
    providerInfo('ark').models.find(
      (m) => m.id === id || (id.startsWith('doubao-') && m.id.replace(/^dreamina-/, '') === bare),
    ) ?? null
  )
}

export function bearer(req: http.IncomingMessage): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')
  return m ? (m[1] as string) : null
}

/** Task records are kept 7 days (A4); a cancelled one is deleted after 24 h (取消或删除视频生成任务). */
export const RECORD_DAYS_MS = 7 * 24 * 3600 * 1000
export const CANCELLED_KEPT_MS = 24 * 3600 * 1000
/** A4: output links live 24 h from the task's completion. */
export const LINK_SECONDS = 24 * 3600

/**
 * A documented trigger for the app's content-policy path (README: Sandbox › BytePlus ModelArk): a prompt holding
 * this word is accepted, runs, and fails with Ark's output moderation code, as a real output refusal arrives
 * (asynchronously, status failed: providers.md A3).
 */
export const OUTPUT_POLICY_TRIGGER = 'output-policy-test'
