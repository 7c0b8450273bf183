// Renderer JavaScript shipped to the window, raw and gzipped (target from issue 5: ≤ 300 KB gzipped).
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'

export function rendererSize(rendererDir: string): { files: number; rawKb: number; gzipKb: number } {
  const assets = path.join(rendererDir, 'assets')
  const js = readdirSync(assets).filter((f) => f.endsWith('.js'))
  let raw = 0
  let gz = 0
  for (const f of js) {
    const buf = readFileSync(path.join(assets, f))
    raw += buf.length
    gz += gzipSync(buf, { level: 9 }).length
  }
  return { files: js.length, rawKb: raw / 1024, gzipKb: gz / 1024 }
}
