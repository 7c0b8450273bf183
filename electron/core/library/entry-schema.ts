// What a library entry may hold, checked whenever one is read from disk. A library folder is shared, synced and
// unzipped, so its .seedance/meta/*.json and index cache are input from whoever made the folder (issue 9, point 4):
// every file name in them is a plain base name, so no path the library builds from them can leave the library.
import { z } from 'zod'
import type { LibraryEntry } from '../../shared/model'
import { ASPECT_RATIOS, PROVIDER_IDS, RESOLUTIONS } from '../../shared/providers'

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

// Every field's rule, written once: the zod schema below (metadata files) and ENTRY_FIELD_CHECKS (the index
// cache's fast check, which must not cost a zod parse per row on a 100,000-video library) both derive from it.
// Numbers are only checked to be finite numbers: a negative generation time (the service's clock ahead of ours)
// must not make a paid video's details unsavable. The rules guard types, lengths and file names, not plausibility.
type Rule =
  | { kind: 'id' }
  | { kind: 'name'; ext: '.mp4' | '.jpg' | '.png' | '' }
  | { kind: 'text'; max: number }
  | { kind: 'count' }
  | { kind: 'bool' }
  | { kind: 'oneOf'; values: readonly [string, ...string[]] }
  | { kind: 'image'; sha256: number; name: number }
  | { kind: 'sweep' }
/** `optional`: a field added later (older metadata files lack it). */
type FieldRule = Rule & { nullable?: true; optional?: true }

/** A sweep tag: its id and at most 5 axis values (prompt, seed, model, duration, resolution), each short text. */
const sweepTagSchema = z
  .object({
    id: z.string().min(1).max(200),
    vary: z.record(z.string().max(40), z.string().max(200)).refine((v) => Object.keys(v).length <= 5, 'too many axes'),
  })
  .strip()

const text = (max: number) => ({ kind: 'text', max }) as const satisfies Rule
const count: Rule = { kind: 'count' }
const bool: Rule = { kind: 'bool' }
const orNull = (rule: Rule): FieldRule => ({ ...rule, nullable: true })

export const ENTRY_RULES = {
  id: { kind: 'id' },
  file: { kind: 'name', ext: '.mp4' },
  title: text(1000),
  prompt: text(10_000),
  mode: { kind: 'oneOf', values: ['text', 'image'] },
  duration: count,
  resolution: { kind: 'oneOf', values: RESOLUTIONS },
  aspectRatio: { kind: 'oneOf', values: ASPECT_RATIOS },
  style: orNull(text(1000)),
  motionIntensity: orNull(count),
  width: count,
  height: count,
  sizeBytes: count,
  sha256: text(128),
  createdAt: count,
  generationMs: orNull(count),
  credits: orNull(count),
  favorite: bool,
  fingerprint: orNull(text(128)),
  jobId: orNull(text(200)),
  remoteId: orNull(text(1000)),
  image: orNull({ kind: 'image', sha256: 128, name: 4000 }),
  thumbnail: orNull({ kind: 'name', ext: '.jpg' }),
  expired: bool,
  /** Until when the service's link may still be fetched (0: the service said the video is gone). */
  linkUntil: { ...count, nullable: true, optional: true },
  external: bool,
  /** Issue 10: absent in entries written before (the guide's API, its 'standard' model). */
  provider: { kind: 'oneOf', values: PROVIDER_IDS, optional: true },
  model: { ...text(200), optional: true },
  seed: { ...count, nullable: true, optional: true },
  /** Issue 11 (sweep): the sweep that made it ({ id, vary }). */
  sweep: { kind: 'sweep', nullable: true, optional: true },
  // Issue 11 (meta, sequence): absent in entries written before.
  lastImage: { kind: 'image', sha256: 128, name: 4000, nullable: true, optional: true },
  cameraFixed: { ...bool, nullable: true, optional: true },
  audio: { ...bool, nullable: true, optional: true },
  /** The last-frame image kept under .seedance/frames/ (a PNG, as the services give it). */
  lastFrame: { kind: 'name', ext: '.png', nullable: true, optional: true },
  continues: { kind: 'id', nullable: true, optional: true },
} as const satisfies Record<Exclude<keyof LibraryEntry, 'missing'>, FieldRule>

