import { afterAll, beforeAll } from 'vitest'
import { SeedanceClient } from '../../electron/core/providers/seedance/client'
import type { Job } from '../../electron/core/providers/seedance/wire-types'
import type { SandboxOptions } from '../../electron/sandbox/options'
import { type Sandbox, startSandbox } from '../../electron/sandbox/server'

/** Start a Sandbox for the file's tests (fast generations, generous limits unless overridden). */
export function sandboxForTests(overrides: Partial<SandboxOptions> = {}): {
  sandbox: () => Sandbox
  client: () => SeedanceClient
} {
  let sandbox: Sandbox | undefined
  let client: SeedanceClient | undefined
  beforeAll(async () => {
    sandbox = await startSandbox({
      genSeconds: { min: 0.6, max: 0.6 },
      requestsPerMinute: 1000,
      maxConcurrentJobs: 50,
      renderWorkers: 2,
      ...overrides,
    })
    client = new SeedanceClient({
      apiKey: sandbox.apiKey,
      baseUrl: sandbox.baseUrl,
      limiter: null,
      retry: { maxAttempts: 1 },
    })
  })
  afterAll(async () => {
    await sandbox?.close()
  })
  return {
    sandbox: () => sandbox as Sandbox,
    client: () => client as SeedanceClient,
  }
}

// biome-ignore lint/suspicious/noExplicitAny: tests read raw JSON answers field by field and assert on them.
export type JsonBody = any
export type JsonResponse = Omit<Response, 'json'> & { json(): Promise<JsonBody> }

/** Raw HTTP against the Sandbox, for checking headers and shapes the client hides. */
export function api(
  sandbox: Sandbox,
  path: string,
  init: RequestInit & { json?: unknown; key?: string | null } = {},
): Promise<JsonResponse> {
  const { json, key = sandbox.apiKey, ...rest } = init
  return fetchJson(`${sandbox.origin}${path}`, {
    ...rest,
    method: rest.method ?? (json !== undefined ? 'POST' : 'GET'),
    headers: {
      ...(key !== null ? { authorization: `Bearer ${key}` } : {}),
      ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(rest.headers as Record<string, string>),
    },
    body: json !== undefined ? JSON.stringify(json) : rest.body,
  })
}

export async function waitForJob(client: SeedanceClient, jobId: string, timeoutMs = 30_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const job = await client.getJob(jobId)
    if (job.status === 'completed' || job.status === 'failed') return job
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 150))
  }
}

/** fetch, with the answer's json() typed for assertions. */
export function fetchJson(url: string | URL, init?: RequestInit): Promise<JsonResponse> {
  return fetch(url, init) as Promise<JsonResponse>
}
