// `seedance`: the command-line face of the engine (generate, batch, jobs, library, usage, sandbox, key).
// Ctrl-C or a kill leaves every job in the journal; the next run picks them up.
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { type Engine, EngineError, openEngine } from '../core/engine'
import { fingerprint } from '../core/library/fingerprint'
import { defaultDataPaths } from '../core/paths'
import { Keychain, KeychainError } from '../core/secrets/keychain'
import { bindStoredKey } from '../core/settings/key-binding'
import { DataFolderBusyError } from '../core/util/data-lock'
import { runSandbox } from '../sandbox/run'
import type { JobRecord } from '../shared/model'
import { SERVICE_URL_ERROR, serviceUrlProblem } from '../shared/service-url'
import { BatchFileError, type BatchResult, formatResults, readBatch } from './batch'
import { createProgress } from './progress'

export const EXIT = { ok: 0, failed: 1, usage: 2, refused: 3, busy: 4, keychain: 5, interrupted: 130 } as const

const HELP = `seedance: make short AI videos with the Seedance API, or the built-in Sandbox when no key is set.

Usage:
  seedance generate <prompt> [--image F] [--duration N] [--resolution 720p|1080p] [--aspect 16:9|9:16|1:1]
                             [--style S] [--motion 0-1] [--force]
  seedance batch <file.csv> [--results out.csv]
  seedance jobs [--json]
  seedance library [--search Q] [--json] [--rescan]
  seedance sync                           (import finished jobs from your account that are not in the library)
  seedance usage [--json]
  seedance sandbox [sandbox options]      (see: seedance sandbox --help)
  seedance key set|clear|status           (set reads the key from standard input)

Options:
  --base-url URL   Seedance API base URL (env SEEDANCE_BASE_URL; default https://api.seedance.tv/v1)
  --library DIR    library folder (env SEEDANCE_LIBRARY)
  --data-dir DIR   data folder for settings, journal and logs (env SEEDANCE_DATA_DIR)
  --sandbox        use an in-process Sandbox (the default when no API key is set)
  SEEDANCE_API_KEY overrides the key in the system keychain.

Exit codes: 0 done, 1 a job failed, 2 bad usage or input, 3 key rejected or out of credits,
            4 data folder in use, 5 keychain unavailable, 130 interrupted (jobs resume on the next run).`

interface Io {
  out: NodeJS.WriteStream
  err: NodeJS.WriteStream
  env: Record<string, string | undefined>
  stdin: NodeJS.ReadStream
}

class UsageError extends Error {}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      image: { type: 'string' },
      duration: { type: 'string' },
      resolution: { type: 'string' },
      aspect: { type: 'string' },
      style: { type: 'string' },
      motion: { type: 'string' },
      force: { type: 'boolean' },
      results: { type: 'string' },
      search: { type: 'string' },
      json: { type: 'boolean' },
      rescan: { type: 'boolean' },
      'base-url': { type: 'string' },
      library: { type: 'string' },
      'data-dir': { type: 'string' },
      sandbox: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  })
}

type Values = ReturnType<typeof parse>['values']

function number(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isFinite(n)) throw new UsageError(`--${name} must be a number (got "${value}").`)
  return n
}

function dataPaths(values: Values, io: Io) {
  const env = { ...io.env, ...(values['data-dir'] ? { SEEDANCE_DATA_DIR: values['data-dir'] } : {}) }
  return defaultDataPaths({ platform: process.platform, home: os.homedir(), env })
}