type RuleName = keyof typeof ENTRY_RULES
const RULE_NAMES = Object.keys(ENTRY_RULES) as RuleName[]

function zodFor(rule: FieldRule): z.ZodType {
  let t: z.ZodType
  switch (rule.kind) {
    case 'id':
      t = z.string().refine(isSafeId, 'not a plain id')
      break
    case 'name':
      t = z.string().refine((n) => isPlainName(n, rule.ext), `not a plain ${rule.ext ? `${rule.ext} ` : ''}file name`)
      break
    case 'text':
      t = z.string().max(rule.max)
      break
    case 'count':
      t = z.number().finite()
      break
    case 'bool':
      t = z.boolean()
      break
    case 'oneOf':
      t = z.enum(rule.values)
      break
    case 'image':
      t = z.object({ sha256: z.string().max(rule.sha256), name: z.string().max(rule.name) })
      break
    case 'sweep':
      t = sweepTagSchema
      break
  }
  const n = rule.nullable ? t.nullable() : t
  return rule.optional ? n.optional() : n
}

export const libraryEntrySchema = z
  .object(Object.fromEntries(RULE_NAMES.map((k) => [k, zodFor(ENTRY_RULES[k])])) as Record<RuleName, z.ZodType>)
  // Unknown keys are dropped, so nothing but these fields is ever kept or written back.
  .strip()

/** One field's rule as a small function of its own (a specialised closure checks faster than one big switch). */
function checkerFor(rule: FieldRule): (v: unknown) => boolean {
  const nullable = rule.nullable === true
  let check: (v: unknown) => boolean
  switch (rule.kind) {
    case 'id':
      check = isSafeId
      break
    case 'name': {
      const ext = rule.ext
      check = (v) => isPlainName(v, ext)
      break
    }
    case 'text': {
      const max = rule.max
      check = (v) => typeof v === 'string' && v.length <= max
      break
    }
    case 'count':
      check = Number.isFinite
      break
    case 'bool':
      check = (v) => v === true || v === false
      break
    case 'oneOf': {
      const values: readonly unknown[] = rule.values
      check = (v) => values.includes(v)
      break
    }
    case 'sweep':
      check = (v) => sweepTagSchema.safeParse(v).success
      break
    case 'image': {
      const { sha256, name } = rule
      check = (v) => {
        const i = v as { sha256?: unknown; name?: unknown }
        return (
          typeof v === 'object' &&
          v !== null &&
          typeof i.sha256 === 'string' &&
          i.sha256.length <= sha256 &&
          typeof i.name === 'string' &&
          i.name.length <= name
        )
      }
      break
    }
  }
  // A field added later may be absent; the index cache writes an absent value as null (JSON has no undefined).
  const optional = rule.optional === true
  if (optional) return (v) => v === null || v === undefined || check(v)
  return nullable ? (v) => v === null || check(v) : check
}

/** Each field's check, from the rule table: the index cache applies them to its columns, one field each. */
export const ENTRY_FIELD_CHECKS = Object.fromEntries(RULE_NAMES.map((k) => [k, checkerFor(ENTRY_RULES[k])])) as Record<
  RuleName,
  (v: unknown) => boolean
>

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
  return { ok: true, entry: withMaker(result.data as LibraryEntry) }
}

/**
 * The door and model that made an entry. Entries the app wrote before issue 10 do not say: everything was made
 * through the guide's API and its one model then, so they read as seedance/standard (issue 10, point 3). A video found
 * in the folder without metadata (external) says nothing of where it came from, and is left without.
 */
export function withMaker(entry: LibraryEntry): LibraryEntry {
  if (entry.external || (entry.provider !== undefined && entry.model !== undefined)) return entry
  return { ...entry, provider: entry.provider ?? 'seedance', model: entry.model ?? 'standard' }
}

/** The fields written to a metadata file: the entry without what the library works out when it opens. */
export function toMetadata(entry: LibraryEntry): LibraryEntry {
  const { missing: _missing, ...stored } = entry
  return stored
}
