// `seedance library`, `sync` and `usage`: the library and what the account and the journal say.
import { UsageError, type Values } from '../args'
import { EXIT } from '../exit-codes'
import { type Io, keychainFor, stoppedShort, withEngine } from '../session'
import { clean } from '../terminal'

export async function library(positionals: string[], values: Values, io: Io): Promise<number> {
  if (positionals.length > 0)
    throw new UsageError(`library takes no argument (got "${positionals[0]}"). See: seedance library --help`)
  return withEngine(
    values,
    io,
    async ({ engine }) => {
      if (values.rescan) {
        const r = await engine.library.rescan()
        io.err.write(`Rescanned: ${r.added} added, ${r.removed} removed.\n`)
      }
      const search = values.search as string | undefined
      const { items, total } = engine.library.query({ search })
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
            `${new Date(e.createdAt).toISOString().slice(0, 10)}  ${`${e.duration}s ${e.resolution} ${e.aspectRatio}`.padEnd(16)} ${e.favorite ? '★ ' : ''}${clean(e.title).slice(0, 60)}${e.expired ? '  (link expired; not saved)' : ''}\n   ${clean(engine.library.videoPath(e))}\n`,
          )
        io.err.write(`${total} video${total === 1 ? '' : 's'}${search ? ` matching "${clean(search)}"` : ''}.\n`)
      }
      return EXIT.ok
    },
    { resume: false },
  )
}

export async function sync(values: Values, io: Io): Promise<number> {
  // Your account is reached with your key: a keychain that cannot be read is an error here (exit 5), not a
  // reason to look at the Sandbox's empty one.
  if (!values.sandbox) await keychainFor(io).get('cloud')
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
