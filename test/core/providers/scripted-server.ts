// A small local HTTP server whose answers a test scripts one by one, for client behaviour the
// Sandbox does not produce on demand (HTML 502s, stalled bodies, dropped connections, odd headers).
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export type Script = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void

export interface ScriptedServer {
  url: string
  requests: Array<{ method: string; path: string; body: string; headers: http.IncomingHttpHeaders }>
  close(): Promise<void>
}

export async function scriptedServer(steps: Script[], fallback?: Script): Promise<ScriptedServer> {
  const requests: ScriptedServer['requests'] = []
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (c) => {
      body += c
    })
    req.on('end', () => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', body, headers: req.headers })
      const step = steps.shift() ?? fallback
      if (!step) res.writeHead(500).end('script ran out')
      else step(req, res, body)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}

export const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Script =>
  (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body))
  }

export const apiError = (
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) => json(status, { error: { code, message, ...extra } }, headers)

/** Cut the connection without answering, after the request was fully received. */
export const drop: Script = (req) => {
  req.socket.destroy()
}

/** Never answer. */
export const hang: Script = () => {}

export const job = (id: string, status = 'queued') =>
  json(200, { job_id: id, status, created_at: new Date().toISOString() })
