// Readable, portable video file names: "YYYY-MM-DD <prompt-slug> <short-id>.mp4". Safe on macOS, Windows
// and Linux (no reserved characters or names, no trailing dots or spaces) and bounded in length.

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i
const MAX_SLUG = 60

export function slugify(text: string, max = MAX_SLUG): string {
  const ascii = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
  const words = ascii.split(/[^a-z0-9]+/).filter(Boolean)
  let slug = ''
  for (const w of words) {
    const next = slug ? `${slug}-${w}` : w
    if (next.length > max) break
    slug = next
  }
  if (!slug && words[0]) slug = words[0].slice(0, max)
  if (!slug) slug = 'video'
  return WINDOWS_RESERVED.test(slug) ? `${slug}-video` : slug
}

function isoDay(ms: number): string {
  const d = new Date(ms)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/** The base name (without extension) for a video; `taken` tells whether a name is already used. */
export function videoBaseName(
  createdAt: number,
  prompt: string,
  id: string,
  taken: (base: string) => boolean = () => false,
): string {
  const shortId =
    id
      .replace(/[^a-zA-Z0-9]/g, '')
      .slice(-6)
      .toLowerCase() || 'video'
  const base = `${isoDay(createdAt)} ${slugify(prompt)} ${shortId}`
  if (!taken(base)) return base
  for (let n = 2; ; n++) if (!taken(`${base} ${n}`)) return `${base} ${n}`
}
