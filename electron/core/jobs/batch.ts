// CSV batches: rows of id, prompt and optional filename, image, duration, resolution, aspect_ratio, style,
// motion_intensity, provider and model. Parsed the same way for the CLI (a file) and the app (a dropped or picked file).
import { lstat, readFile, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import { isInside, isSameOrInside } from '../../node/inside-folder'
import type { BatchPreviewRow } from '../../shared/contract'
import type { AspectRatio, GenerationRequest, Resolution } from '../../shared/model'
import { isProviderId, PROVIDER_IDS } from '../../shared/providers'
import type { RequestInput } from '../engine'
import type { SubmitDecision, SubmitOutcome } from './submit-rule'

export interface BatchRow {
  /** The row's id column. */
  id: string
  /** 1-based line in the file, for messages. */
  line: number
  input: RequestInput
  /** The filename column: used as the video's title in the library. */
  title: string | null
  /** Why the row cannot run (a rule it breaks, found while parsing); the other rows still run. */
  problem: string | null
}

/** A library title's limit (Library.rename), checked while parsing so no video is made that cannot be named. */
export const TITLE_MAX_CHARS = 200

export interface BatchResult {
  id: string
  status: 'done' | 'exists' | 'failed' | 'invalid' | 'cancelled' | 'pending'
  video: string
  job_id: string
  error: string
}

export class BatchFileError extends Error {
  readonly code = 'INVALID_BATCH'
}

class RowProblem extends Error {}

function num(value: string | undefined, column: string): number | undefined {
  if (value === undefined || value.trim() === '') return undefined
  const n = Number(value)
  if (!Number.isFinite(n)) throw new RowProblem(`${column} "${value}" is not a number.`)
  return n
}

/** The rules a row's own columns must meet (the request itself is checked by engine.prepare). */
function rowProblem(r: Record<string, string>, title: string | null): string | null {
  try {
    num(r.duration, 'duration')
    num(r.motion_intensity, 'motion_intensity')
  } catch (error) {
    return (error as Error).message
  }
  if (title !== null && title.length > TITLE_MAX_CHARS)
    return `filename is ${title.length} characters; a title has at most ${TITLE_MAX_CHARS}.`
  if (r.provider && !isProviderId(r.provider.toLowerCase()))
    return `provider "${r.provider}" is not one of ${PROVIDER_IDS.join(', ')}.`
  // Motion intensity applies to image-to-video only (API guide): a value on a text row would silently do nothing.
  if (r.motion_intensity && !r.image) return 'motion_intensity applies only to rows with an image.'
  return null
}

const article = (word: string) => (/^[aeiou]/i.test(word) ? 'an' : 'a')

/** Parse a batch CSV; `file` names it in messages and anchors relative image paths. */
export function parseBatch(text: string, file: string): BatchRow[] {
  let records: Record<string, string>[]
  try {
    records = parse(text, {
      columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      bom: true,
    })
  } catch (error) {
    throw new BatchFileError(`${path.basename(file)} is not valid CSV: ${(error as Error).message}`)
  }
  if (records.length === 0) throw new BatchFileError(`${path.basename(file)} has no rows.`)
  const first = records[0] as Record<string, string>
  for (const column of ['id', 'prompt']) {
    if (!(column in first))
      throw new BatchFileError(`${path.basename(file)} needs ${article(column)} "${column}" column.`)
  }
  const seen = new Set<string>()
  const base = path.dirname(path.resolve(file))
  return records.map((r, i) => {
    const line = i + 2
    const id = r.id ?? ''
    if (!id) throw new BatchFileError(`${path.basename(file)}, line ${line}: the id is empty.`)
    if (seen.has(id))
      throw new BatchFileError(
        `${path.basename(file)}, line ${line}: the id "${id}" appears twice (ids name the rows in the results).`,
      )
    seen.add(id)
    const title = r.filename?.replace(/\.mp4$/i, '') || null
    const provider = r.provider?.toLowerCase()
    const problem = rowProblem(r, title)
    return {
      id,
      line,
      title,
      problem,
      input: {
        // A row's own door and model (issue 10); absent: the run's (CLI flags) or the default.
        ...(isProviderId(provider) ? { provider } : {}),
        ...(r.model ? { model: r.model } : {}),
        prompt: r.prompt ?? '',
        // Read only inside the CSV's folder: engine.prepare confines it there (confineToFolder).
        imagePath: r.image || null,
        imageRoot: r.image ? base : null,
        duration: problem ? undefined : num(r.duration, 'duration'),
        resolution: (r.resolution || undefined) as Resolution | undefined,
        aspectRatio: (r.aspect_ratio || null) as AspectRatio | null,
        style: r.style || null,
        motionIntensity: (problem ? undefined : num(r.motion_intensity, 'motion_intensity')) ?? null,
      },
    }
  })
}

/**
 * The file an image column names, which must be inside `root` (the CSV's folder) or below (issue 9): resolved
 * against it, `..` and absolute paths outside refused before the file system is asked, symlinks followed with
 * realpath and refused when they lead out. One message for every refusal, so nobody learns from it whether a path
 * outside the folder exists.
 */
export async function confineToFolder(root: string, value: string): Promise<string> {
  const refuse = () =>
    Object.assign(
      new Error(
        `The image "${value}" is not a file inside the CSV's folder (${root}); put it there, or in a folder below it.`,
      ),
      { code: 'INVALID_IMAGE' },
    )
  const lexical = path.resolve(root, value)
  if (!isInside(path.resolve(root), lexical)) throw refuse()
  let real: string
  let realRoot: string
  try {
    ;[realRoot, real] = await Promise.all([realpath(root), realpath(lexical)])
  } catch {
    // A name inside the folder that is simply not there is the user's own typo: say so, when the folder it
    // would be in is really inside (not a link out). Anything else gets the one message, so it tells nothing
    // about the outside.
    if (await missingInside(root, lexical))
      throw Object.assign(new Error(`Image not found: ${lexical}`), { code: 'INVALID_IMAGE' })
    throw refuse()
  }
  if (!isInside(realRoot, real)) throw refuse()
  return real
}

/** The file's folder resolves inside `root`, and the file itself does not exist. */
async function missingInside(root: string, file: string): Promise<boolean> {
  const real = await Promise.all([realpath(root), realpath(path.dirname(file))]).catch(() => null)
  if (!real) return false
  if (!isSameOrInside(real[0], real[1])) return false
  return lstat(file).then(
    () => false,
    (e: NodeJS.ErrnoException) => e.code === 'ENOENT',
  )
}

// --- batches in the app: preview, then queue -------------------------------------------------------

export type { BatchPreviewRow } from '../../shared/contract'

interface BatchEngine {
  prepare(input: RequestInput): Promise<GenerationRequest>
  jobs: {
    decide(request: GenerationRequest): SubmitDecision
    submitOrJoin(request: GenerationRequest, options: { batch: { file: string; row: string } }): Promise<SubmitOutcome>
  }
}

async function classify(engine: BatchEngine, row: BatchRow) {
  if (row.problem) return { request: null, decision: null, message: row.problem }
  try {
    const request = await engine.prepare(row.input)
    // The same rule as submitting (submit-rule.ts), asked without queueing anything.
    const decision = engine.jobs.decide(request)
    const message =
      decision.kind === 'exists'
        ? `Already in the library (made ${new Date(decision.entry.createdAt).toLocaleDateString()}).`
        : decision.kind === 'joined'
          ? decision.refetch
            ? 'Paid for but not saved yet: it is downloaded again, not generated again.'
            : 'Already in the queue: it is joined, not sent again.'
          : null
    return { request, decision, message }
  } catch (error) {
    return { request: null, decision: null, message: (error as Error).message }
  }
}

/** The largest batch CSV read (about 5,000 rows of long prompts). */
const MAX_BATCH_BYTES = 5_000_000

/** Read a batch CSV the app's user picked: a regular file of at most MAX_BATCH_BYTES. */
export async function readBatchFile(file: string): Promise<string> {
  const name = path.basename(file)
  try {
    const info = await stat(file)
    if (!info.isFile()) throw new BatchFileError(`${name} is not a file.`)
    if (info.size > MAX_BATCH_BYTES)
      throw new BatchFileError(`${name} is ${(info.size / 1e6).toFixed(1)} MB; a batch CSV may be at most 5 MB.`)
    return await readFile(file, 'utf8')
  } catch (error) {
    if (error instanceof BatchFileError) throw error
    throw new BatchFileError(`Cannot read ${name}: ${(error as NodeJS.ErrnoException).code ?? error}.`)
  }
}

/** What a batch would do, row by row, before anything is queued. */
export async function previewBatch(engine: BatchEngine, text: string, name: string): Promise<BatchPreviewRow[]> {
  const rows = parseBatch(text, name)
  const out: BatchPreviewRow[] = []
  for (const row of rows) {
    const c = await classify(engine, row)
    const i = row.input
    out.push({
      id: row.id,
      line: row.line,
      prompt: i.prompt,
      summary: [
        `${i.duration ?? 8} s`,
        i.resolution ?? '1080p',
        i.aspectRatio ?? '16:9',
        i.style,
        i.imagePath ? 'image' : null,
      ]
        .filter(Boolean)
        .join(' · '),
      status:
        c.decision === null
          ? 'invalid'
          : c.decision.kind === 'exists'
            ? 'exists'
            : c.decision.kind === 'joined'
              ? 'running'
              : 'ready',
      message: c.message,
    })
  }
  return out
}

/**
 * Queue every ready row of a batch: rows already in the library are skipped, rows already in the queue (or
 * paid for and not saved) are joined, invalid ones reported.
 */
export async function submitBatch(
  engine: BatchEngine,
  text: string,
  name: string,
): Promise<{ queued: number; joined: number; exists: number; invalid: number }> {
  const counts = { queued: 0, joined: 0, exists: 0, invalid: 0 }
  for (const row of parseBatch(text, name)) {
    if (row.problem) {
      counts.invalid += 1
      continue
    }
    let request: GenerationRequest
    try {
      request = await engine.prepare(row.input)
    } catch {
      counts.invalid += 1
      continue
    }
    const outcome = await engine.jobs.submitOrJoin(request, { batch: { file: name, row: row.id } })
    if (outcome.kind === 'exists') counts.exists += 1
    else if (outcome.kind === 'joined') counts.joined += 1
    else counts.queued += 1
  }
  return counts
}
