// Figures as people read them, shared by the engine's messages and the renderer.

/** 1536 → "1.5 KB", 3.2e9 → "3.0 GB" (binary units, as file managers show sizes). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let v = n / 1024
  let u = 0
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024
    u += 1
  }
  return `${v >= 100 ? Math.round(v) : v.toFixed(1)} ${units[u]}`
}
