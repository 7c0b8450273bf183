// The browser preview behind `npm run ui`: the harness core (the built renderer, the real handler table, the
// real engine on the built-in Sandbox) with Electron's IPC replaced by plain HTTP on loopback, so any browser
// shows the app. The bridge is the same factory the preload uses (http-bridge-entry.ts). Who may talk to it:
//   - only this machine: it listens on 127.0.0.1, and a request naming another Host is refused (DNS rebinding);
//   - only the browser that opened the printed address: it carries a random token, exchanged for a
//     SameSite=Strict, HttpOnly cookie that every later request must bear;
//   - only the app's own page: invoke requests go through the app's sender policy, with the request's Origin as
//     the sender (a page elsewhere is refused with IPC_UNTRUSTED_SENDER, as in the app).
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { KeytarLike } from '../../../electron/core/secrets/keychain'
import { bundleScript } from './bundle'
import { type HarnessCore, startHarnessCore } from './core'
import { previewBundle, repoRoot } from './paths'
import { decodeWire, encodeWire } from './wire'

const COOKIE = 'seedance-preview'

/** A keychain store in this process's memory. */
function memoryKeychain(): KeytarLike {
  const entries = new Map<string, string>()
  const k = (service: string, account: string) => `${service}\n${account}`
  return {
    getPassword: async (service, account) => entries.get(k(service, account)) ?? null,
    setPassword: async (service, account, password) => void entries.set(k(service, account), password),
    deletePassword: async (service, account) => entries.delete(k(service, account)),
  }
}

export interface Preview {
  /** The address to open: it carries the token. */
  url: string
  core: HarnessCore
  close(): Promise<void>
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

function cookieOf(request: Request): string {
  const header = request.headers.get('cookie') ?? ''
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=')
    if (name === COOKIE) return value.join('=')
  }
  return ''
}

const text = (status: number, body: string) =>
  new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } })

export async function startPreview(options: { home: string; genSeconds?: number }): Promise<Preview> {
  await bundleScript(path.join(repoRoot, 'test/e2e/harness/http-bridge-entry.ts'), previewBundle)
  const token = randomBytes(24).toString('base64url')
  const streams = new Set<ReadableStreamDefaultController<Uint8Array>>()
  const encoder = new TextEncoder()
  const emit = (channel: string, payload: unknown) => {
    const frame = encoder.encode(`data: ${encodeWire({ channel, payload })}\n\n`)
    for (const s of streams) {
      try {
        s.enqueue(frame)
      } catch {
        streams.delete(s) // the page went away
      }
    }
  }
  let host = ''
  let core: HarnessCore | null = null

  core = await startHarnessCore({
    home: options.home,
    genSeconds: options.genSeconds ?? 5,
    // A key entered in the preview lives in memory for that run only: the OS keychain gets no entry that would
    // outlive it (the README: the preview's data is removed on exit), not even after a kill.
    keychainService: `Seedance Studio preview ${process.pid}`,
    keychainBackend: memoryKeychain(),
    emit,
    async route(request, next) {
      const url = new URL(request.url)
      if (url.host !== host) return text(421, 'This preview answers only at its own address.')
      if (url.pathname === '/__bridge/login') {
        if (!sameSecret(url.searchParams.get('token') ?? '', token)) return text(403, 'Wrong or missing token.')
        return new Response(null, {
          status: 302,
          headers: {
            location: '/index.html',
            'set-cookie': `${COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict`,
          },
        })
      }
      if (!sameSecret(cookieOf(request), token)) {
        return text(403, 'Open the address `npm run ui` printed: it carries the token this preview needs.')
      }
      if (url.pathname === '/__bridge/bridge.js') {
        return new Response(await readFile(previewBundle), { headers: { 'content-type': 'text/javascript' } })
      }
      if (url.pathname === '/__bridge/invoke' && request.method === 'POST' && core) {
        const { channel, payload } = decodeWire(await request.text()) as { channel: string; payload: unknown }
        const sender = { senderFrame: { url: request.headers.get('origin') ?? '', parent: null } }
        const answer = await core.invoke(String(channel), payload, sender)
        return new Response(encodeWire(answer), { headers: { 'content-type': 'application/json' } })
      }
      if (url.pathname === '/__bridge/events') {
        let mine: ReadableStreamDefaultController<Uint8Array> | null = null
        const stream = new ReadableStream<Uint8Array>({
          start(controller) {
            mine = controller
            streams.add(controller)
            controller.enqueue(encoder.encode(': connected\n\n'))
          },
          cancel() {
            if (mine) streams.delete(mine)
          },
        })
        return new Response(stream, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store' } })
      }
      if (url.pathname === '/' || url.pathname === '/index.html') {
        // The page loads the bridge before its own (deferred) module script, as the preload runs first.
        const page = await next(new Request(new URL('/index.html', url), { headers: request.headers }))
        const html = (await page.text()).replace('<script', '<script src="/__bridge/bridge.js"></script>\n    <script')
        const headers = new Headers(page.headers)
        headers.delete('content-length')
        return new Response(html, { status: page.status, headers })
      }
      return next(request)
    },
  })
  host = new URL(core.url).host
  const started = core
  return {
    url: `${started.url}/__bridge/login?token=${token}`,
    core: started,
    async close() {
      for (const s of streams) {
        try {
          s.close()
        } catch {}
      }
      await started.close()
    },
  }
}
