// The Sandbox's outbound requests (image_url, webhooks) as an attacker would aim them: at this machine, its
// network or cloud metadata, directly, through a name, through IPv6 spellings of IPv4, or through a redirect.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  checkTarget,
  isPublicAddress,
  MAX_REDIRECTS,
  OutboundRefused,
  outboundRequest,
  type ResolvedAddress,
  redirectTarget,
} from '../../electron/sandbox/outbound'

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '127.8.9.10',
    '0.0.0.0',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    'fe80::1',
    'fe80::1%eth0',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:169.254.169.254',
    '::ffff:a00:1',
    '::127.0.0.1',
    '64:ff9b::a9fe:a9fe',
    '2002:7f00:1::',
    '64:ff9b:1::a9fe:a9fe', // local-use NAT64 (RFC 8215): reaches whatever the local translator maps it to
    '64:ff9b:1:ffff::7f00:1',
    '2001:0:4136:e378:8000:63bf:3fff:fdd2', // Teredo: carries an IPv4 server and client
    '2001::1',
    'localhost',
    'not an address',
  ])('refuses %s', (ip) => {
    expect(isPublicAddress(ip)).toBe(false)
  })

  it.each([
    '93.184.216.34',
    '8.8.8.8',
    '172.32.0.1',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
    '2002:0808:0808::',
    '2001:4860:4860::8888',
  ])('accepts %s', (ip) => {
    expect(isPublicAddress(ip)).toBe(true)
  })
})

describe('checkTarget', () => {
  const resolver =
    (table: Record<string, string[]>, calls: string[] = []) =>
    async (host: string): Promise<ResolvedAddress[]> => {
      calls.push(host)
      return (table[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))
    }

  it('refuses a name when any address it resolves to is private, and never says what is there', async () => {
    const resolve = resolver({ 'rebind.example': ['93.184.216.34', '127.0.0.1'], 'meta.example': ['169.254.169.254'] })
    for (const host of ['rebind.example', 'meta.example']) {
      await expect(checkTarget(new URL(`http://${host}/a.png`), { allowPrivate: false, resolve })).rejects.toThrow(
        /loopback, private or link-local/,
      )
    }
    await expect(
      checkTarget(new URL('https://public.example/a.png'), {
        allowPrivate: false,
        resolve: resolver({ 'public.example': ['93.184.216.34'] }),
      }),
    ).resolves.toEqual({ address: '93.184.216.34', family: 4 })
  })

  it('says why with a stable code, not only in words', async () => {
    const refusal = (href: string, resolve = resolver({ 'meta.example': ['169.254.169.254'] })) =>
      checkTarget(new URL(href), { allowPrivate: false, resolve }).catch((e: unknown) => e)
    expect(await refusal('http://nowhere.example/a')).toMatchObject({ code: 'UNRESOLVED_HOST' })
    expect(await refusal('http://meta.example/a')).toMatchObject({ code: 'PRIVATE_ADDRESS' })
    expect(await refusal('ftp://93.184.216.34/a')).toMatchObject({ code: 'UNSUPPORTED_URL' })
  })

  it('refuses other schemes and URLs with credentials', async () => {
    for (const href of ['file:///etc/passwd', 'ftp://93.184.216.34/a', 'http://user:pw@93.184.216.34/a']) {
      await expect(checkTarget(new URL(href), { allowPrivate: true })).rejects.toBeInstanceOf(OutboundRefused)
    }
  })
})

describe('outboundRequest', () => {
  let server: http.Server
  let port = 0
  const seen: string[] = []
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push(`${req.headers.host} ${req.url}`)
      if (req.url === '/ok') res.writeHead(200).end('fine')
      else if (req.url === '/to-private') res.writeHead(302, { location: `http://127.0.0.2:${port}/ok` }).end()
      else if (req.url === '/to-ok') res.writeHead(301, { location: '/ok' }).end()
      else if (req.url?.startsWith('/loop')) res.writeHead(302, { location: `/loop${seen.length}` }).end()
      else res.writeHead(404).end()
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    port = (server.address() as AddressInfo).port
  })
  afterAll(() => {
    server.closeAllConnections()
    server.close()
  })

  // Only 127.0.0.1 (this test's server) counts as "public" here, so the rules can be seen hop by hop.
  const onlyTheTestServer = (address: string) => address === '127.0.0.1'

  it('checks every redirect hop: a public first hop cannot lead to a private one', async () => {
    seen.length = 0
    const policy = { allowPrivate: false, isAllowed: onlyTheTestServer }
    await expect(outboundRequest(`http://127.0.0.1:${port}/to-private`, { policy })).rejects.toThrow(
      /loopback, private or link-local/,
    )
    expect(seen).toEqual([`127.0.0.1:${port} /to-private`])
    const res = await outboundRequest(`http://127.0.0.1:${port}/to-ok`, { policy })
    expect(res.status).toBe(200)
    res.body.resume()
  })

  it(`follows at most ${MAX_REDIRECTS} redirects`, async () => {
    seen.length = 0
    await expect(outboundRequest(`http://127.0.0.1:${port}/loop`, { policy: { allowPrivate: true } })).rejects.toThrow(
      `redirected more than ${MAX_REDIRECTS} times`,
    )
    expect(seen).toHaveLength(MAX_REDIRECTS + 1)
  })

  it('connects to the address it checked, resolving each name once (no second lookup to rebind)', async () => {
    const calls: string[] = []
    // images.example is unknown to the system resolver: the request can only succeed through the checked address.
    const resolve = async (host: string): Promise<ResolvedAddress[]> => {
      calls.push(host)
      return [{ address: '127.0.0.1', family: 4 }]
    }
    const res = await outboundRequest(`http://images.example:${port}/ok`, {
      policy: { allowPrivate: false, isAllowed: onlyTheTestServer, resolve },
    })
    expect(res.status).toBe(200)
    res.body.resume()
    expect(calls).toEqual(['images.example'])
    expect(seen.at(-1)).toBe(`images.example:${port} /ok`)
  })
})

describe('redirectTarget', () => {
  it('never lets a redirect downgrade https to plain http', () => {
    const from = new URL('https://images.example/a.png')
    expect(() => redirectTarget(from, 'http://images.example/a.png')).toThrow(OutboundRefused)
    try {
      redirectTarget(from, 'http://images.example/a.png')
    } catch (error) {
      expect(error).toMatchObject({ code: 'INSECURE_REDIRECT' })
    }
    expect(redirectTarget(from, '/b.png').href).toBe('https://images.example/b.png')
    expect(redirectTarget(new URL('http://images.example/a'), 'https://cdn.example/a').href).toBe(
      'https://cdn.example/a',
    )
  })
})
