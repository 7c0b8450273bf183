// Runs the `seedance` command from its sources as a user would: a child process, its output collected.
import { type ChildProcess, spawn } from 'node:child_process'
import path from 'node:path'

export const repoRoot = path.resolve(import.meta.dirname, '../..')

export interface CliRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Start `seedance args…`; `input` is written to its standard input (else none); `env` is added to this one's. */
export function startCli(
  args: string[],
  { env = {}, input }: { env?: Record<string, string>; input?: string } = {},
): { child: ChildProcess; done: Promise<CliRun> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/cli/seedance.ts', ...args], {
    cwd: repoRoot,
    env: { ...process.env, CI: '', ...env },
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  })
  if (input !== undefined) child.stdin?.end(input)
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (c) => {
    stdout += c
  })
  child.stderr?.on('data', (c) => {
    stderr += c
  })
  const done = new Promise<CliRun>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  )
  return { child, done }
}
