// `seedance generate <prompt>`: one video; its path on stdout.
import type { JobRecord } from '../../shared/model'
import { UsageError, type Values } from '../args'
import { EXIT, INPUT_ERROR_CODES } from '../exit-codes'
import { type Io, type Session, stoppedShort, withEngine } from '../session'
import { clean } from '../terminal'
import { requestFromFlags } from './request-flags'

export { number } from './request-flags'

export async function generate(positionals: string[], values: Values, io: Io): Promise<number> {
  const prompt = positionals.join(' ')
  if (!prompt.trim()) throw new UsageError('generate needs a prompt: seedance generate "a quiet lake at dawn"')
  const input = await requestFromFlags(prompt, values, io.env)
  return withEngine(values, io, async ({ engine, wait }) => {
    // The engine's one rule (jobs/submit-rule.ts): the same request in flight is joined, a paid video not yet
    // saved is downloaded again, one already in the library is offered; only otherwise is a job sent.
    const outcome = await engine.submit(input, { force: values.force === true })
    if (outcome.kind === 'exists') {
      io.err.write(
        `You already made this on ${new Date(outcome.entry.createdAt).toLocaleString()}; not spending credits again (use --force to generate anew).\n`,
      )
      io.out.write(`${engine.library.videoPath(outcome.entry)}\n`)
      return EXIT.ok
    }
    if (outcome.kind === 'joined') io.err.write(`${joinedMessage(outcome)}\n`)
    return followJob({ engine, wait }, outcome.job.id, io)
  })
}

/** What the CLI says when a request was joined rather than sent. */
function joinedMessage(outcome: { job: JobRecord; refetch: boolean }): string {
  return outcome.refetch || outcome.job.state === 'downloading'
    ? 'This video is already made and paid for; saving it to the library instead of generating it again.'
    : `This request is already in the queue (since ${new Date(outcome.job.createdAt).toLocaleString()}); following it instead of paying again.`
}

/** Wait for one job, show its progress, and print its video's path (generate, library fetch). */
export async function followJob(
  { engine, wait }: Pick<Session, 'engine' | 'wait'>,
  id: string,
  io: Io,
): Promise<number> {
  const outcome = await wait(
    (j) => j.id === id,
    () => 'video',
  )
  const short = stoppedShort(outcome, io)
  if (short !== null) return short
  const done = engine.jobs.get(id) as JobRecord
  const entry = done.videoId ? engine.library.get(done.videoId) : undefined
  if (done.state === 'download-retry') {
    io.err.write(
      `Not saved yet: ${clean(done.note ?? '')}\nThe video is paid for and kept; fetch it with: seedance library fetch ${done.id}\n`,
    )
    return EXIT.failed
  }
  if (done.state !== 'done' || !entry || entry.expired) {
    io.err.write(`Failed: ${clean(done.error?.code ?? done.state)}: ${clean(done.error?.message ?? '')}\n`)
    // The service refused the request itself (e.g. a prompt against its content policy): bad input, as locally.
    return done.error && INPUT_ERROR_CODES.has(done.error.code) ? EXIT.usage : EXIT.failed
  }
  io.out.write(`${engine.library.videoPath(entry)}\n`)
  return EXIT.ok
}
