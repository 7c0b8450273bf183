import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { type Engine, type EngineOptions, openEngine } from '../../../electron/core/engine'
import { defaultDataPaths } from '../../../electron/core/paths'
import { Keychain } from '../../../electron/core/secrets/keychain'
import type { Sandbox } from '../../../electron/sandbox/server'
import { isFinal } from '../../../electron/shared/job-states'
import type { JobRecord } from '../../../electron/shared/model'

export interface TestDirs {
  root: string
  paths: ReturnType<typeof defaultDataPaths>
  cleanup(): Promise<void>
}

export async function testDirs(): Promise<TestDirs> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'engine-'))
  const paths = defaultDataPaths({
    platform: process.platform,
    home: root,
    env: { SEEDANCE_DATA_DIR: path.join(root, 'data'), SEEDANCE_LIBRARY: path.join(root, 'videos') },
  })
  return { root, paths, cleanup: () => rm(root, { recursive: true, force: true }) }
}

/** An engine talking to a Sandbox the test runs itself, as if it were Seedance Cloud. */
export function engineFor(dirs: TestDirs, sandbox: Sandbox, extra: Partial<EngineOptions> = {}): Promise<Engine> {
  return openEngine({
    paths: dirs.paths,
    role: 'cli',
    baseUrl: sandbox.baseUrl,
    keychain: new Keychain({ env: { SEEDANCE_API_KEY: sandbox.apiKey } }),
    ...extra,
  })
}

export async function until(check: () => boolean, timeoutMs = 30_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

export const finished = (j: JobRecord | undefined) => j !== undefined && isFinal(j.state)

/** Counts the Sandbox's answers by route and status, from its request log. */
export function requestLog(): { log: (line: string) => void; count(pattern: RegExp): number; lines: string[] } {
  const lines: string[] = []
  return {
    lines,
    log: (line) => lines.push(line),
    count: (pattern) => lines.filter((l) => pattern.test(l)).length,
  }
}
