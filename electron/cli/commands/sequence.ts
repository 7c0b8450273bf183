// `seedance continue <id|file>` and `seedance export <id> --out FILE` (issue 11, point 2): continue a library video
// from its last frame with its settings, and export the sequence it belongs to as one MP4.
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { sha256File } from '../../core/library/downloader'
import type { Library } from '../../core/library/library'
import { findFfmpeg } from '../../core/media/ffmpeg'
import { CONTINUE_ERROR, continueVideo } from '../../core/sequence/continue'
import { EXPORT_ERROR, ExportError } from '../../core/sequence/export'
import { exportLibrarySequence } from '../../core/sequence/library-export'
import type { LibraryEntry } from '../../shared/model'
import { UsageError, type Values } from '../args'
import { EXIT } from '../exit-codes'
import { type Io, withEngine } from '../session'
import { clean } from '../terminal'
import { followJob } from './generate'

/** The library video an argument names: its id, its file in the library folder, or a copy of its file elsewhere. */
async function findEntry(library: Library, arg: string): Promise<LibraryEntry | undefined> {
  const byId = library.get(arg)
  if (byId) return byId
  const file = path.resolve(arg)
  const byPath = library.all().find((e) => !e.expired && library.videoPath(e) === file)
  if (byPath) return byPath
  if (
    !(await stat(file).then(
      (s) => s.isFile(),
      () => false,
    ))
  )
    return undefined
  const sha = await sha256File(file)
  return library.all().find((e) => !e.expired && e.sha256 === sha)
}

function one(positionals: string[], what: string): string {
  const [arg] = positionals
  if (!arg || positionals.length > 1) throw new UsageError(what)
  return arg
}

export async function continueCommand(positionals: string[], values: Values, io: Io): Promise<number> {
  const arg = one(positionals, 'continue takes one library video: seedance continue <id|file> (see seedance library)')
  return withEngine(values, io, async (session) => {
    const { engine } = session
    const entry = await findEntry(engine.library, arg)
    if (!entry) throw new UsageError(`"${clean(arg)}" is not a video in the library (see seedance library --json).`)
    let outcome: Awaited<ReturnType<typeof continueVideo>>
    try {
      outcome = await continueVideo(engine, entry.id, {
        prompt: (values.prompt as string | undefined) ?? null,
        tools: await findFfmpeg(io.env),
      })
    } catch (error) {
      const e = error as Error & { code?: string }
      if (e.code !== CONTINUE_ERROR.noFrame) throw error
      io.err.write(`seedance: ${clean(e.message)}\n`)
      return EXIT.noEncoder
    }
    io.err.write(
      `Continuing “${clean(entry.title).slice(0, 60)}” from its last frame (${outcome.frameFrom === 'service' ? 'the service’s image' : 'taken from the file'})${outcome.joined ? '; already being made, following it' : ''}.\n`,
    )
    return followJob(session, outcome.job.id, io)
  })
}

export async function exportCommand(positionals: string[], values: Values, io: Io): Promise<number> {
  const id = one(positionals, 'export takes one library video: seedance export <id> --out file.mp4')
  const out = values.out as string | undefined
  if (!out) throw new UsageError('export needs the file to write: seedance export <id> --out file.mp4')
  const dest = path.resolve(out)
  if (
    !values.force &&
    (await stat(dest).then(
      () => true,
      () => false,
    ))
  )
    throw new UsageError(`${clean(dest)} exists; pass --force to replace it.`)
  return withEngine(
    values,
    io,
    async ({ engine }) => {
      const entry = await findEntry(engine.library, id)
      if (!entry) throw new UsageError(`"${clean(id)}" is not a video in the library (see seedance library --json).`)
      try {
        const r = await exportLibrarySequence(engine, entry.id, { dest, tools: await findFfmpeg(io.env) })
        io.err.write(
          `Exported ${r.clips} clip${r.clips === 1 ? '' : 's'}, ${r.durationSeconds.toFixed(1)} s, ${r.method === 'copy' ? 'without re-encoding' : `re-encoded (${clean(r.reason ?? '')})`}.\n`,
        )
        io.out.write(`${r.file}\n`)
        return EXIT.ok
      } catch (error) {
        if (!(error instanceof ExportError)) throw error
        io.err.write(`seedance: ${error.code}: ${clean(error.message)}\n`)
        if (error.code === EXPORT_ERROR.noEncoder) return EXIT.noEncoder
        return error.code === EXPORT_ERROR.destination ? EXIT.usage : EXIT.failed
      }
    },
    { resume: false },
  )
}
