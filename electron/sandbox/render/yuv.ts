// Colour conversion for the encoder: RGBA frames to planar I420 (yuv420p), BT.601 limited range,
// done in JavaScript because it is about three times faster than the encoder's own RGBA path.

/** Bytes of one I420 frame. */
export function i420Size(width: number, height: number): number {
  return width * height + 2 * (width >> 1) * (height >> 1)
}

/** Convert packed RGBA (alpha ignored) to I420. `width` and `height` must be even. */
export function rgbaToI420(rgba: Uint8Array, width: number, height: number, out: Uint8Array): void {
  const ySize = width * height
  const cw = width >> 1
  const uOff = ySize
  const vOff = ySize + cw * (height >> 1)
  const stride = width * 4
  for (let y = 0; y < height; y += 2) {
    const r0 = y * stride
    const r1 = r0 + stride
    const y0 = y * width
    const y1 = y0 + width
    let ci = (y >> 1) * cw
    for (let x = 0; x < width; x += 2, ci++) {
      const a = r0 + x * 4
      const b = r1 + x * 4
      const ra = rgba[a] as number
      const ga = rgba[a + 1] as number
      const ba = rgba[a + 2] as number
      const rb = rgba[a + 4] as number
      const gb = rgba[a + 5] as number
      const bb = rgba[a + 6] as number
      const rc = rgba[b] as number
      const gc = rgba[b + 1] as number
      const bc = rgba[b + 2] as number
      const rd = rgba[b + 4] as number
      const gd = rgba[b + 5] as number
      const bd = rgba[b + 6] as number
      out[y0 + x] = (66 * ra + 129 * ga + 25 * ba + 4224) >> 8
      out[y0 + x + 1] = (66 * rb + 129 * gb + 25 * bb + 4224) >> 8
      out[y1 + x] = (66 * rc + 129 * gc + 25 * bc + 4224) >> 8
      out[y1 + x + 1] = (66 * rd + 129 * gd + 25 * bd + 4224) >> 8
      const r = ra + rb + rc + rd
      const g = ga + gb + gc + gd
      const bl = ba + bb + bc + bd
      out[uOff + ci] = (-38 * r - 74 * g + 112 * bl + 131072 + 512) >> 10
      out[vOff + ci] = (112 * r - 94 * g - 18 * bl + 131072 + 512) >> 10
    }
  }
}
