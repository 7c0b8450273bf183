// The on-disk library: a folder a person can browse (readable .mp4 names), with the metadata that lets
// the whole library be rebuilt from the folder alone, in a hidden .seedance folder inside it:
//   <library>/.seedance/meta/<id>.json    one file per video (the source of truth)
//   <library>/.seedance/thumbs/<id>.jpg   thumbnails
//   <library>/.seedance/index.json        a cache of every entry, so opening 100,000 videos is one read
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { type LibraryPage, type LibraryQuery, queryLibrary, searchText } from '../../shared/library-query'
import type { LibraryEntry } from '../../shared/model'
import { probeMp4File } from '../media/mp4-probe'
import { writeFileAtomic } from '../util/atomic-write'
import { type Logger, silentLogger } from '../util/logger'

export const INDEX_VERSION = 2

/** The index cache stores entries as rows under one list of field names: much quicker to parse than objects. */
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
] as const satisfies ReadonlyArray<keyof LibraryEntry>

export function encodeIndex(entries: LibraryEntry[]): string {
  return JSON.stringify({
    version: INDEX_VERSION,
    fields: INDEX_FIELDS,
    rows: entries.map((e) => INDEX_FIELDS.map((f) => e[f])),
  })
}

function decodeIndex(text: string): LibraryEntry[] | null {
  const cache = JSON.parse(text) as { version: number; fields: string[]; rows: unknown[][] }
  if (cache.version !== INDEX_VERSION || !Array.isArray(cache.rows) || cache.fields?.join() !== INDEX_FIELDS.join())
    return null
  // One object literal of a fixed shape per row, so V8 keeps every entry on the same fast hidden class.
  return cache.rows.map(
    (r) =>
      ({
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
      }) as LibraryEntry,
  )
}

export type { LibraryPage, LibraryQuery } from '../../shared/library-query'

export interface LibraryOptions {
  logger?: Logger
  /** Moves a file to the OS trash (the app passes shell.trashItem); defaults to deleting it. */
  trash?: (file: string) => Promise<void>
  /** Build the index from the folder even when an index cache is present (a folder just chosen or moved into). */
  rescan?: boolean
}

interface Indexed {
  entry: LibraryEntry
  /** Lower-case title, prompt and style, for search; built after opening, off the critical path. */
  hay: string | null
}

const hayOf = searchText

export class Library {
  private readonly byId = new Map<string, Indexed>()
  private readonly byFingerprint = new Map<string, string>()
  private readonly listeners = new Set<() => void>()
  private saveTimer: ReturnType<typeof setTimeout> | null = null
  private saving: Promise<void> = Promise.resolve()

  private constructor(
    readonly dir: string,
    private readonly logger: Logger,
    private readonly trash: (file: string) => Promise<void>,
  ) {}

  get metaDir(): string {
    return path.join(this.dir, '.seedance', 'meta')
  }
  get thumbsDir(): string {
    return path.join(this.dir, '.seedance', 'thumbs')
  }
  private get indexFile(): string {
    return path.join(this.dir, '.seedance', 'index.json')
  }

  /** Open a library folder: from its index cache when present, else by scanning it. */
  static async open(dir: string, options: LibraryOptions = {}): Promise<Library> {
    const lib = new Library(dir, options.logger ?? silentLogger, options.trash ?? ((f) => rm(f, { force: true })))
    await mkdir(lib.metaDir, { recursive: true })
    await mkdir(lib.thumbsDir, { recursive: true })
    let loaded = false
    if (!options.rescan)
      try {
        const entries = decodeIndex(await readFile(lib.indexFile, 'utf8'))
        if (entries) {
          for (const e of entries) lib.put(e)
          loaded = true
        }
      } catch {
        // no cache, or a damaged one: rebuild from the folder
      }
    if (!loaded) await lib.rescan()
    lib.warmSearch()
    return lib
  }

