// Whether the service answers at all. The CLI hands the engine a fetch that notes every answer and every failure
// to get one; when nothing but failures has come back for the whole bound (default 2 minutes), the run gives up
// (exit 6) instead of retrying for ever. Jobs stay in the journal and resume on the next run (issue 9).
// Any answer counts, an error status included: a service that says 500 is reachable.
import { UsageError } from './args'

/** Time, injected so tests drive it. */
export interface Timer {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export const realTimer: Timer = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
}

export const DEFAULT_UNREACHABLE_MS = 120_000

export interface Unreachable {
  /** The host that never answered. */
  host: string
  /** The last failure's cause, e.g. ECONNREFUSED, ENOTFOUND, or "no answer" for a timeout. */
  cause: string
  /** How long nothing but failures came back. */
  forMs: number
}

export interface Reachability {
  /** The fetch to give the engine. */
  fetch: typeof fetch
  /** Resolves once the service has not answered for the whole bound; never while it answers. */
  readonly gaveUp: Promise<Unreachable>
  stop(): void
}

function causeOf(error: unknown): string {
  const e = error as { name?: string; code?: string; cause?: { code?: string; name?: string } }
  if (e?.name === 'AbortError' || e?.cause?.name === 'AbortError') return 'no answer'
  return e?.cause?.code ?? e?.code ?? 'no connection'
}

export function watchReachability(options: {
  fetch: typeof fetch
  boundMs: number
  timer?: Timer
  /** Told once each time the service stops answering (not at every failed retry). */
  onFailing?: (what: Omit<Unreachable, 'forMs'>) => void
}): Reachability {
  const timer = options.timer ?? realTimer
  let failingSince: number | null = null
  let handle: unknown = null
  let last: Omit<Unreachable, 'forMs'> = { host: '', cause: '' }
  let stopped = false
  let resolveGaveUp: (u: Unreachable) => void = () => {}
  const gaveUp = new Promise<Unreachable>((resolve) => {
    resolveGaveUp = resolve
  })
  const check = () => {
    handle = null
    if (stopped || failingSince === null) return
    const forMs = timer.now() - failingSince
    if (forMs >= options.boundMs) resolveGaveUp({ ...last, forMs })
    else handle = timer.setTimeout(check, options.boundMs - forMs)
  }
  const answered = () => {
    failingSince = null
    if (handle !== null) timer.clearTimeout(handle)
    handle = null
  }
  const failed = (url: string, error: unknown) => {
    last = { host: hostOf(url), cause: causeOf(error) }
    if (failingSince !== null) return
    failingSince = timer.now()
    handle = timer.setTimeout(check, options.boundMs)
    options.onFailing?.(last)
  }
  const wrapped: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
    try {
      const response = await options.fetch(input, init)
      answered()
      return response
    } catch (error) {
      if (!stopped) failed(url, error)
      throw error
    }
  }
  return {
    fetch: wrapped,
    gaveUp,
    stop() {
      stopped = true
      if (handle !== null) timer.clearTimeout(handle)
    },
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return 'the service'
  }
}

/** The bound, from --unreachable-timeout or SEEDANCE_UNREACHABLE_TIMEOUT (seconds). */
export function unreachableBoundMs(option: string | undefined, env: string | undefined): number {
  const raw = option ?? env
  if (raw === undefined || raw.trim() === '') return DEFAULT_UNREACHABLE_MS
  const seconds = Number(raw)
  if (!Number.isFinite(seconds) || seconds < 0)
    throw new UsageError(`--unreachable-timeout must be a number of seconds, 0 or more (got "${raw}").`)
  return seconds * 1000
}
