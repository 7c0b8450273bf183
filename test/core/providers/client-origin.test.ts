// The API client is the last line: it never sends a key to an address the rules refuse, to an origin other than
// the one the key is bound to, or along a redirect (issue 9, point 6).
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SeedanceClient } from '../../../electron/core/providers/seedance/client'

const KEY = 'sk_live_bound_key_4321'
let server: http.Server
let base = ''
const seen: string[] = []
beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(`${req.url} ${req.headers.authorization ?? ''}`)
    if (req.url?.startsWith('/v1/')) res.writeHead(307, { location: `/elsewhere${req.url}` }).end()
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`
})
afterAll(() => {
  server.closeAllConnections()
  server.close()
})

describe('SeedanceClient and the key’s origin', () => {
  it.each(['file:///etc/passwd', 'javascript:alert(1)', 'http://evil.example/v1', 'not a url'])(
    'refuses the base URL %s with INVALID_BASE_URL',
    (baseUrl) => {
      expect(() => new SeedanceClient({ apiKey: KEY, baseUrl })).toThrow(
        expect.objectContaining({ code: 'INVALID_BASE_URL' }),
      )
    },
  )

  it('refuses an origin other than the one the key is bound to', () => {
    expect(
      () =>
        new SeedanceClient({ apiKey: KEY, baseUrl: 'https://evil.example/v1', keyOrigin: 'https://api.seedance.tv' }),
    ).toThrow(expect.objectContaining({ code: 'KEY_ORIGIN_MISMATCH' }))
    expect(
      () =>
        new SeedanceClient({
          apiKey: KEY,
          baseUrl: 'https://api.seedance.tv/v2',
          keyOrigin: 'https://api.seedance.tv',
        }),
    ).not.toThrow()
  })

  it('never follows a redirect with the key', async () => {
    const client = new SeedanceClient({ apiKey: KEY, baseUrl: base, limiter: null, retry: { maxAttempts: 1 } })
    await expect(client.listJobs()).rejects.toMatchObject({ code: 'UNEXPECTED_REDIRECT', status: 307 })
    expect(seen).toEqual([`/v1/jobs Bearer ${KEY}`])
  })
})
