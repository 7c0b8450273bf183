// The rules a source image must meet for image-to-video, checked the same way by the app (inline, before
// anything is sent) and by the Sandbox (as the API would). Each failure names the rule that failed.
import sharp, { type Metadata } from 'sharp'

export const IMAGE_RULES = {
  formats: ['jpeg', 'png', 'webp'] as const,
  maxBytes: 10 * 1024 * 1024,
  minSide: 300,
  maxSide: 6000,
  minAspect: 0.4,
  maxAspect: 2.5,
} as const

export type ImageFormat = (typeof IMAGE_RULES.formats)[number]
export type ImageRule = 'size' | 'format' | 'decode' | 'dimensions' | 'aspect'

export class ImageRuleError extends Error {
  readonly code = 'INVALID_IMAGE'
  constructor(
    readonly rule: ImageRule,
    message: string,
  ) {
    super(message)
    this.name = 'ImageRuleError'
  }
}

export interface ImageInfo {
  /** As sharp names it (one of the rules' formats). */
  format: ImageFormat | (string & {})
  width: number
  height: number
  bytes: number
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/** The rules of one model (shared/providers.ts ImageRules); IMAGE_RULES are the guide's. */
export interface ImageRulesLike {
  formats: readonly string[]
  maxBytes: number
  minSide: number
  maxSide: number
  minAspect: number
  maxAspect: number
}

const FORMAT_NAMES: Record<string, string> = {
  jpeg: 'JPEG',
  png: 'PNG',
  webp: 'WebP',
  gif: 'GIF',
  tiff: 'TIFF',
  bmp: 'BMP',
}
/** "JPEG, PNG or WebP": a rule's formats in words. */
export const formatList = (formats: readonly string[]) => {
  const names = formats.map((f) => FORMAT_NAMES[f] ?? f.toUpperCase())
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}` : (names[0] ?? '')
}

/**
 * Check an image against a model's rules (the guide's IMAGE_RULES by default), decoding it fully so truncated or
 * corrupt files are caught.
 */
export async function checkImage(data: Uint8Array, rules: ImageRulesLike = IMAGE_RULES): Promise<ImageInfo> {
  if (data.length > rules.maxBytes) {
    throw new ImageRuleError('size', `Image is ${mb(data.length)}; the limit is ${mb(rules.maxBytes)}.`)
  }
  let meta: Metadata
  try {
    meta = await sharp(data).metadata()
  } catch {
    throw new ImageRuleError('decode', 'Image could not be read: the file is not an image or is corrupt.')
  }
  const format: string | undefined = meta.format
  if (!rules.formats.includes(format ?? '')) {
    throw new ImageRuleError(
      'format',
      `Image format ${format ?? 'unknown'} is not supported; use ${formatList(rules.formats)}.`,
    )
  }
  // EXIF orientation 5–8 swaps the sides as the picture is shown.
  const rotated = (meta.orientation ?? 1) >= 5
  const width = (rotated ? meta.height : meta.width) ?? 0
  const height = (rotated ? meta.width : meta.height) ?? 0
  const { minSide, maxSide, minAspect, maxAspect } = rules
  if (width < minSide || height < minSide || width > maxSide || height > maxSide) {
    throw new ImageRuleError(
      'dimensions',
      `Image is ${width}×${height} px; each side must be ${minSide}–${maxSide.toLocaleString('en-US')} px.`,
    )
  }
  const aspect = width / height
  if (aspect < minAspect || aspect > maxAspect) {
    throw new ImageRuleError('aspect', `Image aspect ratio ${aspect.toFixed(2)} is outside ${minAspect}–${maxAspect}.`)
  }
  try {
    // A full decode: metadata alone does not notice a truncated file.
    await sharp(data, { failOn: 'truncated' }).resize(64, 64, { fit: 'inside' }).raw().toBuffer()
  } catch {
    throw new ImageRuleError('decode', 'Image could not be decoded: the file is truncated or corrupt.')
  }
  return { format: format as string, width, height, bytes: data.length }
}
