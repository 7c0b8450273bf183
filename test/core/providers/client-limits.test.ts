// An answer larger than any the API sends (its bodies are a few KB) is refused after 1 MB, whatever it
// declares, so a broken or hostile endpoint cannot make the app hold 50 MB of "error" in memory.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { ApiError } from '../../../electron/core/providers/errors'
import { MAX_JSON_BYTES, SeedanceClient } from '../../../electron/core/providers/seedance/client'

const servers: http.Server[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections()
    await new Promise((r) => s.close(r))
  }
})

/** A server that streams `total` bytes of a JSON-looking body (respecting backpressure) and counts what left it. */
async function floodServer(status: number, total: number, declare: boolean) {
  const sent = { bytes: 0, done: false }
  const server = http.createServer((_req, res) => {
    res.writeHead(status, {
      'content-type': 'application/json',
      ...(declare ? { 'content-length': String(total) } : {}),
    })
    const chunk = Buffer.alloc(64 * 1024, 0x20)
    chunk[0] = 0x7b // '{'
    const pump = () => {
      while (sent.bytes < total) {
        const n = Math.min(chunk.length, total - sent.bytes)
        sent.bytes += n
        if (!res.write(chunk.subarray(0, n))) return void res.once('drain', pump)
      }
      sent.done = true
      res.end()
    }
    res.on('close', () => undefined)
    pump()
  })
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, sent }
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p
  } catch (e) {
    if (e instanceof ApiError) return e
    throw e
  }
  throw new Error('expected the call to fail')
}

const client = (baseUrl: string) =>
  new SeedanceClient({ apiKey: 'sk_test_limits_0001', baseUrl, limiter: null, retry: { maxAttempts: 1 } })

describe('JSON body cap', () => {
  it('is 1 MB', () => {
    expect(MAX_JSON_BYTES).toBe(1024 * 1024)
  })

  it.each([
    ['a 50 MB error body sent chunked', 500, false],
    ['a 50 MB error body with its length declared', 400, true],
    ['a 50 MB success body', 200, false],
  ])('refuses %s with RESPONSE_TOO_LARGE, without reading it whole', async (_name, status, declare) => {
    const total = 50 * 1024 * 1024
    const { url, sent } = await floodServer(status, total, declare)
    const error = await failure(client(url).getJob('job_1'))
    expect(error.code).toBe('RESPONSE_TOO_LARGE')
    expect(error.message).toMatch(/larger than 1 MB/)
    expect(sent.done).toBe(false)
    // What left the server before the client hung up: the cap plus socket buffers, far from 50 MB.
    expect(sent.bytes).toBeLessThan(16 * 1024 * 1024)
  })

  it('still reads an answer just under the cap', async () => {
    const body = JSON.stringify({
      jobs: [],
      total: 0,
      limit: 1,
      offset: 0,
      has_more: false,
      pad: 'x'.repeat(1024 * 1024 - 200),
    })
    const server = http.createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(body),
    )
    servers.push(server)
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const page = await client(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`).listJobs()
    expect(page.total).toBe(0)
  })
})
