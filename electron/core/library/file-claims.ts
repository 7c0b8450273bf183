// Which library entries show each video file. A file is trashed only when the last entry showing it is removed,
// and Locate… never hands one entry's file to another. Built from the entries the first time it is asked, not at
// open: opening 100,000 videos needs no such map.
import type { LibraryEntry } from '../../shared/model'

type Claim = string | Set<string>

export class FileClaims {
  private byFile: Map<string, Claim> | null = null

  constructor(private readonly entries: () => Iterable<LibraryEntry>) {}

  /** Forget everything (the entries were replaced); rebuilt when next asked. */
  reset(): void {
    this.byFile = null
  }

  add(entry: LibraryEntry): void {
    if (this.byFile) claim(this.byFile, entry)
  }

  remove(entry: LibraryEntry): void {
    const claimed = this.byFile?.get(entry.file)
    if (!this.byFile || claimed === undefined) return
    if (typeof claimed === 'string') {
      if (claimed === entry.id) this.byFile.delete(entry.file)
      return
    }
    claimed.delete(entry.id)
    const [only] = claimed
    if (claimed.size === 1 && only !== undefined) this.byFile.set(entry.file, only)
    else if (claimed.size === 0) this.byFile.delete(entry.file)
  }

  /** The ids of the entries that show a file. */
  of(file: string): string[] {
    if (!this.byFile) {
      const byFile = new Map<string, Claim>()
      for (const e of this.entries()) claim(byFile, e)
      this.byFile = byFile
    }
    const claimed = this.byFile.get(file)
    return claimed === undefined ? [] : typeof claimed === 'string' ? [claimed] : [...claimed]
  }
}

function claim(byFile: Map<string, Claim>, entry: LibraryEntry): void {
  const claimed = byFile.get(entry.file)
  if (claimed === undefined) byFile.set(entry.file, entry.id)
  else if (typeof claimed === 'string') {
    if (claimed !== entry.id) byFile.set(entry.file, new Set([claimed, entry.id]))
  } else claimed.add(entry.id)
}
