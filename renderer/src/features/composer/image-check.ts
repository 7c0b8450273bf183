// Inline image validation in the renderer, with the API's rules (electron/core/images/image-rules.ts):
// JPEG, PNG or WebP; at most 10 MB; decodable; each side 300–6,000 px; aspect 0.4–2.5.

export const IMAGE_LIMITS = { maxBytes: 10 * 1024 * 1024, minSide: 300, maxSide: 6000, minAspect: 0.4, maxAspect: 2.5 }
const TYPES = ['image/jpeg', 'image/png', 'image/webp']

export type ImageCheck = { ok: true; width: number; height: number } | { ok: false; message: string }

export async function checkImageFile(file: Blob & { name?: string }): Promise<ImageCheck> {
  if (!TYPES.includes(file.type)) {
    return {
      ok: false,
      message: `${file.type ? file.type.replace('image/', '').toUpperCase() : 'This file'} is not supported: use JPEG, PNG or WebP.`,
    }
  }
  if (file.size > IMAGE_LIMITS.maxBytes) {
    return { ok: false, message: `The image is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is 10 MB.` }
  }
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(file)
  } catch {
    return { ok: false, message: 'The image could not be decoded: the file is corrupt or truncated.' }
  }
  const { width, height } = bitmap
  bitmap.close()
  const { minSide, maxSide, minAspect, maxAspect } = IMAGE_LIMITS
  if (Math.min(width, height) < minSide || Math.max(width, height) > maxSide) {
    return { ok: false, message: `The image is ${width}×${height} px; each side must be ${minSide}–6,000 px.` }
  }
  const aspect = width / height
  if (aspect < minAspect || aspect > maxAspect) {
    return { ok: false, message: `The image's aspect ratio ${aspect.toFixed(2)} is outside ${minAspect}–${maxAspect}.` }
  }
  return { ok: true, width, height }
}
