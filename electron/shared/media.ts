// URLs of library files for <video> and <img>: media://library/<video> and media://thumbs/<jpg> in the app
// (electron/main/media-protocol.ts serves them); the browser harness passes an http base instead.

export const MEDIA_BASE = 'media://'

export function mediaUrl(kind: 'library' | 'thumbs', file: string, base: string = MEDIA_BASE): string {
  return `${base}${kind}/${encodeURIComponent(file)}`
}
