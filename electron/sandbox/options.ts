// Sandbox options, their defaults, and the command-line form `npm run sandbox -- --port 8787 --key test-key`.
import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import type { ProviderId } from '../shared/providers'
import { isLoopbackHost } from '../shared/service-url'

export interface FaultOptions {
  /** Probability (0–1) that a job ends failed with JOB_FAILED. */
  jobFailureRate: number
  /** Probability (0–1) that an API request is answered 503 SERVICE_UNAVAILABLE. */
  unavailableRate: number
  /** Extra delay before every API answer, in milliseconds. */
  latencyMs: number
  /** Probability (0–1) that a generate request creates its job, then drops the connection unanswered. */
  dropAfterCreateRate: number
}

export interface SandboxOptions {
  host: string
  /** 0 picks a free port. */
  port: number
  apiKey: string
  credits: number
  requestsPerMinute: number
  /** Length of the rate-limit window in seconds (60: "per minute"); shorter only for tests. */
  rateWindowSeconds: number
  maxConcurrentJobs: number
  /** Generation time is drawn uniformly from this range (seconds); equal ends fix it. */
  genSeconds: { min: number; max: number }
  /** How long each issued output URL stays valid (seconds). */
  urlTtlSeconds: number
  /** How long finished files are kept after completion (seconds); then their URLs answer 410. */
  retentionSeconds: number
  faults: FaultOptions
  /** Where rendered files live; a fresh temporary folder when unset. */
  outputDir: string | null
  renderWorkers: number | null
  /** Seed for the Sandbox's own randomness (generation times, faults); random when unset. */
  seed: number
  imageFetchTimeoutMs: number
  /**
   * Let image_url and webhooks reach loopback, private and link-local addresses. Off: the Sandbox refuses them as
   * a hosted service would (a request must not make it probe this machine or its network). On only for tests.
   */
  allowPrivateUrls: boolean
  webhookRetryBaseMs: number
  webhookMaxAttempts: number
  log: ((line: string) => void) | null
  /** The Sandbox's clock (ms): tests move it to pass link lifetimes and retention without waiting them out. */
  now: () => number
  /**
   * A door's limits when not the catalog's documented ones (shared/providers.ts `rate`): tests show Ark's "queue
   * full" with a queue of 2 instead of rendering 120 videos. Absent: the documented figures.
   */
  doorLimits: Partial<Record<ProviderId, DoorLimits>>
}

export interface DoorLimits {
  requestsPerMinute?: number
  /** Jobs running at once; more wait in the door's queue. */
  concurrency?: number
  /** Jobs waiting in the queue before creates are refused. */
  queueLimit?: number
}

/** What the errors suggest; which hosts are loopback is isLoopbackHost's rule (electron/shared/service-url.ts). */
const LOOPBACK_EXAMPLES = '127.0.0.1, ::1 or localhost'

/**
 * SEEDANCE_SANDBOX_GEN_SECONDS: how long the built-in Sandbox takes per video, for the app and the CLI alike
 * (demos, tests); 0 makes jobs finish at once. Anything else leaves the default (30–90 s, like the service).
 */
export function genSecondsFromEnv(value: string | undefined): Pick<Partial<SandboxOptions>, 'genSeconds'> {
  const seconds = Number(value)
  return value && Number.isFinite(seconds) && seconds >= 0 ? { genSeconds: { min: seconds, max: seconds } } : {}
}

export function defaultSandboxOptions(): SandboxOptions {
  return {
    host: '127.0.0.1',
    port: 0,
    apiKey: `sbx_${randomBytes(18).toString('base64url')}`,
    credits: 100_000,
    requestsPerMinute: 10,
    rateWindowSeconds: 60,
    maxConcurrentJobs: 2,
    genSeconds: { min: 30, max: 90 },
    urlTtlSeconds: 24 * 3600,
    retentionSeconds: 24 * 3600,
    faults: { jobFailureRate: 0, unavailableRate: 0, latencyMs: 0, dropAfterCreateRate: 0 },
    outputDir: null,
    renderWorkers: null,
    seed: randomBytes(4).readUInt32LE(0),
    imageFetchTimeoutMs: 10_000,
    allowPrivateUrls: false,
    webhookRetryBaseMs: 1000,
    webhookMaxAttempts: 5,
    log: null,
    now: () => Date.now(),
    doorLimits: {},
  }
}