  /** Build the search text of every entry in slices after opening, so opening stays fast. */
  private warmSearch(): void {
    const pending = [...this.byId.values()].filter((i) => i.hay === null)
    let at = 0
    const slice = () => {
      const end = Math.min(pending.length, at + 5000)
      for (; at < end; at++) {
        const item = pending[at] as Indexed
        item.hay ??= hayOf(item.entry)
      }
      if (at < pending.length) setImmediate(slice)
    }
    setImmediate(slice)
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  get size(): number {
    return this.byId.size
  }

  get(id: string): LibraryEntry | undefined {
    return this.byId.get(id)?.entry
  }

  all(): LibraryEntry[] {
    return [...this.byId.values()].map((i) => i.entry)
  }

  findByFingerprint(fp: string): LibraryEntry | undefined {
    const id = this.byFingerprint.get(fp)
    const entry = id ? this.get(id) : undefined
    return entry && !entry.expired ? entry : undefined
  }

  videoPath(entry: LibraryEntry): string {
    return path.join(this.dir, entry.file)
  }

  thumbnailPath(entry: LibraryEntry): string | null {
    return entry.thumbnail ? path.join(this.thumbsDir, entry.thumbnail) : null
  }

  query(q: LibraryQuery = {}): LibraryPage {
    // The search text of each entry is cached (built after opening), so typing stays fast at 100,000 videos.
    return queryLibrary(
      this.byId.values(),
      q,
      (item) => item.entry,
      (item) => {
        item.hay ??= hayOf(item.entry)
        return item.hay
      },
    )
  }

  /** Record a finished video (its file already in place): metadata first on disk, then the index. */
  async add(entry: LibraryEntry): Promise<void> {
    await writeFileAtomic(path.join(this.metaDir, `${entry.id}.json`), JSON.stringify(entry, null, 2))
    this.put(entry)
    this.changed()
  }

  async setFavorite(id: string, favorite: boolean): Promise<LibraryEntry> {
    return this.update(id, { favorite })
  }

  async rename(id: string, title: string): Promise<LibraryEntry> {
    const t = title.trim()
    if (!t || t.length > 200)
      throw Object.assign(new Error('A title needs 1–200 characters.'), { code: 'INVALID_TITLE' })
    return this.update(id, { title: t })
  }

  /** Remove videos: their files go to the trash; their metadata and thumbnails are deleted. */
  async remove(ids: string[]): Promise<number> {
    let removed = 0
    for (const id of ids) {
      const entry = this.get(id)
      if (!entry) continue
      if (!entry.expired)
        await this.trash(this.videoPath(entry)).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'ENOENT') throw e
        })
      const thumb = this.thumbnailPath(entry)
      if (thumb) await rm(thumb, { force: true })
      await rm(path.join(this.metaDir, `${id}.json`), { force: true })
      this.drop(id)
      removed += 1
    }
    if (removed) this.changed()
    return removed
  }

  /**
   * Rebuild the index from the folder: metadata files whose video is gone are dropped (deleted outside the
   * app), and videos without metadata are added as external entries.
   */
  async rescan(): Promise<{ added: number; removed: number }> {
    const before = new Set(this.byId.keys())
    this.byId.clear()
    this.byFingerprint.clear()
    const names = new Set((await readdir(this.dir)).filter((n) => n.toLowerCase().endsWith('.mp4')))
    const known = new Set<string>()
    for (const metaName of await readdir(this.metaDir)) {
      if (!metaName.endsWith('.json')) continue
      try {
        const entry = JSON.parse(await readFile(path.join(this.metaDir, metaName), 'utf8')) as LibraryEntry
        if (!entry.expired && !names.has(entry.file)) {
          await rm(path.join(this.metaDir, metaName), { force: true })
          if (entry.thumbnail) await rm(path.join(this.thumbsDir, entry.thumbnail), { force: true })
          continue
        }
        known.add(entry.file)
        this.put(entry)
      } catch (error) {
        this.logger.warn('library: unreadable metadata skipped', { file: metaName, error: String(error) })
      }
    }
    for (const name of names) {
      if (known.has(name)) continue
      const entry = await this.externalEntry(name)
      if (entry) await this.add(entry)
    }
    const added = [...this.byId.keys()].filter((id) => !before.has(id)).length
    const removed = [...before].filter((id) => !this.byId.has(id)).length
    this.changed()
    return { added, removed }
  }

  /** Write the index cache now (it is also written shortly after every change). */
  async flush(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer)
    this.saveTimer = null
    this.saving = this.saving.then(() =>
      writeFileAtomic(this.indexFile, JSON.stringify({ version: INDEX_VERSION, entries: this.all() })).catch(
        (error) => {
          this.logger.warn('library: index not saved', { error: String(error) })
        },
      ),
    )
    await this.saving
  }

  private async externalEntry(name: string): Promise<LibraryEntry | null> {
    const file = path.join(this.dir, name)
    try {
      const info = await stat(file)
      const probe = await probeMp4File(file)
      const landscape = probe.width > probe.height
      return {
        id: `ext-${Buffer.from(name).toString('base64url').slice(0, 40)}`,
        file: name,
        title: name.replace(/\.mp4$/i, ''),
        prompt: '',
        mode: 'text',
        duration: Math.round(probe.durationSeconds * 10) / 10,
        resolution: Math.min(probe.width, probe.height) >= 1080 ? '1080p' : '720p',
        aspectRatio: probe.width === probe.height ? '1:1' : landscape ? '16:9' : '9:16',
        style: null,
        motionIntensity: null,
        width: probe.width,
        height: probe.height,
        sizeBytes: info.size,
        sha256: '',
        createdAt: info.mtimeMs,
        generationMs: null,
        credits: null,
        favorite: false,
        fingerprint: null,
        jobId: null,
        remoteId: null,
        image: null,
        thumbnail: null,
        expired: false,
        external: true,
      }
    } catch (error) {
      this.logger.warn('library: a file that is not a playable MP4 was left alone', {
        file: name,
        error: String(error),
      })
      return null
    }
  }

  private async update(id: string, patch: Partial<LibraryEntry>): Promise<LibraryEntry> {
    const current = this.get(id)
    if (!current) throw Object.assign(new Error(`No video ${id} in the library.`), { code: 'VIDEO_NOT_FOUND' })
    const next = { ...current, ...patch }
    await this.add(next)
    return next
  }

  private put(entry: LibraryEntry): void {
    this.byId.set(entry.id, { entry, hay: null })
    if (entry.fingerprint) this.byFingerprint.set(entry.fingerprint, entry.id)
  }

  private drop(id: string): void {
    const e = this.get(id)
    if (e?.fingerprint && this.byFingerprint.get(e.fingerprint) === id) this.byFingerprint.delete(e.fingerprint)
    this.byId.delete(id)
  }

  private changed(): void {
    if (!this.saveTimer) {
      this.saveTimer = setTimeout(() => void this.flush(), 250)
      this.saveTimer.unref?.()
    }
    for (const l of this.listeners) l()
  }
}
