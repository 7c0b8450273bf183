// The library's index cache (<library>/.seedance/index.json): every entry as a row under one list of field names,
// much quicker to parse than 100,000 objects. One format, written by flush() and read by open() (issue 9,
// point 14: they had drifted apart, so the cache was never used). Like the metadata files it caches, it lives in a
// folder others can write, so every row passes the entry schema before it is used.
import type { LibraryEntry } from '../../shared/model'
import { isPlainName, isSafeId, parseEntry } from './entry-schema'

export const INDEX_VERSION = 3

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
] as const satisfies ReadonlyArray<keyof LibraryEntry>

export function encodeIndex(entries: Iterable<LibraryEntry>): string {
  const rows: unknown[][] = []
  for (const e of entries) rows.push(INDEX_FIELDS.map((f) => e[f]))
  return JSON.stringify({ version: INDEX_VERSION, fields: INDEX_FIELDS, rows })
}

/** The same row as an entry, with the field types the schema would accept; anything else needs the full check. */
function quickEntry(r: unknown[]): LibraryEntry | null {
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
    linkUntil: r[25],
    missing: false,
  } as LibraryEntry
  // The fields that name files are checked here on every row, cheaply; rows whose other fields are not of the
  // usual plain types go through the full schema (so a crafted cache gets no further than a crafted meta file).
  if (!isSafeId(e.id) || !isPlainName(e.file, '.mp4') || (e.thumbnail !== null && !isPlainName(e.thumbnail, '.jpg')))
    return null
  const plain =
    typeof e.title === 'string' &&
    typeof e.prompt === 'string' &&
    (e.mode === 'text' || e.mode === 'image') &&
    (e.resolution === '720p' || e.resolution === '1080p') &&
    (e.aspectRatio === '16:9' || e.aspectRatio === '9:16' || e.aspectRatio === '1:1') &&
    typeof e.duration === 'number' &&
    typeof e.width === 'number' &&
    typeof e.height === 'number' &&
    typeof e.sizeBytes === 'number' &&
    typeof e.createdAt === 'number' &&
    typeof e.sha256 === 'string' &&
    typeof e.favorite === 'boolean' &&
    typeof e.expired === 'boolean' &&
    typeof e.external === 'boolean' &&
    (e.linkUntil === null || e.linkUntil === undefined || typeof e.linkUntil === 'number') &&
    (e.style === null || typeof e.style === 'string') &&
    (e.motionIntensity === null || typeof e.motionIntensity === 'number') &&
    (e.generationMs === null || typeof e.generationMs === 'number') &&
    (e.credits === null || typeof e.credits === 'number') &&
    (e.fingerprint === null || typeof e.fingerprint === 'string') &&
    (e.jobId === null || typeof e.jobId === 'string') &&
    (e.remoteId === null || typeof e.remoteId === 'string') &&
    e.image === null &&
    e.title.length <= 1000 &&
    e.prompt.length <= 10_000
  if (plain) return e
  const full = parseEntry(e)
  return full.ok ? { ...full.entry, missing: false } : null
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
    const e = Array.isArray(row) ? quickEntry(row) : null
    if (e) entries.push(e)
    else rejected += 1
  }
  return { entries, rejected }
}
