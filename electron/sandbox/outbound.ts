// Requests the Sandbox makes on a client's behalf (image_url fetches, webhook deliveries) go only to public
// addresses, as a hosted service's would: a URL naming loopback, a private network or link-local (cloud metadata
// at 169.254.169.254) is refused (issue 9, point 8). The name is resolved once, every address it gives is checked,
// and the connection is made to the checked address (a `lookup` handed to the socket), so a DNS answer that
// changes between check and connect (rebinding) cannot slip through. Redirects are followed by hand, each hop
// checked the same way, at most MAX_REDIRECTS. `allowPrivate` (--allow-private-urls) lifts the rule for tests.
import { lookup as dnsLookup } from 'node:dns/promises'
import http from 'node:http'
import https from 'node:https'
import { BlockList, isIP, type LookupFunction } from 'node:net'

export const MAX_REDIRECTS = 5

export interface ResolvedAddress {
  address: string
  family: 4 | 6
}

export interface OutboundPolicy {
  /** Allow loopback, private and link-local targets (tests against local servers). */
  allowPrivate: boolean
  /** Name resolution; the system resolver by default. */
  resolve?: (host: string) => Promise<ResolvedAddress[]>
  /** Which addresses may be reached when private ones are not allowed; isPublicAddress by default. */
  isAllowed?: (address: string) => boolean
}

/** Why a target is refused; callers branch on this, never on the message (HOUSE-STYLE 13). */
export type OutboundRefusedCode =
  /** Not http(s), or carries credentials. */
  | 'UNSUPPORTED_URL'
  /** The name gave no address (yet). */
  | 'UNRESOLVED_HOST'
  /** Some address is loopback, private, link-local or reserved. */
  | 'PRIVATE_ADDRESS'
  | 'TOO_MANY_REDIRECTS'
  /** A redirect from https to plain http. */
  | 'INSECURE_REDIRECT'

/** A target refused by the policy, or a URL that cannot be fetched at all. The message never says what is there. */
export class OutboundRefused extends Error {
  constructor(
    readonly code: OutboundRefusedCode,
    message: string,
  ) {
    super(message)
    this.name = 'OutboundRefused'
  }
}

const blocked = new BlockList()
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches this machine
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  blocked.addSubnet(net, prefix, 'ipv4')
for (const [net, prefix] of [
  ['::', 128], // unspecified: reaches this machine
  ['::1', 128],
  ['64:ff9b:1::', 48], // local-use NAT64 (RFC 8215): the operator's translator picks the IPv4, maybe a private one
  ['100::', 64], // discard
  ['2001::', 32], // Teredo: tunnels to an IPv4 server and client it carries (RFC 4380); no public service needs it
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const)
  blocked.addSubnet(net, prefix, 'ipv6')

/** The 8 16-bit groups of an IPv6 address (with or without a dotted IPv4 tail); null if it is not one. */
function ipv6Groups(ip: string): number[] | null {
  if (isIP(ip) !== 6) return null
  let text = ip.replace(/%.*$/, '')
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (v4) {
    const b = (v4[1] as string).split('.').map(Number)
    text = `${text.slice(0, -(v4[1] as string).length)}${((b[0] as number) * 256 + (b[1] as number)).toString(16)}:${((b[2] as number) * 256 + (b[3] as number)).toString(16)}`
  }
  const [head, tail] = text.split('::') as [string, string | undefined]
  const parse = (s: string) => (s ? s.split(':').map((g) => Number.parseInt(g, 16)) : [])
  const left = parse(head)
  const right = tail === undefined ? [] : parse(tail)
  return [...left, ...Array(8 - left.length - right.length).fill(0), ...right]
}

/** The IPv4 address an IPv6 one carries (mapped, compatible, NAT64, 6to4), which is what it reaches. */
function embeddedIpv4(groups: number[]): string | null {
  const g = groups
  const v4 = (hi: number, lo: number) => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0)
  if (zeros(0, 5) && g[5] === 0xffff) return v4(g[6] as number, g[7] as number) // ::ffff:a.b.c.d
  if (zeros(0, 6) && !(g[6] === 0 && (g[7] as number) <= 1)) return v4(g[6] as number, g[7] as number) // ::a.b.c.d
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return v4(g[6] as number, g[7] as number) // 64:ff9b::/96
  if (g[0] === 0x2002) return v4(g[1] as number, g[2] as number) // 6to4
  return null
}

