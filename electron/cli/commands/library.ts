// `seedance library`, `sync` and `usage`: the library and what the account and the journal say.
import { mayDownloadAgain } from '../../shared/links'
import type { JobRecord } from '../../shared/model'
import { UsageError, type Values } from '../args'
import { EXIT } from '../exit-codes'
import { type Io, keychainFor, stoppedShort, withEngine } from '../session'
import { clean } from '../terminal'
import { followJob } from './generate'
import { libraryInfo } from './library-info'
import { madeWith, targetFromFlags } from './request-flags'

export async function library(positionals: string[], values: Values, io: Io): Promise<number> {
  if (positionals[0] === 'fetch') return fetchVideo(positionals.slice(1), values, io)
  if (positionals[0] === 'info') return libraryInfo(positionals.slice(1), values, io) // issue 11 (meta)
  if (positionals.length > 0)
    throw new UsageError(
      `library takes no argument but "fetch <id>" or "info <file>" (got "${clean(positionals[0] ?? '')}"). See: seedance library --help`,
    )
  // Only the flags: SEEDANCE_PROVIDER / SEEDANCE_MODEL choose where new videos go, not which ones are listed.
  const only = targetFromFlags({ provider: values.provider, model: values.model }, {})
  return withEngine(
    values,
    io,
    async ({ engine }) => {
      if (values.rescan) {
        const r = await engine.library.rescan()
        io.err.write(`Rescanned: ${r.added} added, ${r.removed} removed.\n`)
      }
      const search = values.search as string | undefined
      const { items, total } = engine.library.query({ search, ...only })
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
            `${new Date(e.createdAt).toISOString().slice(0, 10)}  ${`${e.duration}s ${e.resolution} ${e.aspectRatio}`.padEnd(16)} ${e.favorite ? '★ ' : ''}${clean(e.title).slice(0, 60)}  (${madeWith(e.provider, e.model)})${e.expired ? (mayDownloadAgain(e, Date.now()) ? `  (not saved yet: seedance library fetch ${e.id})` : '  (link expired; not saved)') : ''}\n   ${clean(engine.library.videoPath(e))}\n`,
          )
        io.err.write(`${total} video${total === 1 ? '' : 's'}${search ? ` matching "${clean(search)}"` : ''}.\n`)
      }
      return EXIT.ok
    },
    { resume: false },
  )
}

/** `seedance library fetch <id>`: download again a paid video that is not in the library (nothing is paid again). */
async function fetchVideo(positionals: string[], values: Values, io: Io): Promise<number> {
  const id = positionals[0]
  if (!id || positionals.length > 1)
    throw new UsageError(
      'library fetch takes one video or job id: seedance library fetch <id> (see seedance library --json)',
    )
  return withEngine(values, io, async (session) => {
    const { engine } = session
    let job: JobRecord
    try {
      job = await engine.jobs.fetchAgain(id)
    } catch (error) {
      const e = error as Error & { code?: string }
      if (e.code === 'ALREADY_SAVED') {
        const entry = engine.library.get(id)
        io.err.write(`${clean(e.message)}\n`)
        if (entry) io.out.write(`${engine.library.videoPath(entry)}\n`)
        return EXIT.ok
      }
      io.err.write(`seedance: ${e.code ? `${e.code}: ` : ''}${clean(e.message)}\n`)
      return e.code === 'NOT_FOUND' ? EXIT.usage : EXIT.failed
    }
    return followJob(session, job.id, io)
  })
}

export async function sync(values: Values, io: Io): Promise<number> {
  // Your account is reached with your key: a keychain that cannot be read is an error here (exit 5), not a
  // reason to look at the Sandbox's empty one.
  if (!values.sandbox) await keychainFor(io).get('seedance')
  return withEngine(values, io, async ({ engine, wait }) => {
    const { found, imported } = await engine.jobs.importFromAccount()
    const outcome = await wait(
      () => true,
      (j) => clean(j.request.prompt).slice(0, 28),
    )
    const short = stoppedShort(outcome, io)
    if (short !== null) return short
    const failed = engine.jobs
      .list()
      .filter((j) => j.note === 'Imported from your account.' && j.state === 'failed').length
    io.out.write(
      `${found} finished job${found === 1 ? '' : 's'} in the account; ${imported} imported into the library${failed ? ` (${failed} could not be saved)` : ''}.\n`,
    )
    return failed ? EXIT.failed : EXIT.ok
  })
}

export async function usage(values: Values, io: Io): Promise<number> {
  return withEngine(
    values,
    io,
    async ({ engine }) => {
      const u = engine.usage()
      if (values.json) io.out.write(`${JSON.stringify(u, null, 2)}\n`)
      else {
        const pct = u.successRate === null ? '–' : `${Math.round(u.successRate * 100)}%`
        const s = (ms: number | null) => (ms === null ? '–' : `${(ms / 1000).toFixed(1)} s`)
        io.out.write(
          `Jobs ${u.jobs}, finished ${u.finished}, success ${pct}, generation p50 ${s(u.generationMs.p50)} / p95 ${s(u.generationMs.p95)}\n`,
        )
        for (const d of u.creditsByDay) io.out.write(`  ${d.day}  ${d.credits} credits\n`)
        for (const e of u.errorsByCode) io.out.write(`  ${clean(e.code)}: ${e.count}\n`)
      }
      return EXIT.ok
    },
    { resume: false },
  )
}
