// The library's index cache (<library>/.seedance/index.json): every entry as a row under one list of field names,
// much quicker to parse than 100,000 objects. One format, written by flush() and read by open() (issue 9,
// point 14: they had drifted apart, so the cache was never used). Like the metadata files it caches, it lives in a
// folder others can write, so every row passes the entry schema before it is used.
import type { LibraryEntry } from '../../shared/model'
import { ENTRY_FIELD_CHECKS } from './entry-schema'

export const INDEX_VERSION = 4

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
] as const satisfies ReadonlyArray<keyof LibraryEntry>

/** The entry schema's check of each column (the same rules as a metadata file, written once in entry-schema). */
const COLUMN_CHECKS = INDEX_FIELDS.map((f) => ENTRY_FIELD_CHECKS[f])

export function encodeIndex(entries: Iterable<LibraryEntry>): string {
  const rows: unknown[][] = []
  for (const e of entries) rows.push(INDEX_FIELDS.map((f) => e[f]))
  return JSON.stringify({ version: INDEX_VERSION, fields: INDEX_FIELDS, rows })
}

/** The same row as an entry, or null when the entry schema would refuse it (its own checks, by column). */
function rowEntry(r: unknown[]): LibraryEntry | null {
  if (r.length !== COLUMN_CHECKS.length) return null
  for (let i = 0; i < COLUMN_CHECKS.length; i++) if (!(COLUMN_CHECKS[i] as (v: unknown) => boolean)(r[i])) return null
  // One object literal of a fixed shape per row, so V8 keeps every entry on the same fast hidden class.
  const e = {
    id: r[0],
    file: r[1],
    title: r[2],
    prompt: r[3],
    mode: r[4],
    duration: r[5],
    resolution: r[6],
    aspectRatio: r[7],
    style: r[8],
    motionIntensity: r[9],
    width: r[10],
    height: r[11],
    sizeBytes: r[12],
    sha256: r[13],
    createdAt: r[14],
    generationMs: r[15],
    credits: r[16],
    favorite: r[17],
    fingerprint: r[18],
    jobId: r[19],
    remoteId: r[20],
    image: r[21],
    thumbnail: r[22],
    expired: r[23],
    external: r[24],
    linkUntil: (r[25] ?? undefined) as number | undefined, // JSON writes a missing value as null
    provider: (r[26] ?? undefined) as LibraryEntry['provider'],
    model: (r[27] ?? undefined) as string | undefined,
    seed: (r[28] ?? undefined) as number | undefined,
    missing: false,
  }
  // Keep only the image's own fields, as the schema's strip would (a crafted row may carry more).
  if (e.image !== null) {
    const image = e.image as { sha256: string; name: string }
    e.image = { sha256: image.sha256, name: image.name }
  }
  return e as LibraryEntry
}

/**
 * The entries of an index cache, or null when it is of another version or damaged (the caller rebuilds from the
 * metadata files). Rows that fail the schema are left out and counted.
 */
export function decodeIndex(text: string): { entries: LibraryEntry[]; rejected: number } | null {
  let cache: { version?: unknown; fields?: unknown; rows?: unknown }
  try {
    cache = JSON.parse(text)
  } catch {
    return null
  }
  if (
    cache?.version !== INDEX_VERSION ||
    !Array.isArray(cache.rows) ||
    !Array.isArray(cache.fields) ||
    cache.fields.join() !== INDEX_FIELDS.join()
  )
    return null
  const entries: LibraryEntry[] = []
  let rejected = 0
  for (const row of cache.rows) {
    const e = Array.isArray(row) ? rowEntry(row) : null
    if (e) entries.push(e)
    else rejected += 1
  }
  return { entries, rejected }
}
