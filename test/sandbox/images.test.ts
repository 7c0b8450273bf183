import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { probeMp4 } from '../../electron/core/media/mp4-probe'
import { noisePng, picture } from '../fixtures/images'
import { api, fetchJson, sandboxForTests, waitForJob } from './helpers'

// The image host below is on loopback, which the Sandbox refuses unless told otherwise (--allow-private-urls).
const { sandbox, client } = sandboxForTests({ imageFetchTimeoutMs: 1500, allowPrivateUrls: true })
// A Sandbox as shipped: image_url must reach a public address.
const strict = sandboxForTests({ imageFetchTimeoutMs: 1500 })

// A local image host for image_url tests: /ok.jpg, /huge.png, /slow.png (never finishes), /missing, /hop (→ /ok.jpg).
let imageHost: http.Server
let hostUrl = ''
const hostRequests: string[] = []
beforeAll(async () => {
  const jpeg = await picture(1200, 800, 'jpeg')
  const huge = await noisePng(2000, 1900)
  imageHost = http.createServer((req, res) => {
    hostRequests.push(req.url ?? '')
    if (req.url === '/hop') res.writeHead(302, { location: '/ok.jpg' }).end()
    else if (req.url === '/loop') res.writeHead(302, { location: '/loop' }).end()
    else if (req.url === '/ok.jpg') res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg)
    else if (req.url === '/huge.png') res.writeHead(200, { 'content-type': 'image/png' }).end(huge)
    else if (req.url === '/slow.png') {
      res.writeHead(200, { 'content-type': 'image/png' })
      res.write(jpeg.subarray(0, 100))
    } else res.writeHead(404).end()
  })
  await new Promise<void>((r) => imageHost.listen(0, '127.0.0.1', r))
  hostUrl = `http://127.0.0.1:${(imageHost.address() as AddressInfo).port}`
})
afterAll(() => {
  imageHost.closeAllConnections()
  imageHost.close()
})

async function imageError(
  body: Record<string, unknown>,
  sb = sandbox(),
): Promise<{ status: number; code: string; message: string }> {
  const res = await api(sb, '/v1/generate/image-to-video', {
    json: { prompt: 'push in', duration: 1, resolution: '720p', ...body },
  })
  const json = await res.json()
  return { status: res.status, ...json.error }
}

