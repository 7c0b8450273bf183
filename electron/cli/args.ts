// The command line, read as people type it: global options before or after the command, `--` before a
// positional that starts with a dash, and a clear message naming any option or command we do not know, with the
// closest one we do (node:util parseArgs reads the tokens; the checks and messages are ours).
import { parseArgs } from 'node:util'
import { COMMANDS, type CommandSpec, findCommand, GLOBAL_OPTIONS, type OptionSpec } from './spec'

export class UsageError extends Error {
  readonly code = 'USAGE'
}

export type Values = Record<string, string | boolean | undefined>

export type CommandLine =
  /** asked: --help, -h or `help`; otherwise the line named no command (help, and exit 2). */
  | { kind: 'help'; command: CommandSpec | null; asked: boolean }
  | { kind: 'version' }
  | {
      kind: 'run'
      command: CommandSpec
      values: Values
      positionals: string[]
      rest: string[]
      /** Every value of each string option, in order (issue 11, sweep: `--prompt A --prompt B`); `values` keeps the last. */
      lists: Record<string, string[]>
    }

const ALL_OPTIONS: Record<string, OptionSpec> = Object.assign(
  {},
  GLOBAL_OPTIONS,
  ...COMMANDS.map((c) => c.options),
) as Record<string, OptionSpec>

/** Edit distance (insertions, deletions, substitutions, adjacent swaps), for "did you mean". */
export function distance(a: string, b: string): number {
  const w = b.length + 1
  const d = new Array<number>((a.length + 1) * w).fill(0)
  const at = (i: number, j: number) => d[i * w + j] as number
  for (let i = 0; i <= a.length; i++) d[i * w] = i
  for (let j = 0; j <= b.length; j++) d[j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, at(i - 2, j - 2) + 1)
      d[i * w + j] = best
    }
  }
  return at(a.length, b.length)
}

/** The closest candidate, if one is close enough to be what was meant (a typo, or the start of the word). */
export function closest(typed: string, candidates: string[]): string | null {
  const prefixed = candidates.filter((c) => typed.length >= 3 && c.startsWith(typed))
  if (prefixed.length === 1) return prefixed[0] as string
  let best: string | null = null
  let bestDistance = Number.POSITIVE_INFINITY
  for (const c of candidates) {
    const dist = distance(typed, c)
    if (dist < bestDistance) {
      best = c
      bestDistance = dist
    }
  }
  return best !== null && bestDistance <= Math.max(1, Math.floor(typed.length / 3)) ? best : null
}

const helpHint = (command: CommandSpec | null) => (command ? `seedance ${command.name} --help` : 'seedance --help')

function unknownOption(raw: string, command: CommandSpec | null): UsageError {
  const allowed = { ...GLOBAL_OPTIONS, ...command?.options }
  const name = raw.replace(/^-+/, '')
  const where = command ? ` for "seedance ${command.name}"` : ''
  const owners = COMMANDS.filter((c) => name in c.options).map((c) => c.name)
  if (raw.startsWith('--') && owners.length > 0)
    return new UsageError(
      `${raw} is not an option${where}; it belongs to: ${owners.map((o) => `seedance ${o}`).join(', ')}. See: ${helpHint(command)}`,
    )
  const guess = raw.startsWith('--') ? closest(name, Object.keys(allowed)) : null
  return new UsageError(
    `Unknown option ${raw}${where}.${guess ? ` Did you mean --${guess}?` : ''} See: ${helpHint(command)}`,
  )
}

/** Read argv into a command and its options, or throw a UsageError that says exactly what is wrong. */
export function parseCommandLine(argv: string[]): CommandLine {
  const options = Object.fromEntries(
    Object.entries(ALL_OPTIONS).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}) }]),
  )
  const { tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true })
  let command: CommandSpec | null = null
  let commandToken = -1
  const positionals: string[] = []
  const values: Values = {}
  const lists: Record<string, string[]> = {}
  const unknown: string[] = []
  for (const [i, token] of tokens.entries()) {
    if (token.kind === 'option-terminator') continue
    if (token.kind === 'positional') {
      if (commandToken < 0) {
        commandToken = i
        command = findCommand(token.value) ?? null
        if (!command) {
          const guess = closest(
            token.value,
            COMMANDS.map((c) => c.name),
          )
          throw new UsageError(
            `Unknown command "${token.value}".${guess ? ` Did you mean "${guess}"?` : ''} See: seedance --help`,
          )
        }
        // The Sandbox reads its own options: hand it everything after its name.
        if (command.passThrough)
          return { kind: 'run', command, values, positionals: [], rest: argv.slice(token.index + 1), lists }
        continue
      }
      positionals.push(token.value)
      continue
    }
    const spec = ALL_OPTIONS[token.name]
    if (!spec || (!token.rawName.startsWith('--') && spec.short !== token.rawName.slice(1))) {
      unknown.push(token.rawName)
      continue
    }
    if (spec.type === 'string') {
      // `--image --force` is a missing value, not an image named "--force".
      if (token.value === undefined || (!token.inlineValue && token.value.startsWith('--')))
        throw new UsageError(`${token.rawName} needs a value: ${token.rawName} ${spec.value ?? 'VALUE'}`)
      values[token.name] = token.value
      lists[token.name] = [...(lists[token.name] ?? []), token.value]
    } else {
      if (token.inlineValue) throw new UsageError(`${token.rawName} takes no value.`)
      values[token.name] = true
    }
  }
  if (values.help) return { kind: 'help', command, asked: true }
  if (values.version) return { kind: 'version' }
  if (command?.name === 'help') {
    const about = positionals[0]
    if (about === undefined) return { kind: 'help', command: null, asked: true }
    const target = findCommand(about)
    if (!target) {
      const guess = closest(
        about,
        COMMANDS.map((c) => c.name),
      )
      throw new UsageError(
        `Unknown command "${about}".${guess ? ` Did you mean "${guess}"?` : ''} See: seedance --help`,
      )
    }
    return { kind: 'help', command: target, asked: true }
  }
  const first = unknown[0]
  if (first !== undefined) throw unknownOption(first, command)
  if (!command) return { kind: 'help', command: null, asked: false }
  // Options of another command are as wrong here as unknown ones.
  for (const name of Object.keys(values)) {
    if (!(name in GLOBAL_OPTIONS) && !(name in command.options)) throw unknownOption(`--${name}`, command)
  }
  return { kind: 'run', command, values, positionals, rest: [], lists }
}
