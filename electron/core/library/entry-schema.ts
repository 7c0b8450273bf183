// What a library entry may hold, checked whenever one is read from disk. A library folder is shared, synced and
// unzipped, so its .seedance/meta/*.json and index cache are input from whoever made the folder (issue 9, point 4):
// every file name in them is a plain base name, so no path the library builds from them can leave the library.
import { z } from 'zod'
import type { LibraryEntry } from '../../shared/model'

/** Ids name files (meta/<id>.json, thumbs/<id>.jpg): letters, digits, '.', '_' and '-', not a dot segment. */
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/
// Characters no portable file name holds: separators, a Windows drive or stream colon, controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
const UNSAFE_NAME = /[/\\:\u0000-\u001f\u007f]/

export function isSafeId(id: unknown): id is string {
  return typeof id === 'string' && ID.test(id) && id !== '.' && id !== '..'
}

/** One plain file name with the given extension: no folder, nothing hidden, nothing that names another place. */
export function isPlainName(name: unknown, ext: string): name is string {
  return (
    typeof name === 'string' &&
    name.length > ext.length &&
    name.length <= 255 &&
    !UNSAFE_NAME.test(name) &&
    !name.startsWith('.') &&
    name === name.trim() &&
    name.toLowerCase().endsWith(ext)
  )
}

const text = (max: number) => z.string().max(max)
// Numbers are only checked to be numbers: a negative generation time (the service's clock ahead of ours) must not
// make a paid video's details unsavable. The schema guards types and file names, not plausibility.
const count = z.number().finite()

export const libraryEntrySchema = z
  .object({
    id: z.string().refine(isSafeId, 'not a plain id'),
    file: z.string().refine((n) => isPlainName(n, '.mp4'), 'not a plain .mp4 file name'),
    title: text(1000),
    prompt: text(10_000),
    mode: z.enum(['text', 'image']),
    duration: count,
    resolution: z.enum(['720p', '1080p']),
    aspectRatio: z.enum(['16:9', '9:16', '1:1']),
    style: text(1000).nullable(),
    motionIntensity: count.nullable(),
    width: count,
    height: count,
    sizeBytes: count,
    sha256: text(128),
    createdAt: count,
    generationMs: count.nullable(),
    credits: count.nullable(),
    favorite: z.boolean(),
    fingerprint: text(128).nullable(),
    jobId: text(200).nullable(),
    remoteId: text(1000).nullable(),
    image: z.object({ sha256: text(128), name: text(4000) }).nullable(),
    thumbnail: z
      .string()
      .refine((n) => isPlainName(n, '.jpg'), 'not a plain .jpg file name')
      .nullable(),
    expired: z.boolean(),
    linkUntil: count.nullable().optional(),
    external: z.boolean(),
  })
  // Unknown keys are dropped, so nothing but these fields is ever kept or written back.
  .strip()

export type ParsedEntry = { ok: true; entry: LibraryEntry } | { ok: false; problem: string }

/** Check one entry as read from disk; `expectedId` is the id its metadata file is named after. */
export function parseEntry(value: unknown, expectedId?: string): ParsedEntry {
  const result = libraryEntrySchema.safeParse(value)
  if (!result.success) {
    const issue = result.error.issues[0]
    return { ok: false, problem: `${issue?.path.join('.') || 'entry'}: ${issue?.message ?? 'invalid'}` }
  }
  // A file meta/a.json describing video b would let removing b delete a.json's neighbour, and come back on rescan.
  if (expectedId !== undefined && result.data.id !== expectedId)
    return { ok: false, problem: `its id "${result.data.id}" is not its file name` }
  return { ok: true, entry: result.data as LibraryEntry }
}

/** The fields written to a metadata file: the entry without what the library works out when it opens. */
export function toMetadata(entry: LibraryEntry): LibraryEntry {
  const { missing: _missing, ...stored } = entry
  return stored
}