describe('Sandbox: image-to-video', () => {
  it('animates a base64 PNG, choosing the aspect ratio nearest the image', async () => {
    const png = await picture(900, 1600, 'png')
    const submitted = await client().generateImageToVideo({
      prompt: 'slow push in',
      image_base64: png.toString('base64'),
      duration: 1,
      resolution: '720p',
      motion_intensity: 0.8,
    })
    const job = await waitForJob(client(), submitted.job_id)
    expect(job).toMatchObject({
      status: 'completed',
      mode: 'image-to-video',
      aspect_ratio: '9:16',
      motion_intensity: 0.8,
    })
    const bytes = new Uint8Array(await (await fetchJson(job.output?.video_url ?? '')).arrayBuffer())
    expect(probeMp4(bytes)).toMatchObject({ width: 720, height: 1280, frames: 24 })
  }, 60_000)

  it('accepts a data: URL prefix and fetches an image_url', async () => {
    const webp = await picture(800, 800, 'webp')
    const a = await client().generateImageToVideo({
      prompt: 'pan left',
      image_base64: `data:image/webp;base64,${webp.toString('base64')}`,
      duration: 1,
      resolution: '720p',
    })
    const b = await client().generateImageToVideo({
      prompt: 'pull back',
      image_url: `${hostUrl}/ok.jpg`,
      duration: 1,
      resolution: '720p',
      aspect_ratio: '1:1',
    })
    expect((await waitForJob(client(), a.job_id)).aspect_ratio).toBe('1:1')
    expect((await waitForJob(client(), b.job_id)).output).toMatchObject({ width: 720, height: 720 })
  }, 60_000)

  it.each([
    [
      'a GIF',
      async () => ({ image_base64: (await picture(800, 600, 'gif')).toString('base64') }),
      /format gif is not supported; use JPEG, PNG or WebP/,
    ],
    [
      'a tiny image',
      async () => ({ image_base64: (await picture(200, 200)).toString('base64') }),
      /200×200 px; each side must be 300–6,000 px/,
    ],
    [
      'a panorama',
      async () => ({ image_base64: (await picture(3000, 1000)).toString('base64') }),
      /aspect ratio 3\.00 is outside 0\.4–2\.5/,
    ],
    [
      'a truncated JPEG',
      async () => ({ image_base64: (await picture(1200, 800, 'jpeg')).subarray(0, 3000).toString('base64') }),
      /truncated or corrupt/,
    ],
    [
      'bytes that are no image',
      async () => ({ image_base64: Buffer.from('definitely not an image').toString('base64') }),
      /not an image or is corrupt/,
    ],
    ['invalid base64', async () => ({ image_base64: '%%%not base64%%%' }), /not valid base64/],
    ['an image over 10 MB', async () => ({ image_base64: (await noisePng(2000, 1900)).toString('base64') }), /limit/],
    ['an image_url over 10 MB', async () => ({ image_url: `${hostUrl}/huge.png` }), /limit/],
    ['an image_url that answers 404', async () => ({ image_url: `${hostUrl}/missing` }), /HTTP 404/],
    ['an image_url that stalls', async () => ({ image_url: `${hostUrl}/slow.png` }), /within 1\.5 s/],
    ['an image_url that redirects in a loop', async () => ({ image_url: `${hostUrl}/loop` }), /more than 5 times/],
  ])(
    'rejects %s with 400 INVALID_IMAGE saying which rule failed',
    async (_name, make, message) => {
      const error = await imageError(await make())
      expect(error.status).toBe(400)
      expect(error.code).toBe('INVALID_IMAGE')
      expect(error.message).toMatch(message)
    },
    30_000,
  )
})

describe('Sandbox: image_url reaches public addresses only', () => {
  const port = () => new URL(hostUrl).port
  it.each([
    ['loopback', () => `${hostUrl}/ok.jpg`],
    ['localhost by name', () => `http://localhost:${port()}/ok.jpg`],
    ['IPv6 loopback', () => `http://[::1]:${port()}/ok.jpg`],
    ['IPv4-mapped IPv6 loopback', () => `http://[::ffff:127.0.0.1]:${port()}/ok.jpg`],
    ['0.0.0.0', () => `http://0.0.0.0:${port()}/ok.jpg`],
    ['the IPv6 unspecified address', () => `http://[::]:${port()}/ok.jpg`],
    ['cloud metadata (link-local)', () => 'http://169.254.169.254/latest/meta-data/'],
    ['a private network', () => 'http://10.0.0.1/a.jpg'],
    ['a home router', () => 'https://192.168.1.1/a.jpg'],
    ['IPv6 link-local', () => 'http://[fe80::1]/a.jpg'],
  ])('refuses %s without connecting, and without saying what is there', async (_name, url) => {
    hostRequests.length = 0
    const error = await imageError({ image_url: url() }, strict.sandbox())
    expect(error).toMatchObject({ status: 400, code: 'INVALID_IMAGE' })
    expect(error.message).toBe(
      'image_url is refused: the URL points to a loopback, private or link-local address, which is not fetched.',
    )
    expect(hostRequests).toEqual([])
  })

  it('with --allow-private-urls (tests), follows a redirect and checks where it leads', async () => {
    hostRequests.length = 0
    const submitted = await client().generateImageToVideo({
      prompt: 'drift',
      image_url: `${hostUrl}/hop`,
      duration: 1,
      resolution: '720p',
    })
    expect((await waitForJob(client(), submitted.job_id)).status).toBe('completed')
    expect(hostRequests).toEqual(['/hop', '/ok.jpg'])
  }, 60_000)
})
