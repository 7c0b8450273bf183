// Where the API key may be sent (issue 9, point 6). One rule for the IPC schema, the settings file, the engine,
// the API client and the CLI: https, or plain http to this machine only (the Sandbox, local tests), since the key
// travels in a header anyone on the path could read. Pure: imported by main, core, cli and the renderer.

export const SERVICE_URL_ERROR = {
  /** Not an https (or loopback http) URL. */
  invalid: 'INVALID_BASE_URL',
  /** The stored key was saved for another origin; it is not sent to this one. */
  originMismatch: 'KEY_ORIGIN_MISMATCH',
  /** Changing the service address was cancelled in main's confirmation dialog. */
  notConfirmed: 'KEY_ORIGIN_NOT_CONFIRMED',
} as const

/**
 * True for localhost, 127.0.0.0/8 and ::1: the one loopback rule of the app (service URL, image URLs, the Sandbox's
 * listen address). Takes a URL's hostname as the WHATWG parser writes it (127.1 becomes 127.0.0.1, ::1 is
 * bracketed) or a bare listen address (`::1`).
 */
export function isLoopbackHost(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname === '[::1]' ||
    hostname === '::1' ||
    /^127\.(25[0-5]|2[0-4]\d|1?\d?\d)\.(25[0-5]|2[0-4]\d|1?\d?\d)\.(25[0-5]|2[0-4]\d|1?\d?\d)$/.test(hostname)
  )
}

/** Why a service base URL is refused, or null when the key may go there. */
export function serviceUrlProblem(value: string): string | null {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'The service address is not a URL.'
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname))
    return 'The service address must use https:// (plain http only to this machine: localhost, 127.0.0.1 or ::1).'
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return `The service address must use https://, not ${url.protocol}.`
  if (url.username || url.password) return 'The service address must not contain a user name or password.'
  if (url.search || url.hash) return 'The service address must not contain a query (?…) or fragment (#…).'
  return null
}

/** The origin a key is bound to: scheme, host and port of the service URL. Assumes serviceUrlProblem passed. */
export function serviceOrigin(value: string): string {
  return new URL(value).origin
}
