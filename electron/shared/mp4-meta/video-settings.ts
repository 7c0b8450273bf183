// The generation settings a saved video carries inside its MP4 (issue 11, point 1): the full settings as JSON in
// a freeform item (mean "com.seedance.studio", name "settings"), and the few that every tool shows as standard
// items (title, description = the prompt, comment = a one-line summary, date, encoder). Read back by ffprobe
// (`-show_format`: title, description, comment, date, encoder, settings) and exiftool.
import { z } from 'zod'
import { ASPECT_RATIOS, RESOLUTIONS } from '../providers'
import { TAG } from './ilst'

export const SETTINGS_MEAN = 'com.seedance.studio'
export const SETTINGS_NAME = 'settings'
export const SETTINGS_FORMAT = 1
export const APP_NAME = 'Seedance Studio'

const image = z.object({ sha256: z.string().max(128), name: z.string().max(4000) }).nullable()

/** The settings JSON. Unknown fields (a newer app's) are dropped; a missing one is a damaged file. */
export const videoSettingsSchema = z.object({
  format: z.literal(SETTINGS_FORMAT),
  app: z.object({ name: z.string().max(100), version: z.string().max(100) }),
  jobId: z.string().max(200).nullable(),
  /** ISO 8601, UTC. */
  created: z.string().max(40),
  title: z.string().max(1000),
  prompt: z.string().max(10_000),
  /** Kept as text: a file from a newer app may name a provider this one does not know (the reader decides). */
  provider: z.string().max(100),
  model: z.string().max(200),
  mode: z.enum(['text', 'image']),
  seed: z.number().finite().nullable(),
  duration: z.number().finite(),
  resolution: z.enum(RESOLUTIONS),
  aspectRatio: z.enum(ASPECT_RATIOS).nullable(),
  style: z.string().max(1000).nullable(),
  motionIntensity: z.number().finite().nullable(),
  cameraFixed: z.boolean().nullable(),
  audio: z.boolean().nullable(),
  /** The source image (first frame) and last frame, by content hash and the name the user gave them. */
  image,
  lastImage: image,
  /** An image the service fetched from the web, when one was used instead of a file. */
  imageUrl: z.string().max(2000).nullable(),
  remoteId: z.string().max(1000).nullable(),
  /** The request's fingerprint (same request, same video), so a rebuilt library still offers "already made". */
  fingerprint: z.string().max(128).nullable(),
  credits: z.number().finite().nullable(),
  generationMs: z.number().finite().nullable(),
  /** The library id of the clip this one continues (issue 11, point 2), so a rebuilt library keeps its sequences. */
  continues: z.string().max(200).nullable().optional(),
  /** An exported sequence (issue 11, point 2): each clip's own settings, first to last; absent for one video. */
  sequence: z
    .array(
      z.object({
        id: z.string().max(200),
        prompt: z.string().max(10_000),
        provider: z.string().max(100).nullable(),
        model: z.string().max(200).nullable(),
        seed: z.number().finite().nullable(),
        duration: z.number().finite(),
        jobId: z.string().max(200).nullable(),
        continues: z.string().max(200).nullable(),
      }),
    )
    .max(1000)
    .optional(),
})

export type VideoSettings = z.infer<typeof videoSettingsSchema>

/** What a reader found: the settings, and the standard items as text (for `seedance library info`). */
export interface EmbeddedMetadata {
  settings: VideoSettings
  tags: Record<string, string>
}

/** The one-line summary written as the comment, for people looking at the file in another tool. */
export function settingsSummary(s: VideoSettings): string {
  const parts = [
    `${s.provider}/${s.model}`,
    `${s.duration} s`,
    s.resolution,
    s.aspectRatio,
    s.seed !== null ? `seed ${s.seed}` : null,
    s.cameraFixed ? 'fixed camera' : null,
    s.audio ? 'sound' : null,
  ]
  return `Made with ${APP_NAME}: ${parts.filter(Boolean).join(', ')}`
}

/** The standard items written beside the JSON, as [key, text]. */
export function standardTags(s: VideoSettings): Array<[string, string]> {
  return [
    [TAG.title, s.title],
    [TAG.description, s.prompt],
    [TAG.comment, settingsSummary(s)],
    [TAG.date, s.created],
    [TAG.encoder, `${s.app.name} ${s.app.version}`],
  ]
}

/** Parse the JSON of the freeform item; throws INVALID_SETTINGS-coded errors through the caller. */
export function parseSettingsJson(
  text: string,
): { ok: true; settings: VideoSettings } | { ok: false; problem: string } {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { ok: false, problem: 'its settings are not valid JSON' }
  }
  const result = videoSettingsSchema.safeParse(value)
  if (!result.success) {
    const issue = result.error.issues[0]
    return {
      ok: false,
      problem: `its settings fail the check (${issue?.path.join('.') || 'settings'}: ${issue?.message})`,
    }
  }
  return { ok: true, settings: result.data }
}
