// The engine's step that writes a video's settings into its MP4 (issue 11, point 1), on the save path: the
// downloaded .part file gets them before it takes its final name. Embedding is an extra: any failure is logged and
// the video is kept as it came from the service, never lost or held back.
import pkg from '../../../package.json' with { type: 'json' }
import { embedSettingsFile } from '../../node/mp4-settings-file'
import type { LibraryEntry } from '../../shared/model'
import { settingsOfEntry } from '../../shared/mp4-meta/entry-settings'
import type { Logger } from '../util/logger'
import { probeMp4File } from './mp4-probe'

export const APP_VERSION: string = pkg.version

/**
 * Embed `entry`'s settings in `file` in place (written beside it, read back, probed as an MP4, then renamed over
 * it). Resolves to true when they are in; false (logged) when the file is left as it was.
 */
export async function embedEntrySettings(file: string, entry: LibraryEntry, logger: Logger): Promise<boolean> {
  try {
    await embedSettingsFile(file, file, settingsOfEntry(entry, APP_VERSION), async (written) => {
      await probeMp4File(written)
    })
    return true
  } catch (error) {
    logger.warn('video saved without its settings embedded', { id: entry.id, error: String(error) })
    return false
  }
}
