// `seedance prompts` (issue 11, point 6): every prompt used, starred first, with how often, when last and its
// videos; `seedance prompts star "<prompt>"` keeps one at hand (and `unstar` lets it go), shared with the app.
import type { PromptHistoryItem } from '../../shared/prompt-history'
import { UsageError, type Values } from '../args'
import { EXIT } from '../exit-codes'
import { type Io, withEngine } from '../session'
import { clean } from '../terminal'

export async function prompts(positionals: string[], values: Values, io: Io): Promise<number> {
  const [action, ...rest] = positionals
  if (action !== undefined && action !== 'star' && action !== 'unstar')
    throw new UsageError(
      `prompts takes no argument but star or unstar "<prompt>" (got "${clean(action)}"). See: seedance prompts --help`,
    )
  if (action && rest.length !== 1)
    throw new UsageError(`prompts ${action} takes one prompt, in quotes: seedance prompts ${action} "<prompt>"`)
  return withEngine(
    values,
    io,
    async ({ engine }) => {
      if (action) {
        const value = action === 'star'
        const starred = await engine.prompts.star(rest[0] as string, value)
        io.err.write(
          `${value ? 'Starred' : 'Unstarred'}. ${starred.length} starred prompt${starred.length === 1 ? '' : 's'}.\n`,
        )
        return EXIT.ok
      }
      const search = values.search as string | undefined
      const items = engine.prompts.history({ search, starred: values.starred === true })
      if (values.json) {
        const out = items.map((item) => ({
          ...item,
          videos: item.videoIds.flatMap((id) => {
            const e = engine.library.get(id)
            return e ? [{ id, title: e.title, path: engine.library.videoPath(e) }] : []
          }),
        }))
        io.out.write(`${JSON.stringify(out, null, 2)}\n`)
        return EXIT.ok
      }
      for (const item of items) io.out.write(promptLine(item))
      const what = values.starred ? 'starred prompt' : 'prompt'
      io.err.write(
        `${items.length} ${what}${items.length === 1 ? '' : 's'}${search ? ` matching "${clean(search)}"` : ''}.\n`,
      )
      return EXIT.ok
    },
    // Only looks (or stars): nothing is sent or polled.
    { resume: false },
  )
}

function promptLine(item: PromptHistoryItem): string {
  const last = item.lastUsed === null ? 'never used' : new Date(item.lastUsed).toISOString().slice(0, 10)
  const videos = `${item.videoIds.length} video${item.videoIds.length === 1 ? '' : 's'}`
  return `${item.starred ? '★' : ' '} ${`${item.count}×`.padStart(4)}  ${last.padEnd(10)}  ${videos.padEnd(10)}  ${clean(item.prompt)}\n`
}
