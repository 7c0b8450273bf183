// `npm run sandbox -- [options]`: the Sandbox as a standalone local service.
import { parseSandboxArgs, SANDBOX_USAGE } from './options'
import { startSandbox } from './server'

async function main(): Promise<void> {
  let options: ReturnType<typeof parseSandboxArgs>
  try {
    options = parseSandboxArgs(process.argv.slice(2))
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

void main()
