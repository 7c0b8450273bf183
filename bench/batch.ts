// Batch makespan: 12 prompts (1 s clips at 720p, so rendering is never the bottleneck) against the Sandbox
// with 2 concurrent jobs, 20 API requests per minute and 3 s generation. Lower bound: ceil(12/2) × 3 s = 18 s.
// Targets (issue 4): ratio ≤ 1.15, zero 429, at most 1.75 API requests per video.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { openEngine } from '../electron/core/engine'
import { defaultDataPaths } from '../electron/core/paths'
import { Keychain } from '../electron/core/secrets/keychain'
import { startSandbox } from '../electron/sandbox/server'
import { BATCH_SUBJECTS } from './providers'

export async function benchBatch(): Promise<void> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'bench-batch-'))
  const lines: string[] = []
  const sandbox = await startSandbox({
    genSeconds: { min: 3, max: 3 },
    requestsPerMinute: 20,
    maxConcurrentJobs: 2,
    log: (l) => lines.push(l),
  })
  const paths = defaultDataPaths({
    platform: process.platform,
    home: root,
    env: { SEEDANCE_DATA_DIR: path.join(root, 'data'), SEEDANCE_LIBRARY: path.join(root, 'videos') },
  })
  const engine = await openEngine({
    paths,
    role: 'cli',
    baseUrl: sandbox.baseUrl,
    keychain: new Keychain({ env: { SEEDANCE_API_KEY: sandbox.apiKey } }),
  })
  try {
    const requests = await Promise.all(
      BATCH_SUBJECTS.map((w, i) =>
        engine.prepare({ prompt: `${w} scene number ${i}, slow pan`, duration: 1, resolution: '720p' }),
      ),
    )
    const t0 = performance.now()
    const ids: string[] = []
    for (const r of requests) ids.push((await engine.jobs.submit(r)).id)
    await engine.jobs.whenIdle()
    const makespan = (performance.now() - t0) / 1000
    const done = ids.filter((id) => engine.jobs.get(id)?.state === 'done').length
    const api = lines.filter((l) => /^(GET|POST|DELETE) \/(api\/)?v1\//.test(l))
    const posts = api.filter((l) => l.startsWith('POST')).length
    const status = api.length - posts
    const limited = api.filter((l) => / → 429 /.test(l)).length
    console.log(
      `batch: 12 videos in ${makespan.toFixed(2)} s (lower bound 18 s, ratio ${(makespan / 18).toFixed(3)}; target ≤ 1.15), ${done}/12 done, ` +
        `${api.length} API requests = ${posts} submissions + ${status} status checks (${(api.length / 12).toFixed(2)} per video; target ≤ 1.75), ${limited} × 429 (target 0)`,
    )
  } finally {
    await engine.close()
    await sandbox.close()
    await rm(root, { recursive: true, force: true })
  }
}
