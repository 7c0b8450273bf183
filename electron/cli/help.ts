// Help text, made from the command table (spec.ts) and the exit codes, so it cannot drift from what is parsed.
import { PROVIDERS } from '../shared/providers'
import { EXIT_MEANINGS } from './exit-codes'
import { COMMANDS, type CommandSpec, GLOBAL_OPTIONS, type OptionSpec } from './spec'

const flags = (name: string, o: OptionSpec) =>
  `${o.short ? `-${o.short}, ` : ''}--${name}${o.value ? ` ${o.value}` : ''}`

/** Options in two columns; `width` lines up several lists. */
function optionLines(options: Record<string, OptionSpec>, width = columnWidth(options)): string[] {
  return Object.entries(options).map(([name, o]) => `  ${flags(name, o).padEnd(width)}${o.help}`)
}

function columnWidth(...lists: Record<string, OptionSpec>[]): number {
  return Math.max(...lists.flatMap((l) => Object.entries(l).map(([name, o]) => flags(name, o).length))) + 2
}

function usageLine(c: CommandSpec): string {
  const hasOptions = Object.keys(c.options).length > 0
  return `seedance ${c.name}${c.args ? ` ${c.args}` : ''}${hasOptions ? ' [options]' : ''}`
}

export function generalHelp(version: string): string {
  const width = Math.max(...COMMANDS.map((c) => `${c.name} ${c.args}`.length)) + 2
  return [
    `seedance ${version}: make short AI videos with Seedance models (the guide's API, BytePlus ModelArk, fal or Replicate), or the built-in Sandbox when no key is set.`,
    '',
    'Usage: seedance <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${`${c.name} ${c.args}`.padEnd(width)}${c.summary}`),
    '',
    'Global options (before or after the command):',
    ...optionLines(GLOBAL_OPTIONS),
    '',
    `Each provider's own variable overrides its key in the system keychain, for that provider only: ${PROVIDERS.map((p) => `${p.keyEnv} (${p.id})`).join(', ')}.`,
    '',
    'Exit codes:',
    ...EXIT_MEANINGS.map(([code, meaning]) => `  ${String(code).padStart(3)}  ${meaning}`),
    '',
    'More: seedance help <command>',
  ].join('\n')
}

export function commandHelp(c: CommandSpec): string {
  const width = columnWidth(c.options, GLOBAL_OPTIONS)
  const own = Object.keys(c.options).length > 0 ? ['', 'Options:', ...optionLines(c.options, width)] : []
  return [
    `Usage: ${usageLine(c)}`,
    '',
    `${c.summary[0]?.toUpperCase()}${c.summary.slice(1)}.`,
    ...(c.details ? ['', ...c.details] : []),
    ...own,
    '',
    'Global options:',
    ...optionLines(GLOBAL_OPTIONS, width),
  ].join('\n')
}