/** True for an address a public service may reach: not loopback, private, link-local, multicast or reserved. */
export function isPublicAddress(ip: string): boolean {
  const family = isIP(ip)
  if (family === 4) return !blocked.check(ip, 'ipv4')
  if (family !== 6) return false
  const groups = ipv6Groups(ip)
  if (!groups) return false
  const v4 = embeddedIpv4(groups)
  if (v4 !== null) return isPublicAddress(v4)
  return !blocked.check(ip.replace(/%.*$/, ''), 'ipv6')
}

const systemResolve = async (host: string): Promise<ResolvedAddress[]> =>
  (await dnsLookup(host, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }))

/**
 * Resolve a URL's host and check every address it gives; the address to connect to. Refused when any address is
 * not public (a name that answers both ways is not trusted either way).
 */
export async function checkTarget(url: URL, policy: OutboundPolicy): Promise<ResolvedAddress> {
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new OutboundRefused('UNSUPPORTED_URL', `${url.protocol} URLs are not fetched; use https.`)
  if (url.username || url.password)
    throw new OutboundRefused('UNSUPPORTED_URL', 'URLs with credentials are not fetched.')
  const host = url.hostname.replace(/^\[|\]$/g, '')
  let addresses: ResolvedAddress[]
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) === 6 ? 6 : 4 }]
  else {
    try {
      addresses = await (policy.resolve ?? systemResolve)(host)
    } catch {
      addresses = []
    }
    if (addresses.length === 0) throw new OutboundRefused('UNRESOLVED_HOST', `the host ${host} could not be resolved.`)
  }
  const allowed = policy.isAllowed ?? isPublicAddress
  if (!policy.allowPrivate && !addresses.every((a) => allowed(a.address)))
    throw new OutboundRefused(
      'PRIVATE_ADDRESS',
      'the URL points to a loopback, private or link-local address, which is not fetched.',
    )
  return addresses[0] as ResolvedAddress
}

export interface OutboundResponse {
  status: number
  headers: http.IncomingHttpHeaders
  /** The response body; consume or destroy it. */
  body: http.IncomingMessage
}

export interface OutboundInit {
  method?: string
  headers?: Record<string, string>
  body?: string
  signal?: AbortSignal
  /** 0: a redirect is an answer like any other (webhook deliveries); else follow at most this many. */
  maxRedirects?: number
  policy: OutboundPolicy
}

/** One exchange with the connection pinned to the checked address. */
async function once(url: URL, init: OutboundInit): Promise<OutboundResponse> {
  const target = await checkTarget(url, init.policy)
  // The socket resolves the host through this, so it connects to exactly the address that was checked.
  const pinned = ((_host, options, callback) => {
    const cb = callback as (...args: unknown[]) => void
    if ((options as { all?: boolean }).all) cb(null, [target])
    else cb(null, target.address, target.family)
  }) as LookupFunction
  const transport = url.protocol === 'https:' ? https : http
  return new Promise((resolve, reject) => {
    const req = transport.request(url, {
      method: init.method ?? 'GET',
      headers: init.headers,
      signal: init.signal,
      lookup: pinned,
      agent: false,
    })
    req.once('response', (res) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res }))
    req.once('error', reject)
    req.end(init.body)
  })
}

/** GET/POST a public URL (see the file comment), following redirects by hand, each hop checked. */
export async function outboundRequest(href: string, init: OutboundInit): Promise<OutboundResponse> {
  let url = new URL(href)
  const maxRedirects = init.maxRedirects ?? MAX_REDIRECTS
  for (let hop = 0; ; hop++) {
    const res = await once(url, init)
    const location = res.headers.location
    if (maxRedirects === 0 || res.status < 300 || res.status > 399 || !location) return res
    res.body.destroy()
    if (hop >= maxRedirects)
      throw new OutboundRefused('TOO_MANY_REDIRECTS', `it redirected more than ${maxRedirects} times.`)
    url = redirectTarget(url, location)
  }
}

/** Where a redirect leads; refused when it would drop https for plain http (the rest of the way could be read). */
export function redirectTarget(from: URL, location: string): URL {
  let next: URL
  try {
    next = new URL(location, from)
  } catch {
    throw new OutboundRefused('UNSUPPORTED_URL', 'it redirected to an address that is not a URL.')
  }
  if (from.protocol === 'https:' && next.protocol !== 'https:')
    throw new OutboundRefused('INSECURE_REDIRECT', 'it redirected from https to a plain http address.')
  return next
}
