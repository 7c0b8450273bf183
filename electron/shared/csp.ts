// The renderer's Content-Security-Policy, built in one place: the build injects it as a <meta> tag,
// the app:// protocol sends it as a header, and tests assert on it.
// No eval, no remote script, no network from the renderer (connect-src 'self'); local videos and
// thumbnails arrive through the app's own media: protocol.

export interface CspOptions {
  /** The Vite dev server needs an inline React Refresh preamble and a websocket for HMR. */
  dev?: boolean
  /** frame-ancestors is honoured only in a header, and logged as an error in a <meta> tag. */
  forMeta?: boolean
}

export function contentSecurityPolicy({ dev = false, forMeta = false }: CspOptions = {}): string {
  const directives: Record<string, string[]> = {
    'default-src': ["'none'"],
    'script-src': dev ? ["'self'", "'unsafe-inline'"] : ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:', 'media:'],
    'media-src': ["'self'", 'blob:', 'media:'],
    'font-src': ["'self'"],
    'connect-src': dev ? ["'self'", 'ws:'] : ["'self'"],
    'worker-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
  }
  if (!forMeta) directives['frame-ancestors'] = ["'none'"]
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ')
}
