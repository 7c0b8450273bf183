// The "SANDBOX" mark stamped on every Sandbox video, so nobody mistakes one for a real generation.
// A 5×7 bitmap font holding just the letters needed.

const GLYPHS: Record<string, string[]> = {
  S: ['01111', '10000', '10000', '01110', '00001', '00001', '11110'],
  A: ['01110', '10001', '10001', '11111', '10001', '10001', '10001'],
  N: ['10001', '11001', '10101', '10011', '10001', '10001', '10001'],
  D: ['11110', '10001', '10001', '10001', '10001', '10001', '11110'],
  B: ['11110', '10001', '10001', '11110', '10001', '10001', '11110'],
  O: ['01110', '10001', '10001', '10001', '10001', '10001', '01110'],
  X: ['10001', '10001', '01010', '00100', '01010', '10001', '10001'],
}

export const MARK_TEXT = 'SANDBOX'

/** Blend the mark into an RGBA frame, bottom-right, scaled to the frame's height. */
export function stampMark(rgba: Uint8Array, width: number, height: number): void {
  const dot = Math.max(2, Math.round(Math.min(width, height) / 240))
  const advance = 6 * dot
  const textWidth = MARK_TEXT.length * advance - dot
  const margin = Math.round(Math.min(width, height) * 0.035)
  const left = width - margin - textWidth
  const top = height - margin - 7 * dot
  const pad = dot * 2
  // A translucent dark plate keeps the mark legible on any background.
  for (let y = top - pad; y < top + 7 * dot + pad; y++) {
    for (let x = left - pad; x < left + textWidth + pad; x++) {
      const i = (y * width + x) * 4
      rgba[i] = ((rgba[i] as number) * 0.55) | 0
      rgba[i + 1] = ((rgba[i + 1] as number) * 0.55) | 0
      rgba[i + 2] = ((rgba[i + 2] as number) * 0.55) | 0
    }
  }
  for (let c = 0; c < MARK_TEXT.length; c++) {
    const glyph = GLYPHS[MARK_TEXT[c] as string] as string[]
    for (let gy = 0; gy < 7; gy++) {
      const row = glyph[gy] as string
      for (let gx = 0; gx < 5; gx++) {
        if (row[gx] !== '1') continue
        for (let dy = 0; dy < dot; dy++) {
          let i = ((top + gy * dot + dy) * width + left + c * advance + gx * dot) * 4
          for (let dx = 0; dx < dot; dx++, i += 4) {
            rgba[i] = 240
            rgba[i + 1] = 240
            rgba[i + 2] = 240
          }
        }
      }
    }
  }
}
