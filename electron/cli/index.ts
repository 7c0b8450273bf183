// `seedance`: the command-line face of the engine (generate, batch, jobs, resume, library, sync, usage, key,
// sandbox). Ctrl-C or a kill leaves every job in the journal; `seedance resume` finishes them.
// The command table is spec.ts, the parser args.ts, the help help.ts; each command lives in commands/.
import { version } from '../../package.json'
import { EngineError } from '../core/engine'
import { KeychainError } from '../core/secrets/keychain'
import { DataFolderBusyError } from '../core/util/data-lock'
import { runSandbox } from '../sandbox/run'
import { parseCommandLine, UsageError } from './args'
import { BatchFileError } from './batch'
import { batch } from './commands/batch'
import { budget } from './commands/budget'
import { generate } from './commands/generate'
import { listJobs, resume } from './commands/jobs'
import { key } from './commands/key'
import { library, sync, usage } from './commands/library'
import { prompts } from './commands/prompts'
import { providers } from './commands/providers'
import { continueCommand, exportCommand } from './commands/sequence'
import { sweep } from './commands/sweep'
import { EXIT } from './exit-codes'
import { commandHelp, generalHelp } from './help'
import type { Io } from './session'
import { clean } from './terminal'

export { EXIT } from './exit-codes'
export type { Io } from './session'

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    const line = parseCommandLine(argv)
    if (line.kind === 'version') {
      io.out.write(`seedance ${version}\n`)
      return EXIT.ok
    }
    if (line.kind === 'help') {
      const text = `${line.command ? commandHelp(line.command) : generalHelp(version)}\n`
      if (line.asked) io.out.write(text)
      else io.err.write(text)
      return line.asked ? EXIT.ok : EXIT.usage
    }
    const { command, values, positionals } = line
    switch (command.name) {
      case 'sandbox':
        await runSandbox(line.rest)
        return new Promise(() => {}) // runs until a signal stops it
      case 'generate':
        return await generate(positionals, values, io)
      case 'batch':
        return await batch(positionals, values, io)
      case 'jobs':
        return await listJobs(values, io)
      case 'resume':
        return await resume(values, io)
      case 'library':
        return await library(positionals, values, io)
      case 'usage':
        return await usage(values, io)
      case 'sync':
        return await sync(values, io)
      case 'providers':
        return await providers(values, io)
      case 'key':
        return await key(positionals, values, io)
      // Issue 11 (sweep).
      case 'sweep':
        return await sweep(positionals, values, line.lists, io)
      case 'budget':
        return await budget(positionals, values, io)
      // Sequence (issue 11).
      case 'continue':
        return await continueCommand(positionals, values, io)
      case 'export':
        return await exportCommand(positionals, values, io)
      // Prompt history (issue 11)
      case 'prompts':
        return await prompts(positionals, values, io)
      default:
        throw new UsageError(`Unknown command "${command.name}". See: seedance --help`)
    }
  } catch (error) {
    const e = error as Error & { code?: string }
    io.err.write(`seedance: ${clean(e.message)}\n`)
    if (error instanceof UsageError || error instanceof BatchFileError || error instanceof EngineError)
      return EXIT.usage
    if (error instanceof DataFolderBusyError) return EXIT.busy
    if (error instanceof KeychainError) return EXIT.keychain
    if (e.code === 'INVALID_API_KEY') return EXIT.usage
    return EXIT.failed
  }
}
