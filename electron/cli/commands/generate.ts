// `seedance generate <prompt>`: one video; its path on stdout.
import path from 'node:path'
import { fingerprint } from '../../core/library/fingerprint'
import type { JobRecord } from '../../shared/model'
import { UsageError, type Values } from '../args'
import { EXIT, INPUT_ERROR_CODES } from '../exit-codes'
import { type Io, stoppedShort, withEngine } from '../session'
import { clean } from '../terminal'

export function number(value: string | boolean | undefined, name: string): number | undefined {
  if (value === undefined || typeof value === 'boolean') return undefined
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${name} must be a number (got "${value}").`)
  return n
}

export async function generate(positionals: string[], values: Values, io: Io): Promise<number> {
  const prompt = positionals.join(' ')
  if (!prompt.trim()) throw new UsageError('generate needs a prompt: seedance generate "a quiet lake at dawn"')
  const image = values.image as string | undefined
  // Motion intensity applies to image-to-video only (API guide); taking it silently for a text prompt would
  // let the user believe it did something.
  if (values.motion !== undefined && !image)
    throw new UsageError('--motion applies only to image-to-video: add --image FILE, or leave --motion out.')
  const input = {
    prompt,
    imagePath: image ? path.resolve(image) : null,
    duration: number(values.duration, 'duration'),
    resolution: values.resolution as never,
    aspectRatio: (values.aspect ?? null) as never,
    style: (values.style as string | undefined) ?? null,
    motionIntensity: number(values.motion, 'motion') ?? null,
  }
  return withEngine(values, io, async ({ engine, wait }) => {
    const request = await engine.prepare(input)
    const existing = engine.library.findByFingerprint(fingerprint(request))
    if (existing && !values.force) {
      io.err.write(
        `You already made this on ${new Date(existing.createdAt).toLocaleString()}; not spending credits again (use --force to generate anew).\n`,
      )
      io.out.write(`${engine.library.videoPath(existing)}\n`)
      return EXIT.ok
    }
    const job = await engine.jobs.submit(request)
    const outcome = await wait(
      (j) => j.id === job.id,
      () => 'video',
    )
    const short = stoppedShort(outcome, io)
    if (short !== null) return short
    const done = engine.jobs.get(job.id) as JobRecord
    const entry = done.videoId ? engine.library.get(done.videoId) : undefined
    if (done.state !== 'done' || !entry) {
      io.err.write(`Failed: ${clean(done.error?.code ?? done.state)}: ${clean(done.error?.message ?? '')}\n`)
      // The service refused the request itself (e.g. a prompt against its content policy): bad input, as locally.
      return done.error && INPUT_ERROR_CODES.has(done.error.code) ? EXIT.usage : EXIT.failed
    }
    io.out.write(`${engine.library.videoPath(entry)}\n`)
    return EXIT.ok
  })
}
