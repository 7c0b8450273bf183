// `seedance key set|clear|status [--provider ID]`: a provider's API key in the system keychain (one entry per
// provider; default: the guide's API, `seedance`). `set` reads it from standard input so it stays out of shell
// history; it is never printed, only its last four characters.
import { EngineError } from '../../core/engine'
import { bindStoredKey } from '../../core/settings/key-binding'
import { type ProviderId, providerInfo } from '../../shared/providers'
import { SERVICE_URL_ERROR, serviceUrlProblem } from '../../shared/service-url'
import { UsageError, type Values } from '../args'
import { EXIT } from '../exit-codes'
import { chosenDoor, dataPathsFor, type Io, keychainFor } from '../session'

async function readStdin(stdin: Io['stdin']): Promise<string> {
  let text = ''
  for await (const chunk of stdin) text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
  return text.trim()
}

export async function key(positionals: string[], values: Values, io: Io): Promise<number> {
  const [action, extra] = positionals
  if (extra !== undefined) throw new UsageError('key takes one action: seedance key set|clear|status')
  const keychain = keychainFor(io)
  // --provider (or SEEDANCE_PROVIDER) names whose key; without it, the guide's API's as before issue 10.
  const provider: ProviderId = chosenDoor(values, io).provider ?? 'seedance'
  const { label, keyEnv, baseUrlEnv } = providerInfo(provider)
  if (action === 'status') {
    const s = await keychain.status(provider)
    io.out.write(
      s.hasKey
        ? `A ${label} key ending in …${s.last4} is set (${s.source === 'environment' ? `from ${keyEnv}` : 'in the system keychain'}).\n`
        : `No ${label} key is set; its jobs go to the built-in Sandbox.\n`,
    )
    return EXIT.ok
  }
  if (action === 'clear') {
    io.out.write(
      (await keychain.delete(provider))
        ? `Removed the ${label} key from the system keychain.\n`
        : `There was no ${label} key in the system keychain.\n`,
    )
    return EXIT.ok
  }
  if (action === 'set') {
    // The key is bound to the origin of this provider's base URL in effect (issue 9): checked before anything is stored.
    const baseUrl = (values['base-url'] as string | undefined) ?? io.env[baseUrlEnv]
    const problem = baseUrl === undefined ? null : serviceUrlProblem(baseUrl)
    if (problem) throw new EngineError(SERVICE_URL_ERROR.invalid, `--base-url ${baseUrl}: ${problem}`)
    if (io.stdin.isTTY) io.err.write(`Paste your ${label} API key, then press Enter and Ctrl-D: `)
    const s = await keychain.set(provider, await readStdin(io.stdin))
    const paths = dataPathsFor(values, io)
    const origin = await bindStoredKey(paths.settingsFile, paths.library, provider, baseUrl)
    io.out.write(`Saved the ${label} key ending in …${s.last4} to the system keychain, for ${origin} only.\n`)
    return EXIT.ok
  }
  throw new UsageError(
    action === undefined
      ? 'key needs an action: seedance key set|clear|status'
      : `Unknown key action "${action}": use seedance key set|clear|status`,
  )
}
