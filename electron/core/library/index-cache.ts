// The library's index cache (<library>/.seedance/index.json), written by flush() and read by open() (issue 9,
// point 14: a 100,000-video library reopens in under a second). Format, version 5 (columnar; 4 before issue 10 added
// provider, model and seed):
//   {"version": 5, "count": N, "fields": [29 field names], "columns": [29 arrays of N values]}
// Column i holds field i of every entry, in entry order. Most hold the value as a metadata file does; a few are
// packed, because they are large or repeated in every row and the file's size is most of the time to open it:
//   mode, resolution, aspectRatio,  the value's position in the entry schema's list (ENTRY_RULES ... values);
//   provider                        provider: null for an entry that names none
//   model, seed                     a value, or null for none
//   title                           a string, or n: the first n characters of the prompt (the app's default title)
//   jobId                           a string or null, or true: the same as the id (every video the app made)
//   thumbnail                       a name or null, or true: "<id>.jpg" (the name the app gives thumbnails)
//   linkUntil                       a number, or null for none
// One array per field rather than one per entry: 29 arrays to parse instead of 100,000, each checked in one loop.
// Like the metadata files it caches, it lives in a folder others can write, so every value passes the entry
// schema's check of its field (ENTRY_FIELD_CHECKS, the rules a metadata file passes) before it is used; a row
// with any value that fails is left out.
import type { LibraryEntry } from '../../shared/model'
import { ENTRY_FIELD_CHECKS, ENTRY_RULES } from './entry-schema'

export const INDEX_VERSION = 5

const INDEX_FIELDS = [
  'id',
  'file',
  'title',
  'prompt',
  'mode',
  'duration',
  'resolution',
  'aspectRatio',
  'style',
  'motionIntensity',
  'width',
  'height',
  'sizeBytes',
  'sha256',
  'createdAt',
  'generationMs',
  'credits',
  'favorite',
  'fingerprint',
  'jobId',
  'remoteId',
  'image',
  'thumbnail',
  'expired',
  'external',
  'linkUntil',
  'provider',
  'model',
  'seed',
  // Sequence (issue 11): plain columns. A cache without them fails the field-list check and is rebuilt from the
  // metadata files (the "meta" branch's format 6 carries them too; take its version when merging).
  'lastFrame',
  'continues',
] as const satisfies ReadonlyArray<keyof LibraryEntry>

type Field = (typeof INDEX_FIELDS)[number]
const at = (f: Field) => INDEX_FIELDS.indexOf(f)

// The packed columns. An enum's values are the schema's list, in its order (a reordered list needs a new version).
const ENUMS = {
  mode: ENTRY_RULES.mode.values,
  resolution: ENTRY_RULES.resolution.values,
  aspectRatio: ENTRY_RULES.aspectRatio.values,
  provider: ENTRY_RULES.provider.values,
}
const MAX_TITLE = ENTRY_RULES.title.max

export function encodeIndex(entries: Iterable<LibraryEntry>): string {
  const columns: unknown[][] = INDEX_FIELDS.map(() => [])
  let count = 0
  for (const e of entries) {
    count += 1
    for (let i = 0; i < INDEX_FIELDS.length; i++) {
      const f = INDEX_FIELDS[i] as Field
      let v: unknown = e[f]
      if (f === 'mode' || f === 'resolution' || f === 'aspectRatio') v = (ENUMS[f] as readonly unknown[]).indexOf(v)
      else if (f === 'provider') v = v === undefined ? null : (ENUMS.provider as readonly unknown[]).indexOf(v)
      else if (f === 'title' && e.title.length <= MAX_TITLE && e.prompt.startsWith(e.title)) v = e.title.length
      else if (f === 'jobId' && v === e.id) v = true
      else if (f === 'thumbnail' && v === `${e.id}.jpg`) v = true
      else if (v === undefined) v = null
      ;(columns[i] as unknown[]).push(v)
    }
  }
  return JSON.stringify({ version: INDEX_VERSION, count, fields: INDEX_FIELDS, columns })
}

/** Mark in `bad` every row whose value in `column` fails `check`. */
function checkColumn(column: unknown[], check: (v: unknown) => boolean, bad: Uint8Array): void {
  for (let r = 0; r < column.length; r++) if (!check(column[r])) bad[r] = 1
}

/** The schema's check of each plain column; the packed ones are checked below, each as it is decoded. */
const PLAIN_CHECKS: Array<[number, (v: unknown) => boolean]> = INDEX_FIELDS.filter(
  (f) => !(f in ENUMS) && f !== 'title' && f !== 'jobId' && f !== 'thumbnail',
).map((f) => [at(f), ENTRY_FIELD_CHECKS[f]])

/**
 * The entries of an index cache, or null when it is of another version or damaged (the caller rebuilds from the
 * metadata files). Rows that fail the schema are left out and counted.
 */
