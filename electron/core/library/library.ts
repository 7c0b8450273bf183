// The on-disk library: a folder a person can browse (readable .mp4 names), with the metadata that lets
// the whole library be rebuilt from the folder alone, in a hidden .seedance folder inside it:
//   <library>/.seedance/meta/<id>.json    one file per video (the source of truth)
//   <library>/.seedance/thumbs/<id>.jpg   thumbnails
//   <library>/.seedance/index.json        a cache of every entry, so opening 100,000 videos is one read
// The folder may come from anyone, so everything read from it passes the entry schema, every path is built from
// a plain base name, and the library only ever deletes or writes the files it makes (issue 9, point 4). A video
// whose file is not there is kept as "missing", never forgotten (point 3).
import { mkdir, readdir, readFile, realpath, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { type LibraryPage, type LibraryQuery, queryLibrary, searchText } from '../../shared/library-query'
import type { LibraryEntry } from '../../shared/model'
import { writeFileAtomic } from '../util/atomic-write'
import { type Logger, silentLogger } from '../util/logger'
import { adoptVideo } from './adopt'
import { isPlainName, isSafeId, parseEntry, toMetadata } from './entry-schema'
import { FileClaims } from './file-claims'
import { decodeIndex, encodeIndex } from './index-cache'
import { copyInto, ensureOwnFolders, LibraryError, probeVideoFile } from './library-folders'

export type { LibraryPage, LibraryQuery } from '../../shared/library-query'
export { encodeIndex, INDEX_VERSION } from './index-cache'
export { LibraryError } from './library-folders'

export interface LibraryOptions {
  logger?: Logger
  /** Moves a file to the OS trash (the app passes shell.trashItem); defaults to deleting it. */
  trash?: (file: string) => Promise<void>
  /** Build the index from the folder even when an index cache is present (a folder just chosen or moved into). */
  rescan?: boolean
  /**
   * Writes a metadata or index file atomically; defaults to writeFileAtomic (temporary file, fsync, rename).
   * The benchmark passes one that skips the fsyncs to set up 100,000 videos quickly: the same bytes land.
   */
  writeFile?: (file: string, data: string) => Promise<void>
}

export interface RescanResult {
  added: number
  removed: number
  /** Videos whose file is not in the folder (kept, shown as missing). */
  missing: number
}

export interface LocateResult {
  entry: LibraryEntry
  /** 'adopted': the file was already in the library folder; 'copied' there (the original left where it was). */
  how: 'adopted' | 'copied'
}

interface Indexed {
  entry: LibraryEntry
  /** Lower-case title, prompt and style, for search; built after opening, off the critical path. */
  hay: string | null
}

// The schema's plain-name rule (not just the extension): a hidden name or one with ':' would be adopted, its
// metadata refused by the schema, and the file probed again at every open.
const isVideoName = (n: string) => isPlainName(n, '.mp4')
/** Ends in .mp4, any case (the common exact case without a lower-case copy of each of 100,000 names). */
const hasVideoExtension = (n: string) => n.endsWith('.mp4') || n.slice(-4).toLowerCase() === '.mp4'

export class Library {
  private readonly byId = new Map<string, Indexed>()
  /** Fingerprint to id, built the first time it is asked (a submission), not at open: see fingerprintIds. */
  private fingerprints: Map<string, string> | null = null
  /** The entries that show each video file name (a file is never trashed while another entry shows it). */
  private readonly claims = new FileClaims(() => this.all())
  private readonly listeners = new Set<() => void>()
  private saveTimer: ReturnType<typeof setTimeout> | null = null
  /** Index writes and removals, one after another. */
  private saving: Promise<void> = Promise.resolve()
  /**
   * The index cache on disk may be current. The first change after a flush removes it before any metadata file
   * is written, so a process killed before the next flush leaves no stale cache: the next open scans instead.
   */
  private indexMayBeCurrent = true
  /** How long after a change the index is written: 250 ms, or four times the last write (a big library busy). */
  private flushDelayMs = 250

  private constructor(
    readonly dir: string,
    private readonly logger: Logger,
    private readonly trash: (file: string) => Promise<void>,
    private readonly write: (file: string, data: string) => Promise<void>,
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
  /** The metadata file of an id; ids are checked here too, so no caller can build a path out of the folder. */
  private metaFile(id: string): string {
    if (!isSafeId(id)) throw new LibraryError('VIDEO_NOT_FOUND', 'No video by that id in the library.')
    return path.join(this.metaDir, `${id}.json`)
  }

  /**
   * Open a library folder: from its index cache when present (checked against a listing of the folder, so
   * videos added or removed outside the app are noticed without reading every metadata file), else by scanning.
   * Throws UNSAFE_LIBRARY_FOLDER when its .seedance, meta or thumbs folder is not a real folder.
   */
  static async open(dir: string, options: LibraryOptions = {}): Promise<Library> {
    const lib = new Library(
      dir,
      options.logger ?? silentLogger,
      options.trash ?? ((f) => rm(f, { force: true })),
      options.writeFile ?? writeFileAtomic,
    )
    // The library folder itself is made when missing (a first start); its own folders must then be real ones.
    await mkdir(dir, { recursive: true })
    await ensureOwnFolders(dir)
    if (options.rescan) await lib.rescan()
    else {
      // The two listings are read (on libuv's threads) while the index is read and parsed (on this one): on a
      // 100,000-video library each takes a few hundred ms, so overlapping them is most of a second saved.
      const listing = lib.listFolder()
      listing.catch(() => undefined) // awaited below, or not needed when there is no cache
      const cached = await lib.readIndex()
      if (cached) await lib.reconcile(cached, await listing)
      else await lib.rescan()
    }
    lib.warmSearch()
    return lib
  }

  private async readIndex(): Promise<LibraryEntry[] | null> {
    const text = await readFile(this.indexFile, 'utf8').catch(() => null)
    const decoded = text === null ? null : decodeIndex(text)
    if (decoded?.rejected) this.logger.warn('library: index rows that fail the schema left out', decoded)
    return decoded?.entries ?? null
  }

  /** The library folder's names and its metadata folder's names. */
  private listFolder(): Promise<[string[], string[]]> {
    return Promise.all([readdir(this.dir), readdir(this.metaDir)])
  }

  /** Bring cached entries in line with the folder: metadata added or deleted outside the app, files come and gone. */
  private async reconcile(cached: LibraryEntry[], [names, metaNames]: [string[], string[]]): Promise<void> {
    for (const e of cached) this.put(e)
    // Each metadata file's id is looked up among the entries just put. As many found as entries (ids and file
    // names are both unique) means none was deleted: no set of 100,000 names is built for the common case.
    let found = 0
    const unknown: string[] = []
    for (const n of metaNames) {
      if (!n.endsWith('.json')) continue
      if (this.byId.has(n.slice(0, -5))) found += 1
      else unknown.push(n)
    }
    let changed = false
    if (found < this.byId.size) {
      // Metadata deleted outside the app: the folder is the source of truth.
      const listed = new Set(metaNames)
      for (const id of [...this.byId.keys()])
        if (!listed.has(`${id}.json`)) {
          this.drop(id)
          changed = true
        }
    }
    for (const name of unknown) {
      const e = await this.readMeta(name) // added outside the app (synced from another machine, say)
      if (e) {
        this.put(e)
        changed = true
      }
    }
    if ((await this.settleFiles(names)).changed) changed = true
    if (changed) this.changed()
  }

  /**
   * Mark each entry missing or present against a listing of the folder, and add the videos no entry claims.
   * Never deletes metadata: a drive not mounted yet or a sync still downloading must not lose a video's details.
   */
  private async settleFiles(listing: string[]): Promise<{ added: number; missing: number; changed: boolean }> {
    // The cheap test first (100,000 names at open); the plain-name rule only for the names left to adopt below.
    const videos = listing.filter(hasVideoExtension)
    // Each entry takes its file out of `left`; what is left at the end no entry shows. A file shown by two entries
    // (or an entry whose file is gone) is looked up in the whole listing, built only then: one set, not two, at open.
    const left = new Set(videos)
    let all: Set<string> | null = null
    const listed = (file: string) => {
      all ??= new Set(videos)
      return all.has(file)
    }
    let missing = 0
    let changed = false
    for (const item of this.byId.values()) {
      const e = item.entry
      const gone = !left.delete(e.file) && !e.expired && !listed(e.file)
      if (gone) missing += 1
      if (e.missing !== gone) {
        item.entry = { ...e, missing: gone }
        changed = true
      }
    }
    let added = 0
    for (const name of left) {
      if (!isVideoName(name)) continue
      try {
        // Issue 11: its entry rebuilt from the settings inside it, where the app saved it.
        await this.store(await adoptVideo(this.dir, name, (id) => this.byId.has(id), this.logger))
        added += 1
        changed = true
      } catch (error) {
        this.logger.warn('library: a file that is not a playable MP4 was left alone', {
          file: name,
          error: String(error),
        })
      }
    }
    return { added, missing, changed }
  }

  private async readMeta(name: string): Promise<LibraryEntry | null> {
    try {
      const parsed = parseEntry(JSON.parse(await readFile(path.join(this.metaDir, name), 'utf8')), name.slice(0, -5))
      if (parsed.ok) return parsed.entry
      this.logger.warn('library: metadata that fails the schema was skipped (left as it is)', {
        file: name,
        problem: parsed.problem,
      })
    } catch (error) {
      this.logger.warn('library: unreadable metadata skipped', { file: name, error: String(error) })
    }
    return null
  }

  /** Resolves once the search text of every entry is built (in slices after opening; a search never waits for it). */
  searchReady: Promise<void> = Promise.resolve()

  /** Build the search text of every entry in slices after opening, so opening stays fast. */
  private warmSearch(): void {
    const pending = [...this.byId.values()].filter((i) => i.hay === null)
    let at = 0
    this.searchReady = new Promise((done) => {
      const slice = () => {
        const end = Math.min(pending.length, at + 5000)
        for (; at < end; at++) {
          const item = pending[at] as Indexed
          item.hay ??= searchText(item.entry)
        }
        if (at < pending.length) setImmediate(slice)
        else done()
      }
      setImmediate(slice)
    })
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

  /** The video already made from this exact request, when its file is here to be played. */
  findByFingerprint(fp: string): LibraryEntry | undefined {
    const id = this.fingerprintIds().get(fp)
    const entry = id ? this.get(id) : undefined
    return entry && !entry.expired && !entry.missing ? entry : undefined
  }

  videoPath(entry: LibraryEntry): string {
    return path.join(this.dir, path.basename(entry.file))
  }

  thumbnailPath(entry: LibraryEntry): string | null {
    return entry.thumbnail ? path.join(this.thumbsDir, path.basename(entry.thumbnail)) : null
  }

  query(q: LibraryQuery = {}): LibraryPage {
    // The search text of each entry is cached (built after opening), so typing stays fast at 100,000 videos.
    return queryLibrary(
      this.byId.values(),
      q,
      (item) => item.entry,
      (item) => {
        item.hay ??= searchText(item.entry)
        return item.hay
      },
    )
  }

  /** Record a finished video (its file already in place): metadata first on disk, then the index. */
  async add(entry: LibraryEntry): Promise<void> {
    const present =
      entry.expired ||
      (await stat(this.videoPath(entry)).then(
        (s) => s.isFile(),
        () => false,
      ))
    await this.store({ ...entry, missing: !present })
  }

  async setFavorite(id: string, favorite: boolean): Promise<LibraryEntry> {
    return this.update(id, { favorite })
  }

  async rename(id: string, title: string): Promise<LibraryEntry> {
    const t = title.trim()
    if (!t || t.length > 200) throw new LibraryError('INVALID_TITLE', 'A title needs 1–200 characters.')
    return this.update(id, { title: t })
  }

  /**
   * Remove videos: their files go to the trash; their metadata and thumbnails are deleted. Only files the app
   * made are deleted: the metadata file named after the id, the thumbnail named after it, and the video file
   * the entry shows (unless another entry shows it too).
   */
  async remove(ids: string[]): Promise<number> {
    let removed = 0
    for (const id of ids) {
      const entry = this.get(id)
      if (!entry) continue
      await this.invalidateIndex()
      const sharedFile = this.claims.of(entry.file).length > 1
      // A missing video has no file to trash (and the OS trash fails on a path that is not there).
      if (!entry.expired && !entry.missing && !sharedFile)
        await this.trash(this.videoPath(entry)).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'ENOENT') throw e
        })
      if (entry.thumbnail === `${id}.jpg`) await rm(path.join(this.thumbsDir, entry.thumbnail), { force: true })
      // Sequence (issue 11): the kept last frame, named after the id like the thumbnail.
      if (entry.lastFrame === `${id}.png`)
        await rm(path.join(this.dir, '.seedance', 'frames', entry.lastFrame), { force: true })
      await rm(this.metaFile(id), { force: true })
      this.drop(id)
      removed += 1
    }
    if (removed) this.changed()
    return removed
  }

  /**
   * Rebuild the index from the folder: every metadata file is read again, videos without metadata are added as
   * external entries, and videos whose file is gone are kept as missing (a scan never deletes metadata).
   */
  async rescan(): Promise<RescanResult> {
    await ensureOwnFolders(this.dir)
    await this.invalidateIndex()
    const before = new Set(this.byId.keys())
    this.byId.clear()
    this.fingerprints = null
    this.claims.reset()
    const [names, metaNames] = await Promise.all([readdir(this.dir), readdir(this.metaDir)])
    for (const metaName of metaNames) {
      if (!metaName.endsWith('.json')) continue
      const entry = await this.readMeta(metaName)
      if (entry) this.put(entry)
    }
    const { missing } = await this.settleFiles(names)
    const added = [...this.byId.keys()].filter((id) => !before.has(id)).length
    const removed = [...before].filter((id) => !this.byId.has(id)).length
    this.changed()
    return { added, removed, missing }
  }

  /**
   * Give a missing video its file again: one the user picked in the OS dialog (main passes only that). It must be
   * an MP4; one already in the library folder is adopted as it is, one elsewhere is copied in (see copyInto): a file
   * outside the library is never moved or changed.
   */
  async locate(id: string, picked: string): Promise<LocateResult> {
    const entry = this.get(id)
    if (!entry) throw new LibraryError('VIDEO_NOT_FOUND', `No video ${id} in the library.`)
    if (!entry.missing) throw new LibraryError('VIDEO_NOT_MISSING', 'This video’s file is already in the library.')
    const probe = await probeVideoFile(picked)
    const source = await realpath(picked)
    const home = await realpath(this.dir)
    let file: string
    let how: LocateResult['how']
    if (path.dirname(source) === home && isVideoName(path.basename(source))) {
      file = path.basename(source)
      const other = this.claims.of(file).find((o) => o !== id)
      const claimant = other ? this.get(other) : undefined
      // The file came back under another name and a rescan listed it as found in the folder: this is that video.
      if (claimant?.external) await this.remove([claimant.id])
      else if (claimant)
        throw new LibraryError(
          'FILE_IN_USE',
          `${file} is the file of another video in the library (${claimant.title}).`,
        )
      how = 'adopted'
    } else {
      const names = new Set((await readdir(this.dir)).map((n) => n.toLowerCase()))
      const taken = (f: string) => names.has(f.toLowerCase()) || this.claims.of(f).some((o) => o !== id)
      file = await copyInto(this.dir, source, entry.file, taken)
      how = 'copied'
    }
    const next = { ...entry, file, sizeBytes: probe.sizeBytes, width: probe.width, height: probe.height }
    await this.store({ ...next, missing: false })
    this.logger.info('library: a missing video was located', { id, file, how })
    return { entry: this.get(id) as LibraryEntry, how }
  }

  /** Write the index cache now (it is also written shortly after every change). */
  async flush(): Promise<void> {
    if (this.saveTimer) clearTimeout(this.saveTimer)
    this.saveTimer = null
    this.saving = this.saving.then(() => {
      // The snapshot is taken now: a change from here on removes this index again (invalidateIndex runs after it).
      const started = performance.now()
      const text = encodeIndex(this.all())
      this.indexMayBeCurrent = true
      return this.write(this.indexFile, text).then(
        () => {
          this.flushDelayMs = Math.min(10_000, Math.max(250, 4 * (performance.now() - started)))
        },
        (error) => {
          this.logger.warn('library: index not saved', { error: String(error) })
        },
      )
    })
    await this.saving
  }

  private async update(id: string, patch: Partial<LibraryEntry>): Promise<LibraryEntry> {
    const current = this.get(id)
    if (!current) throw new LibraryError('VIDEO_NOT_FOUND', `No video ${id} in the library.`)
    await this.store({ ...current, ...patch })
    return this.get(id) as LibraryEntry
  }

  /** Check an entry against the schema, write its metadata file, then index it. */
  private async store(entry: LibraryEntry): Promise<void> {
    const parsed = parseEntry(toMetadata(entry))
    if (!parsed.ok) throw new LibraryError('INVALID_ENTRY', `The video’s details cannot be saved: ${parsed.problem}.`)
    await this.invalidateIndex()
    await this.write(this.metaFile(parsed.entry.id), JSON.stringify(parsed.entry, null, 2))
    const previous = this.get(entry.id)
    if (previous) this.drop(entry.id)
    this.put({ ...parsed.entry, missing: entry.missing === true })
    this.changed()
  }

  /** Remove the index cache before the first change after it was written (see indexMayBeCurrent). */
  private async invalidateIndex(): Promise<void> {
    if (!this.indexMayBeCurrent) return
    this.indexMayBeCurrent = false
    this.saving = this.saving.then(() => rm(this.indexFile, { force: true }))
    await this.saving
  }

  /** The fingerprint map, built on first use: opening 100,000 videos needs no such map (as FileClaims). */
  private fingerprintIds(): Map<string, string> {
    if (!this.fingerprints) {
      const byFingerprint = new Map<string, string>()
      for (const { entry } of this.byId.values()) if (entry.fingerprint) byFingerprint.set(entry.fingerprint, entry.id)
      this.fingerprints = byFingerprint
    }
    return this.fingerprints
  }

  private put(entry: LibraryEntry): void {
    this.byId.set(entry.id, { entry, hay: null })
    if (entry.fingerprint) this.fingerprints?.set(entry.fingerprint, entry.id)
    this.claims.add(entry)
  }

  private drop(id: string): void {
    const e = this.get(id)
    if (e?.fingerprint && this.fingerprints?.get(e.fingerprint) === id) this.fingerprints.delete(e.fingerprint)
    if (e) this.claims.remove(e)
    this.byId.delete(id)
  }

  private changed(): void {
    if (!this.saveTimer) {
      this.saveTimer = setTimeout(() => void this.flush(), this.flushDelayMs)
      this.saveTimer.unref?.()
    }
    for (const l of this.listeners) l()
  }
}
