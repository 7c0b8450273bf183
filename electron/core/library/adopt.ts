// A video found in the library folder with no metadata file: a library copied without its .seedance folder, a
// video synced in, a file dropped there by hand. The settings the app embeds in every video it saves (issue 11,
// point 1) give it back its whole entry (prompt, door and model, seed, settings, source images, job id, date);
// a video with none is listed as external, with what its file says.
import path from 'node:path'
import { Mp4MetaError, readSettingsFile } from '../../node/mp4-settings-file'
import type { LibraryEntry } from '../../shared/model'
import { entryFromSettings } from '../../shared/mp4-meta/entry-settings'
import type { Logger } from '../util/logger'
import { sha256File } from './downloader'
import { isSafeId, parseEntry } from './entry-schema'
import { externalEntry, probeVideoFile } from './library-folders'

/** The entry for `name` in `dir`; `taken(id)` says an id is already in the library. Throws INVALID_VIDEO. */
export async function adoptVideo(
  dir: string,
  name: string,
  taken: (id: string) => boolean,
  logger: Logger,
): Promise<LibraryEntry> {
  const file = path.join(dir, name)
  const probe = await probeVideoFile(file)
  const external = externalEntry(name, probe)
  let settings: Awaited<ReturnType<typeof readSettingsFile>>['settings']
  try {
    settings = (await readSettingsFile(file)).settings
  } catch (error) {
    if (!(error instanceof Mp4MetaError && error.code === 'NO_SETTINGS'))
      logger.warn('library: the settings inside a video do not read; listed as external', {
        file: name,
        error: String(error),
      })
    return external
  }
  // The app's own id when it is free (the same video's other copy keeps it), else the file's external id.
  const id = settings.jobId && isSafeId(settings.jobId) && !taken(settings.jobId) ? settings.jobId : external.id
  const facts = { id, file: name, width: probe.width, height: probe.height, sizeBytes: probe.sizeBytes }
  const entry = entryFromSettings(settings, { ...facts, sha256: await sha256File(file), mtimeMs: probe.mtimeMs })
  const parsed = parseEntry(entry)
  if (parsed.ok) return parsed.entry
  logger.warn('library: the settings inside a video fail the entry schema; listed as external', {
    file: name,
    problem: parsed.problem,
  })
  return external
}