export function decodeIndex(text: string): { entries: LibraryEntry[]; rejected: number } | null {
  let cache: { version?: unknown; count?: unknown; fields?: unknown; columns?: unknown }
  try {
    cache = JSON.parse(text)
  } catch {
    return null
  }
  const n = cache?.count
  const columns = cache?.columns
  if (
    cache?.version !== INDEX_VERSION ||
    !Number.isSafeInteger(n) ||
    !Array.isArray(cache.fields) ||
    cache.fields.join() !== INDEX_FIELDS.join() ||
    !Array.isArray(columns) ||
    columns.length !== INDEX_FIELDS.length ||
    !columns.every((c) => Array.isArray(c) && c.length === n)
  )
    return null
  const col = columns as unknown[][]
  const c = (f: Field) => col[at(f)] as unknown[]
  const bad = new Uint8Array(n as number)
  for (const [i, check] of PLAIN_CHECKS) checkColumn(col[i] as unknown[], check, bad)
  const mode = enumColumn(c('mode'), ENUMS.mode, bad)
  const resolution = enumColumn(c('resolution'), ENUMS.resolution, bad)
  const aspectRatio = enumColumn(c('aspectRatio'), ENUMS.aspectRatio, bad)
  const provider = enumColumn(c('provider'), ENUMS.provider, bad, true)
  const [ids, prompts, titles, jobIds, thumbs] = [c('id'), c('prompt'), c('title'), c('jobId'), c('thumbnail')]
  for (let r = 0; r < titles.length; r++) {
    const t = titles[r]
    const prompt = prompts[r]
    // A prefix of the prompt, within the title's own limit; or a title of its own, checked as one.
    if (typeof t === 'number') {
      if (Number.isInteger(t) && t >= 0 && t <= MAX_TITLE && typeof prompt === 'string' && t <= prompt.length)
        titles[r] = prompt.slice(0, t)
      else bad[r] = 1
    } else if (!ENTRY_FIELD_CHECKS.title(t)) bad[r] = 1
  }
  for (let r = 0; r < ids.length; r++) {
    // "The same as the id" / "<id>.jpg": plain by construction once the id is (isSafeId: at most 200 characters
    // of [A-Za-z0-9._-], not starting with a dot), and the id column is checked above like every other.
    if (jobIds[r] === true) jobIds[r] = ids[r]
    else if (!ENTRY_FIELD_CHECKS.jobId(jobIds[r])) bad[r] = 1
    if (thumbs[r] === true) thumbs[r] = `${ids[r]}.jpg`
    else if (!ENTRY_FIELD_CHECKS.thumbnail(thumbs[r])) bad[r] = 1
  }
  const [file, duration, style, motionIntensity, width, height, sizeBytes, sha256, createdAt] = [
    c('file'),
    c('duration'),
    c('style'),
    c('motionIntensity'),
    c('width'),
    c('height'),
    c('sizeBytes'),
    c('sha256'),
    c('createdAt'),
  ]
  const [model, seed] = [c('model'), c('seed')]
  const [generationMs, credits, favorite, fingerprint, remoteId, image, expired, external, linkUntil] = [
    c('generationMs'),
    c('credits'),
    c('favorite'),
    c('fingerprint'),
    c('remoteId'),
    c('image'),
    c('expired'),
    c('external'),
    c('linkUntil'),
  ]
  const entries: LibraryEntry[] = []
  let rejected = 0
  for (let r = 0; r < ids.length; r++) {
    if (bad[r]) {
      rejected += 1
      continue
    }
    const img = (image as unknown[])[r] as { sha256: string; name: string } | null
    // One object literal of a fixed shape per entry, so V8 keeps every entry on the same fast hidden class.
    entries.push({
      id: ids[r] as string,
      file: (file as string[])[r] as string,
      title: titles[r] as string,
      prompt: prompts[r] as string,
      mode: mode[r] as LibraryEntry['mode'],
      duration: (duration as number[])[r] as number,
      resolution: resolution[r] as LibraryEntry['resolution'],
      aspectRatio: aspectRatio[r] as LibraryEntry['aspectRatio'],
      style: (style as Array<string | null>)[r] as string | null,
      motionIntensity: (motionIntensity as Array<number | null>)[r] as number | null,
      width: (width as number[])[r] as number,
      height: (height as number[])[r] as number,
      sizeBytes: (sizeBytes as number[])[r] as number,
      sha256: (sha256 as string[])[r] as string,
      createdAt: (createdAt as number[])[r] as number,
      generationMs: (generationMs as Array<number | null>)[r] as number | null,
      credits: (credits as Array<number | null>)[r] as number | null,
      favorite: (favorite as boolean[])[r] as boolean,
      fingerprint: (fingerprint as Array<string | null>)[r] as string | null,
      jobId: jobIds[r] as string | null,
      remoteId: (remoteId as Array<string | null>)[r] as string | null,
      // Only the image's own fields, as the schema's strip would keep (a crafted row may carry more).
      image: img === null ? null : { sha256: img.sha256, name: img.name },
      thumbnail: thumbs[r] as string | null,
      expired: (expired as boolean[])[r] as boolean,
      external: (external as boolean[])[r] as boolean,
      linkUntil: ((linkUntil as Array<number | null>)[r] ?? undefined) as number | undefined,
      provider: (provider[r] ?? undefined) as LibraryEntry['provider'],
      model: ((model as Array<string | null>)[r] ?? undefined) as string | undefined,
      seed: ((seed as Array<number | null>)[r] ?? undefined) as number | null | undefined,
      lastFrame: (c('lastFrame')[r] ?? undefined) as string | undefined,
      continues: (c('continues')[r] ?? undefined) as string | undefined,
      missing: false,
    })
  }
  return { entries, rejected }
}

/**
 * An enum column's positions replaced by their values, in place; a position out of the list marks the row bad
 * (null is kept where the field is optional).
 */
function enumColumn(column: unknown[], values: readonly string[], bad: Uint8Array, optional = false): unknown[] {
  for (let r = 0; r < column.length; r++) {
    const v = column[r]
    if (optional && v === null) continue
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < values.length) column[r] = values[v]
    else bad[r] = 1
  }
  return column
}
