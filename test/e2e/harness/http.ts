// Serves a web-platform handler `(Request) => Promise<Response>` over real HTTP on 127.0.0.1, so the
// exact handlers Electron registers with protocol.handle can be exercised by a real browser.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'

export interface Served {
  url: string
  close(): Promise<void>
}

/** A request body, up to 32 MB (a 10 MB image as base64 in a jobs:submit, with room to spare). */
async function readBody(req: http.IncomingMessage): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > 32 * 1024 * 1024) throw new Error('Request body over 32 MB')
    chunks.push(chunk)
  }
  return new Uint8Array(Buffer.concat(chunks))
}

export async function serveHandler(handler: (request: Request) => Promise<Response>): Promise<Served> {
  const server = http.createServer(async (req, res) => {
    try {
      const url = `http://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/'}`
      const headers = new Headers()
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v)
      const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req)
      const response = await handler(
        new Request(url, {
          method: req.method,
          headers,
          body,
        }),
      )
      res.writeHead(response.status, Object.fromEntries(response.headers))
      if (response.body) Readable.fromWeb(response.body as import('node:stream/web').ReadableStream).pipe(res)
      else res.end()
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' })
      res.end(String(error))
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
