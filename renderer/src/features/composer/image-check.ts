// Inline image validation in the renderer, with the chosen model's image rules (shared/providers.ts; the engine
// checks again with the same rules before anything is sent): formats, size, decodable, each side, aspect.
import type { ImageRules } from '../../../../electron/shared/providers'

/**
 * Formats the composer can check here: the browser decodes these to read the size. CHOSEN: TIFF, which Ark takes,
 * is not offered in the app (Chromium cannot decode it to check it); the CLI sends it.
 */
const DECODABLE: Record<string, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  bmp: 'image/bmp',
}
const NAME: Record<string, string> = { jpeg: 'JPEG', png: 'PNG', webp: 'WebP', gif: 'GIF', bmp: 'BMP' }

export type ImageCheck = { ok: true; width: number; height: number } | { ok: false; message: string }

/** The MIME types a model's images may have, for the file picker's `accept`. */
export function acceptedTypes(rules: ImageRules): string[] {
  return rules.formats.flatMap((f) => (DECODABLE[f] ? [DECODABLE[f]] : []))
}

/** "JPEG, PNG or WebP". */
export function formatNames(rules: ImageRules): string {
  const names = rules.formats.flatMap((f) => (NAME[f] ? [NAME[f]] : []))
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : (names[0] ?? '')
}

export function describeRules(rules: ImageRules): string {
  return `${formatNames(rules)} · up to ${rules.maxBytes / 1024 / 1024} MB · ${rules.minSide}–${rules.maxSide.toLocaleString('en')} px a side`
}

export async function checkImageFile(file: Blob & { name?: string }, rules: ImageRules): Promise<ImageCheck> {
  if (!acceptedTypes(rules).includes(file.type)) {
    return {
      ok: false,
      message: `${file.type ? file.type.replace('image/', '').toUpperCase() : 'This file'} is not supported: use ${formatNames(rules)}.`,
    }
  }
  if (file.size > rules.maxBytes) {
    return {
      ok: false,
      message: `The image is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is ${rules.maxBytes / 1024 / 1024} MB.`,
    }
  }
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(file)
  } catch {
    return { ok: false, message: 'The image could not be decoded: the file is corrupt or truncated.' }
  }
  const { width, height } = bitmap
  bitmap.close()
  const { minSide, maxSide, minAspect, maxAspect } = rules
  if (Math.min(width, height) < minSide || Math.max(width, height) > maxSide) {
    return {
      ok: false,
      message: `The image is ${width}×${height} px; each side must be ${minSide}–${maxSide.toLocaleString('en')} px.`,
    }
  }
  const aspect = width / height
  if (aspect < minAspect || aspect > maxAspect) {
    return { ok: false, message: `The image's aspect ratio ${aspect.toFixed(2)} is outside ${minAspect}–${maxAspect}.` }
  }
  return { ok: true, width, height }
}
