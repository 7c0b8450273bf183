// Issue 9, point 10: the command line as people use it (help, version, options anywhere, clear mistakes).
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pkg from '../../package.json'
import { runMain } from './run-main'

let tmp: string
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'cli-usage-'))
})
afterAll(() => rm(tmp, { recursive: true, force: true }))

describe('seedance help and version', () => {
  it.each([['--help'], ['-h'], ['help']])('%s prints the general help on stdout and exits 0', async (flag) => {
    const r = await runMain([flag])
    expect(r.code).toBe(0)
    expect(r.stderr).toBe('')
    for (const command of ['generate', 'batch', 'jobs', 'resume', 'library', 'sync', 'usage', 'key', 'sandbox'])
      expect(r.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'))
    expect(r.stdout).toContain('Exit codes:')
  })

  it.each([[['help', 'generate']], [['generate', '--help']], [['generate', '-h']], [['--help', 'generate']]])(
    '%j prints the help of generate, not the general one',
    async (args) => {
      const r = await runMain(args)
      expect(r.code).toBe(0)
      expect(r.stdout).toMatch(/^Usage: seedance generate <prompt> \[options\]/)
      expect(r.stdout).toContain('--image FILE')
      expect(r.stdout).toContain('--base-url URL') // the global options are listed too
      expect(r.stdout).not.toContain('batch <file.csv>')
    },
  )

  it('help batch names the columns and the title rule', async () => {
    const r = await runMain(['help', 'batch'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('--results FILE')
    expect(r.stdout).toContain('up to 200 characters')
  })

  it('--version prints the app version from package.json', async () => {
    const r = await runMain(['--version'])
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`seedance ${pkg.version}\n`)
  })

  it('no command at all prints the help on stderr and exits 2', async () => {
    const r = await runMain([])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('Usage: seedance <command>')
  })
})

describe('seedance options', () => {
  it('takes global options before the command as well as after it', async () => {
    const dirs = ['--data-dir', path.join(tmp, 'before', 'data'), '--library', path.join(tmp, 'before', 'videos')]
    const before = await runMain([...dirs, '--sandbox', 'jobs'])
    expect(before.code).toBe(0)
    expect(before.stdout).toBe('No jobs yet.\n')
    const after = await runMain(['jobs', '--sandbox', ...dirs])
    expect(after.code).toBe(0)
    expect(after.stdout).toBe('No jobs yet.\n')
  })

  it('names an unknown option, suggests the closest and points to --help (exit 2)', async () => {
    const r = await runMain(['generate', 'a lake', '--duraton', '2'])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(
      'seedance: Unknown option --duraton for "seedance generate". Did you mean --duration? See: seedance generate --help\n',
    )
    expect(r.stderr).not.toContain('positional argument') // Node's raw parser message
  })

  it('says which command an option belongs to', async () => {
    const r = await runMain(['generate', 'a lake', '--results', 'out.csv'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(
      '--results is not an option for "seedance generate"; it belongs to: seedance batch, seedance sweep.',
    )
  })

  it('suggests the closest command', async () => {
    const r = await runMain(['genrate', 'a lake'])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('seedance: Unknown command "genrate". Did you mean "generate"? See: seedance --help\n')
  })

  it('refuses an option without its value, and a value for a flag', async () => {
    const missing = await runMain(['generate', 'a lake', '--image'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('--image needs a value: --image FILE')
    const swallowed = await runMain(['generate', 'a lake', '--image', '--force'])
    expect(swallowed.code).toBe(2)
    expect(swallowed.stderr).toContain('--image needs a value')
    const flag = await runMain(['generate', 'a lake', '--force=yes'])
    expect(flag.code).toBe(2)
    expect(flag.stderr).toContain('--force takes no value')
  })

  it('refuses --motion without --image instead of ignoring it (exit 2)', async () => {
    const r = await runMain(['generate', 'a lake', '--motion', '0.4'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--motion applies only to image-to-video')
  })

  it('takes a prompt that starts with a dash after --', async () => {
    const dirs = ['--data-dir', path.join(tmp, 'dash', 'data'), '--library', path.join(tmp, 'dash', 'videos')]
    const r = await runMain(['generate', '--duration', '12', '--sandbox', ...dirs, '--', '-dash prompt'])
    // The prompt was taken (the duration is what is refused), not read as an option.
    expect(r.stderr).toContain('Duration must be a whole number')
    expect(r.code).toBe(2)
  })
})
