// The Sandbox in the foreground, as `npm run sandbox -- [options]` and `seedance sandbox [options]` run it.
import { parseSandboxArgs, SANDBOX_USAGE } from './options'
import { startSandbox } from './server'

/** Run the Sandbox in the foreground until SIGINT/SIGTERM (also `seedance sandbox`). */
export async function runSandbox(argv: string[]): Promise<void> {
  let options: ReturnType<typeof parseSandboxArgs>
  try {
    options = parseSandboxArgs(argv)
  } catch (error) {
    console.error(`sandbox: ${(error as Error).message}\n\n${SANDBOX_USAGE}`)
    process.exit(2)
  }
  if (options.help) {
    console.log(SANDBOX_USAGE)
    return
  }
  const log = options.quiet ? null : (line: string) => console.log(`[sandbox ${new Date().toISOString()}] ${line}`)
  const sandbox = await startSandbox({ ...options, log })
  console.log(`Seedance Sandbox listening on ${sandbox.baseUrl} (also ${sandbox.origin}/api/v1)`)
  console.log(`API key: ${sandbox.apiKey}`)
  console.log(
    `Limits: ${options.requestsPerMinute} requests/min, ${options.maxConcurrentJobs} concurrent jobs, ${options.credits} credits, generation ${options.genSeconds.min}–${options.genSeconds.max} s`,
  )
  const stop = async () => {
    await sandbox.close()
    process.exit(0)
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}
