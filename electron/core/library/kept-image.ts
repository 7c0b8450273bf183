// A source image the app keeps in its data folder (<data>/images/<sha256>.<ext>, copied there when a job is
// prepared), found by its content hash: a video dropped on the composer names its source images by hash (issue 11,
// point 1), and its settings bring the image back when this machine still has it.
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { LibraryEntry } from '../../shared/model'

const SHA256 = /^[0-9a-f]{64}$/

/**
 * The kept image with this hash, named as the user named it (from a library entry that used it, else by its
 * file), or null when the app does not keep it. Only a hex hash is looked up, so nothing outside `dir` is read.
 */
export async function keptImage(
  dir: string,
  sha256: string,
  entries: Iterable<LibraryEntry> = [],
): Promise<{ name: string; data: Uint8Array } | null> {
  if (!SHA256.test(sha256)) return null
  const file = (await readdir(dir).catch(() => [] as string[])).find((f) => f.startsWith(`${sha256}.`))
  if (!file) return null
  let name = file
  for (const e of entries) {
    const used = e.image?.sha256 === sha256 ? e.image : e.lastImage?.sha256 === sha256 ? e.lastImage : null
    if (used) {
      name = used.name
      break
    }
  }
  return { name, data: new Uint8Array(await readFile(path.join(dir, file))) }
}
