import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyWebhook } from '../../electron/node/webhook-signature'
import { checkWebhookTarget, WebhookRegistry } from '../../electron/sandbox/webhooks'
import { api, sandboxForTests, waitForJob } from './helpers'

// The receiver below is on loopback, which the Sandbox refuses unless told otherwise (--allow-private-urls).
const { sandbox, client } = sandboxForTests({ webhookRetryBaseMs: 100, allowPrivateUrls: true })
const strict = sandboxForTests()

interface Delivery {
  headers: http.IncomingHttpHeaders
  body: string
  at: number
}

// A receiver that fails its first `failFirst` deliveries with 500, then accepts.
let receiver: http.Server
let receiverUrl = ''
const deliveries: Delivery[] = []
let failFirst = 0
beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = ''
    req.on('data', (c) => {
      body += c
    })
    req.on('end', () => {
      deliveries.push({ headers: req.headers, body, at: Date.now() })
      if (failFirst > 0) {
        failFirst -= 1
        res.writeHead(500).end()
      } else res.writeHead(204).end()
    })
  })
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r))
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`
})
afterAll(() => {
  receiver.closeAllConnections()
  receiver.close()
})

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('Sandbox: webhooks', () => {
  it('refuses a webhook aimed at this machine or a private network, as a hosted service would', async () => {
    for (const url of [
      receiverUrl,
      'http://localhost:9/hooks',
      'http://[::ffff:7f00:1]/hooks',
      'http://169.254.169.254/latest',
      'https://10.1.2.3/hooks',
    ]) {
      const res = await api(strict.sandbox(), '/v1/webhooks', { json: { url, secret: 'a-long-secret' } })
      expect(res.status, url).toBe(400)
      expect((await res.json()).error).toMatchObject({
        code: 'INVALID_WEBHOOK',
        message: expect.stringMatching(/loopback, private or link-local/),
      })
    }
    expect((await (await api(strict.sandbox(), '/v1/webhooks')).json()).webhooks).toEqual([])
  })

  it('registers, lists and deletes webhooks without ever echoing the secret', async () => {
    const hook = await client().createWebhook({
      url: `${receiverUrl}/a`,
      events: ['job.completed'],
      secret: 'a-long-secret',
    })
    expect(hook).toMatchObject({ url: `${receiverUrl}/a`, events: ['job.completed'] })
    const listed = await client().listWebhooks()
    expect(listed.map((h) => h.webhook_id)).toContain(hook.webhook_id)
    const raw = await (await api(sandbox(), '/v1/webhooks')).text()
    expect(raw).not.toContain('a-long-secret')
    await client().deleteWebhook(hook.webhook_id)
    expect((await client().listWebhooks()).map((h) => h.webhook_id)).not.toContain(hook.webhook_id)
    const again = await api(sandbox(), `/v1/webhooks/${hook.webhook_id}`, { method: 'DELETE' })
    expect(again.status).toBe(404)
  })

  it.each([
    [{ url: 'not a url', secret: 'long-enough' }, 'url'],
    [{ url: 'https://example.test/h', events: ['job.started'], secret: 'long-enough' }, 'events'],
    [{ url: 'https://example.test/h', secret: 'short' }, 'secret'],
  ])('rejects a bad registration with INVALID_WEBHOOK: %j', async (body, field) => {
    const res = await api(sandbox(), '/api/v1/webhooks', { json: body })
    expect(res.status).toBe(400)
    expect((await res.json()).error).toMatchObject({ code: 'INVALID_WEBHOOK', message: expect.stringContaining(field) })
  })

  it('delivers job.completed signed with the secret, retrying with backoff until the receiver accepts', async () => {
    const secret = 'whsec-test-0123456789'
    const hook = await client().createWebhook({ url: receiverUrl, events: ['job.completed', 'job.failed'], secret })
    deliveries.length = 0
    failFirst = 2
    const { job_id } = await client().generateTextToVideo({ prompt: 'forest at dawn', duration: 1, resolution: '720p' })
    const job = await waitForJob(client(), job_id)
    await until(() => deliveries.length >= 3)
    const [first, second, third] = deliveries as [Delivery, Delivery, Delivery]
    // Same delivery, three attempts, each signed over its raw body.
    expect(new Set(deliveries.map((d) => d.headers['x-seedance-delivery'])).size).toBe(1)
    expect(deliveries.map((d) => d.headers['x-seedance-attempt'])).toEqual(['1', '2', '3'])
    expect(second.at - first.at).toBeGreaterThanOrEqual(90)
    expect(third.at - second.at).toBeGreaterThanOrEqual(190)
    for (const d of deliveries)
      expect(verifyWebhook(d.body, d.headers['x-seedance-signature'] as string, secret)).toBe(true)
    expect(verifyWebhook(third.body, third.headers['x-seedance-signature'] as string, 'wrong-secret')).toBe(false)
    const payload = JSON.parse(third.body)
    expect(payload).toMatchObject({
      event: 'job.completed',
      job_id,
      output: { video_url: expect.any(String), duration: 1, resolution: '720p' },
    })
    expect(payload.output.video_url.split('?')[0]).toBe(job.output?.video_url.split('?')[0])
    await client().deleteWebhook(hook.webhook_id)
  }, 30_000)
})

describe('webhook targets and answers', () => {
  it('accepts a name that does not resolve yet, refuses a private one (decided by code, not by wording)', async () => {
    const policy = {
      allowPrivate: false,
      resolve: async (host: string) =>
        host === 'meta.example' ? [{ address: '169.254.169.254', family: 4 as const }] : [],
    }
    await expect(checkWebhookTarget('https://later.example/hooks', policy)).resolves.toBeUndefined()
    await expect(checkWebhookTarget('https://meta.example/hooks', policy)).rejects.toMatchObject({
      code: 'INVALID_WEBHOOK',
    })
  })

  // A receiver that answers 200 and then never ends its body must not hold the Sandbox's connection forever.
  it.each([
    ['streams an endless body', 'flood'],
    ['sends headers and then nothing', 'hang'],
  ])(
    'lets go of a receiver that %s',
    async (_label, mode) => {
      let closed!: () => void
      const socketClosed = new Promise<void>((r) => {
        closed = r
      })
      const endless = http.createServer((req, res) => {
        req.resume()
        res.on('close', closed)
        res.writeHead(200, { 'content-type': 'application/octet-stream' })
        if (mode === 'hang') return res.flushHeaders()
        const chunk = Buffer.alloc(64 * 1024, 1)
        const pump = () => {
          while (!res.destroyed && res.write(chunk)) {}
        }
        res.on('drain', pump)
        pump()
      })
      await new Promise<void>((r) => endless.listen(0, '127.0.0.1', r))
      const lines: string[] = []
      const registry = new WebhookRegistry(
        { retryBaseMs: 10, maxAttempts: 1, timeoutMs: 300, log: (l) => lines.push(l), policy: { allowPrivate: true } },
        Date.now,
      )
      try {
        const url = `http://127.0.0.1:${(endless.address() as AddressInfo).port}/hooks`
        registry.add('owner', { url, events: ['job.completed'], secret: 'whsec-0123456789' })
        registry.dispatch('owner', 'job.completed', { job_id: 'j1' })
        await socketClosed
        expect(lines.some((l) => l.includes('delivered'))).toBe(true)
      } finally {
        registry.close()
        endless.closeAllConnections()
        endless.close()
      }
    },
    15_000,
  )
})