export const SANDBOX_USAGE = `Usage: npm run sandbox -- [options]

  --port N                 port on 127.0.0.1 (default: a free port)
  --host H                 127.0.0.1, ::1 or localhost (loopback only)
  --key K                  API key clients must send as "Authorization: Bearer K" (default: random, printed)
  --credits N              starting credit balance (default 100000)
  --rpm N                  API requests per minute per key (default 10)
  --rate-window S          length of the rate-limit window in seconds (default 60; shorter for tests)
  --concurrency N          concurrent jobs per key (default 2)
  --gen-seconds S|MIN-MAX  generation time (default 30-90)
  --url-ttl S              validity of each issued video/thumbnail URL in seconds (default 86400)
  --retention S            seconds finished files are kept (default 86400)
  --fail-rate P            probability a job fails with JOB_FAILED (default 0)
  --unavailable-rate P     probability a request gets 503 SERVICE_UNAVAILABLE (default 0)
  --latency-ms N           delay added to every API answer (default 0)
  --drop-rate P            probability a generate request creates its job but drops the connection (default 0)
  --output-dir DIR         where rendered files are kept (default: a temporary folder)
  --workers N              render worker threads (default: CPU count, at most 4)
  --seed N                 seed for generation times and faults (default: random)
  --allow-private-urls     let image_url and webhooks reach loopback/private addresses (tests; default off)
  --quiet                  do not log requests
  --help                   show this help`

function num(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isFinite(n) || n < min || n > max)
    throw new Error(`--${name} must be a number from ${min} to ${max} (got "${value}")`)
  return n
}

/** Parse `npm run sandbox` arguments over the defaults. Throws with a clear message on bad input. */
export function parseSandboxArgs(
  argv: string[],
  base = defaultSandboxOptions(),
): SandboxOptions & { help: boolean; quiet: boolean } {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      key: { type: 'string' },
      credits: { type: 'string' },
      rpm: { type: 'string' },
      'rate-window': { type: 'string' },
      concurrency: { type: 'string' },
      'gen-seconds': { type: 'string' },
      'url-ttl': { type: 'string' },
      retention: { type: 'string' },
      'fail-rate': { type: 'string' },
      'unavailable-rate': { type: 'string' },
      'latency-ms': { type: 'string' },
      'drop-rate': { type: 'string' },
      'output-dir': { type: 'string' },
      workers: { type: 'string' },
      seed: { type: 'string' },
      'allow-private-urls': { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  })
  const o = { ...base, faults: { ...base.faults }, help: values.help ?? false, quiet: values.quiet ?? false }
  if (values.host !== undefined) {
    if (!isLoopbackHost(values.host)) {
      throw new Error(
        `--host must be a loopback address (${LOOPBACK_EXAMPLES}); the Sandbox never listens beyond this machine`,
      )
    }
    o.host = values.host
  }
  o.port = num('port', values.port, 0, 65535) ?? o.port
  if (values.key !== undefined) {
    if (!/^[\x21-\x7e]{4,200}$/.test(values.key))
      throw new Error('--key must be 4–200 printable characters without spaces')
    o.apiKey = values.key
  }
  o.credits = num('credits', values.credits, 0, 1e12) ?? o.credits
  o.requestsPerMinute = num('rpm', values.rpm, 1, 100_000) ?? o.requestsPerMinute
  o.rateWindowSeconds = num('rate-window', values['rate-window'], 1, 3600) ?? o.rateWindowSeconds
  o.maxConcurrentJobs = num('concurrency', values.concurrency, 1, 1000) ?? o.maxConcurrentJobs
  if (values['gen-seconds'] !== undefined) {
    const m = /^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?$/.exec(values['gen-seconds'])
    const min = Number(m?.[1])
    const max = Number(m?.[2] ?? m?.[1])
    if (!m || min > max || max > 3600) throw new Error('--gen-seconds must be S or MIN-MAX seconds (at most 3600)')
    o.genSeconds = { min, max }
  }
  o.urlTtlSeconds = num('url-ttl', values['url-ttl'], 1, 30 * 86400) ?? o.urlTtlSeconds
  o.retentionSeconds = num('retention', values.retention, 1, 365 * 86400) ?? o.retentionSeconds
  o.faults.jobFailureRate = num('fail-rate', values['fail-rate'], 0, 1) ?? o.faults.jobFailureRate
  o.faults.unavailableRate = num('unavailable-rate', values['unavailable-rate'], 0, 1) ?? o.faults.unavailableRate
  o.faults.latencyMs = num('latency-ms', values['latency-ms'], 0, 120_000) ?? o.faults.latencyMs
  o.faults.dropAfterCreateRate = num('drop-rate', values['drop-rate'], 0, 1) ?? o.faults.dropAfterCreateRate
  o.outputDir = values['output-dir'] ?? o.outputDir
  o.renderWorkers = num('workers', values.workers, 1, 64) ?? o.renderWorkers
  o.seed = num('seed', values.seed, 0, 2 ** 32 - 1) ?? o.seed
  if (values['allow-private-urls']) o.allowPrivateUrls = true
  return o
}
