// Runs the `seedance` main() in this process, as the shell would call it, with a keychain the test chooses
// (never the machine's) and output collected.
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { Readable } from 'node:stream'
import { afterAll } from 'vitest'
import { main } from '../../electron/cli/index'
import { Keychain, type KeytarLike } from '../../electron/core/secrets/keychain'

export interface MainRun {
  code: number
  stdout: string
  stderr: string
}

/** An empty keychain in memory: the machine's own is never read or written by these tests. */
export function memoryBackend(): KeytarLike {
  const entries = new Map<string, string>()
  return {
    getPassword: async (s, a) => entries.get(`${s}/${a}`) ?? null,
    setPassword: async (s, a, p) => void entries.set(`${s}/${a}`, p),
    deletePassword: async (s, a) => entries.delete(`${s}/${a}`),
  }
}

// Where a run that names no folders of its own keeps its data and videos: never the user's real ones.
const fallback = mkdtempSync(path.join(os.tmpdir(), 'cli-main-'))
afterAll(() => rmSync(fallback, { recursive: true, force: true }))

export async function runMain(
  args: string[],
  options: { env?: Record<string, string>; backend?: KeytarLike; stdin?: string } = {},
): Promise<MainRun> {
  let stdout = ''
  let stderr = ''
  const env = {
    SEEDANCE_API_KEY: '',
    SEEDANCE_SANDBOX_GEN_SECONDS: '1',
    // Even a main() that ignored the injected keychain would not touch the user's real entry.
    SEEDANCE_KEYCHAIN_SERVICE: `Seedance Studio CLI test ${process.pid}`,
    SEEDANCE_DATA_DIR: path.join(fallback, 'data'),
    SEEDANCE_LIBRARY: path.join(fallback, 'videos'),
    ...options.env,
  }
  const code = await main(args, {
    out: {
      write: (s: string) => {
        stdout += s
        return true
      },
    } as never,
    err: {
      write: (s: string) => {
        stderr += s
        return true
      },
    } as never,
    env,
    stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]) as never,
    keychain: new Keychain({ backend: options.backend ?? memoryBackend(), env }),
  } as never)
  return { code, stdout, stderr }
}