async function withEngine<T>(values: Values, io: Io, work: (engine: Engine) => Promise<T>): Promise<T> {
  const paths = dataPaths(values, io)
  const engine = await openEngine({
    paths,
    role: 'cli',
    sandbox: values.sandbox ? 'always' : 'auto',
    baseUrl: values['base-url'] ?? io.env.SEEDANCE_BASE_URL,
    libraryDir: values.library ?? io.env.SEEDANCE_LIBRARY,
    keychain: new Keychain({ env: io.env }),
    sandboxOptions: io.env.SEEDANCE_SANDBOX_GEN_SECONDS
      ? {
          genSeconds: {
            min: Number(io.env.SEEDANCE_SANDBOX_GEN_SECONDS),
            max: Number(io.env.SEEDANCE_SANDBOX_GEN_SECONDS),
          },
        }
      : {},
  })
  if (engine.connection.reason) io.err.write(`${engine.connection.reason}\n`)
  let interrupted = false
  const onSignal = () => {
    if (interrupted) return
    interrupted = true
    io.err.write('\nStopping. Unfinished jobs are saved and resume on the next run.\n')
    void engine.close().finally(() => process.exit(EXIT.interrupted))
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  // The engine's timers do not hold the process open (the app must be able to quit): the CLI does, while it works.
  const keepAlive = setInterval(() => {}, 60_000)
  try {
    return await work(engine)
  } finally {
    clearInterval(keepAlive)
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    if (!interrupted) await engine.close()
  }
}

function pausedExit(engine: Engine, io: Io): number | null {
  const p = engine.jobs.paused
  if (!p) return null
  io.err.write(
    `${p.message}\n${p.code === 'INVALID_API_KEY' ? 'Set a valid key with: seedance key set' : 'Add credits to your account, then run again.'}\n`,
  )
  return EXIT.refused
}

async function generate(prompt: string | undefined, values: Values, io: Io): Promise<number> {
  if (!prompt?.trim()) throw new UsageError('generate needs a prompt: seedance generate "a quiet lake at dawn"')
  return withEngine(values, io, async (engine) => {
    const request = await engine.prepare({
      prompt,
      imagePath: values.image ? path.resolve(values.image) : null,
      duration: number(values.duration, 'duration'),
      resolution: values.resolution as never,
      aspectRatio: (values.aspect ?? null) as never,
      style: values.style ?? null,
      motionIntensity: number(values.motion, 'motion') ?? null,
    })
    const existing = engine.library.findByFingerprint(fingerprint(request))
    if (existing && !values.force) {
      io.err.write(
        `You already made this on ${new Date(existing.createdAt).toLocaleString()}; not spending credits again (use --force to generate anew).\n`,
      )
      io.out.write(`${engine.library.videoPath(existing)}\n`)
      return EXIT.ok
    }
    const job = await engine.jobs.submit(request)
    const progress = createProgress(io.err, () => 'video', Date.now)
    const off = engine.jobs.onChange((j) => {
      if (j.id === job.id) progress.update(j)
    })
    const paused = await engine.jobs.whenIdle((j) => j.id === job.id)
    off()
    progress.stop()
    if (paused) return pausedExit(engine, io) ?? EXIT.refused
    const done = engine.jobs.get(job.id) as JobRecord
    const entry = done.videoId ? engine.library.get(done.videoId) : undefined
    if (done.state !== 'done' || !entry) {
      io.err.write(`Failed: ${done.error?.code ?? done.state}: ${done.error?.message ?? ''}\n`)
      return EXIT.failed
    }
    io.out.write(`${engine.library.videoPath(entry)}\n`)
    return EXIT.ok
  })
}

async function batch(file: string | undefined, values: Values, io: Io): Promise<number> {
  if (!file) throw new UsageError('batch needs a CSV file: seedance batch prompts.csv')
  const rows = await readBatch(file)
  const source = path.resolve(file)
  return withEngine(values, io, async (engine) => {
    const results = new Map<string, BatchResult>()
    const mine = new Map<string, string>() // job id → row id
    for (const job of engine.jobs.list()) {
      if (job.batch?.file === source) mine.set(job.id, job.batch.row)
    }
    for (const row of rows) {
      const base: BatchResult = { id: row.id, status: 'pending', video: '', job_id: '', error: '' }
      let request: Awaited<ReturnType<Engine['prepare']>>
      try {
        request = await engine.prepare(row.input)
      } catch (error) {
        results.set(row.id, { ...base, status: 'invalid', error: `line ${row.line}: ${(error as Error).message}` })
        continue
      }
      // A row already running from an earlier (interrupted) run is resumed, not submitted again.
      const earlier = engine.jobs
        .list()
        .find(
          (j) =>
            j.batch?.file === source &&
            j.batch.row === row.id &&
            j.fingerprint === fingerprint(request) &&
            j.state !== 'failed' &&
            j.state !== 'cancelled',
        )
      const existing = engine.library.findByFingerprint(fingerprint(request))
      if (existing && !(earlier && earlier.state !== 'done')) {
        results.set(row.id, {
          ...base,
          status: 'exists',
          video: engine.library.videoPath(existing),
          job_id: existing.remoteId ?? '',
        })
        continue
      }
      if (earlier) {
        mine.set(earlier.id, row.id)
        results.set(row.id, base)
        continue
      }
      const job = await engine.jobs.submit(request, { file: source, row: row.id })
      mine.set(job.id, row.id)
      results.set(row.id, base)
    }
    const active = new Set(
      [...mine.entries()].filter(([, row]) => results.get(row)?.status === 'pending').map(([id]) => id),
    )
    const progress = createProgress(io.err, (j) => `row ${j.batch?.row ?? '?'}`, Date.now)
    const off = engine.jobs.onChange((j) => {
      if (active.has(j.id)) progress.update(j)
    })
    for (const id of active) {
      const j = engine.jobs.get(id)
      if (j) progress.update(j)
    }
    const paused = await engine.jobs.whenIdle((j) => active.has(j.id))
    off()
    progress.stop()
    for (const id of active) {
      const job = engine.jobs.get(id) as JobRecord
      const row = mine.get(id) as string
      const entry = job.videoId ? engine.library.get(job.videoId) : undefined
      const title = rows.find((r) => r.id === row)?.title
      if (entry && title && entry.title !== title && job.state === 'done') await engine.library.rename(entry.id, title)
      results.set(row, {
        id: row,
        status:
          job.state === 'done'
            ? 'done'
            : job.state === 'failed'
              ? 'failed'
              : job.state === 'cancelled'
                ? 'cancelled'
                : 'pending',
        video: entry && !entry.expired ? engine.library.videoPath(entry) : '',
        job_id: job.remoteId ?? '',
        error: job.error ? `${job.error.code}: ${job.error.message}` : (job.note ?? ''),
      })
    }
    const ordered = rows.map((r) => results.get(r.id) as BatchResult)
    const csv = formatResults(ordered)
    if (values.results) {
      const { writeFileAtomic } = await import('../core/util/atomic-write')
      await writeFileAtomic(path.resolve(values.results), csv)
    } else io.out.write(csv)
    const counts: Record<string, number> = {}
    for (const r of ordered) counts[r.status] = (counts[r.status] ?? 0) + 1
    io.err.write(
      `${Object.entries(counts)
        .map(([s, n]) => `${n} ${s}`)
        .join(', ')}\n`,
    )
    if (paused) return pausedExit(engine, io) ?? EXIT.refused
    return ordered.some((r) => r.status === 'failed' || r.status === 'invalid') ? EXIT.failed : EXIT.ok
  })
}

async function listJobs(values: Values, io: Io): Promise<number> {
  return withEngine({ ...values, sandbox: values.sandbox }, io, async (engine) => {
    const jobs = engine.jobs.list()
    if (values.json) io.out.write(`${JSON.stringify(jobs, null, 2)}\n`)
    else if (jobs.length === 0) io.out.write('No jobs yet.\n')
    else
      for (const j of jobs)
        io.out.write(
          `${new Date(j.createdAt).toISOString().slice(0, 16)}  ${j.state.padEnd(15)} ${j.request.prompt.slice(0, 50).padEnd(50)} ${j.error ? `${j.error.code}` : ''}\n`,
        )
    return EXIT.ok
  })
}

async function library(values: Values, io: Io): Promise<number> {
  return withEngine(values, io, async (engine) => {
    if (values.rescan) {
      const r = await engine.library.rescan()
      io.err.write(`Rescanned: ${r.added} added, ${r.removed} removed.\n`)
    }
    const { items, total } = engine.library.query({ search: values.search })
    if (values.json)
      io.out.write(
        `${JSON.stringify(
          items.map((e) => ({ ...e, path: engine.library.videoPath(e) })),
          null,
          2,
        )}\n`,
      )
    else {
      for (const e of items)
        io.out.write(
          `${new Date(e.createdAt).toISOString().slice(0, 10)}  ${`${e.duration}s ${e.resolution} ${e.aspectRatio}`.padEnd(16)} ${e.favorite ? '★ ' : ''}${e.title.slice(0, 60)}${e.expired ? '  (link expired; not saved)' : ''}\n   ${engine.library.videoPath(e)}\n`,
        )
      io.err.write(`${total} video${total === 1 ? '' : 's'}${values.search ? ` matching "${values.search}"` : ''}.\n`)
    }
    return EXIT.ok
  })
}

async function sync(values: Values, io: Io): Promise<number> {
  return withEngine(values, io, async (engine) => {
    const { found, imported } = await engine.jobs.importFromAccount()
    const paused = await engine.jobs.whenIdle()
    if (paused) return pausedExit(engine, io) ?? EXIT.refused
    const failed = engine.jobs
      .list()
      .filter((j) => j.note === 'Imported from your account.' && j.state === 'failed').length
    io.out.write(
      `${found} finished job${found === 1 ? '' : 's'} in the account; ${imported} imported into the library${failed ? ` (${failed} could not be saved)` : ''}.\n`,
    )
    return failed ? EXIT.failed : EXIT.ok
  })
}

async function usage(values: Values, io: Io): Promise<number> {
  return withEngine(values, io, async (engine) => {
    const u = engine.usage()
    if (values.json) io.out.write(`${JSON.stringify(u, null, 2)}\n`)
    else {
      const pct = u.successRate === null ? '–' : `${Math.round(u.successRate * 100)}%`
      const s = (ms: number | null) => (ms === null ? '–' : `${(ms / 1000).toFixed(1)} s`)
      io.out.write(
        `Jobs ${u.jobs}, finished ${u.finished}, success ${pct}, generation p50 ${s(u.generationMs.p50)} / p95 ${s(u.generationMs.p95)}\n`,
      )
      for (const d of u.creditsByDay) io.out.write(`  ${d.day}  ${d.credits} credits\n`)
      for (const e of u.errorsByCode) io.out.write(`  ${e.code}: ${e.count}\n`)
    }
    return EXIT.ok
  })
}

async function readStdin(stdin: NodeJS.ReadStream): Promise<string> {
  let text = ''
  for await (const chunk of stdin) text += chunk
  return text.trim()
}

async function key(action: string | undefined, values: Values, io: Io): Promise<number> {
  const keychain = new Keychain({ env: io.env })
  if (action === 'status') {
    const s = await keychain.status('cloud')
    io.out.write(
      s.hasKey
        ? `A key ending in …${s.last4} is set (${s.source === 'environment' ? 'from SEEDANCE_API_KEY' : 'in the system keychain'}).\n`
        : 'No API key is set; the built-in Sandbox is used.\n',
    )
    return EXIT.ok
  }
  if (action === 'clear') {
    io.out.write(
      (await keychain.delete('cloud'))
        ? 'Removed the key from the system keychain.\n'
        : 'There was no key in the system keychain.\n',
    )
    return EXIT.ok
  }
  if (action === 'set') {
    // The key is bound to the origin of the base URL in effect (issue 9): checked before anything is stored.
    const baseUrl = values['base-url'] ?? io.env.SEEDANCE_BASE_URL
    const problem = baseUrl === undefined ? null : serviceUrlProblem(baseUrl)
    if (problem) throw new EngineError(SERVICE_URL_ERROR.invalid, `--base-url ${baseUrl}: ${problem}`)
    if (io.stdin.isTTY) io.err.write('Paste your Seedance API key, then press Enter and Ctrl-D: ')
    const s = await keychain.set('cloud', await readStdin(io.stdin))
    const paths = dataPaths(values, io)
    const origin = await bindStoredKey(paths.settingsFile, paths.library, baseUrl)
    io.out.write(`Saved the key ending in …${s.last4} to the system keychain, for ${origin} only.\n`)
    return EXIT.ok
  }
  throw new UsageError('key needs an action: seedance key set|clear|status')
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [command, ...rest] = argv
  if (command === 'sandbox') {
    await runSandbox(rest)
    return new Promise(() => {}) // runs until a signal stops it
  }
  try {
    const { values, positionals } = parse(rest)
    if (!command || values.help || command === 'help') {
      io.out.write(`${HELP}\n`)
      return command ? EXIT.ok : EXIT.usage
    }
    switch (command) {
      case 'generate':
        return await generate(positionals.join(' '), values, io)
      case 'batch':
        return await batch(positionals[0], values, io)
      case 'jobs':
        return await listJobs(values, io)
      case 'library':
        return await library(values, io)
      case 'usage':
        return await usage(values, io)
      case 'sync':
        return await sync(values, io)
      case 'key':
        return await key(positionals[0], values, io)
      default:
        throw new UsageError(`Unknown command "${command}".`)
    }
  } catch (error) {
    const e = error as Error & { code?: string }
    io.err.write(`seedance: ${e.message}\n`)
    if (error instanceof UsageError || e.code?.startsWith('ERR_PARSE_ARGS')) return EXIT.usage
    if (error instanceof BatchFileError || error instanceof EngineError) return EXIT.usage
    if (error instanceof DataFolderBusyError) return EXIT.busy
    if (error instanceof KeychainError) return EXIT.keychain
    if (e.code === 'INVALID_API_KEY') return EXIT.usage
    return EXIT.failed
  }
}
