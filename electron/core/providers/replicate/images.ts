// Source images go to Replicate inline, as data URIs (C1: "only recommended if the file is less than 1MB"). A
// prediction echoes its `input` in every answer (GET, list, cancel) until its data is removed, so a large inline
// image would make each poll larger than the transport reads (1 MB, http.ts MAX_JSON_BYTES). An image whose bytes
// pass INLINE_BUDGET is therefore re-encoded as a JPEG small enough for both frames to fit, at a size still larger
// than any output frame (1080p is at most 2176 px wide).
import sharp from 'sharp'

/** Raw bytes per inline image: two of them as base64 (×4/3) stay near 850 KB, under the 1 MB answer cap. */
export const INLINE_BUDGET = 320_000

const ATTEMPTS: ReadonlyArray<{ side: number; quality: number }> = [
  { side: 2400, quality: 88 },
  { side: 2400, quality: 78 },
  { side: 1800, quality: 75 },
  { side: 1400, quality: 70 },
  { side: 1000, quality: 65 },
  { side: 864, quality: 55 },
]

/** The image as a data URI, re-encoded as JPEG when its bytes pass INLINE_BUDGET; null if it cannot be made small. */
export async function inlineImage(image: { data: Uint8Array; mime: string }): Promise<string | null> {
  if (image.data.byteLength <= INLINE_BUDGET)
    return `data:${image.mime};base64,${Buffer.from(image.data).toString('base64')}`
  for (const { side, quality } of ATTEMPTS) {
    const jpeg = await sharp(image.data)
      .rotate()
      .resize(side, side, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality, mozjpeg: true })
      .toBuffer()
    if (jpeg.byteLength <= INLINE_BUDGET) return `data:image/jpeg;base64,${jpeg.toString('base64')}`
  }
  return null
}
