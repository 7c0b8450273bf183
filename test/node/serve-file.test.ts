import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFileHandler, parseRange, resolveInside } from '../../electron/node/serve-file'

let dir: string
let root: string
const body = Buffer.from('0123456789abcdefghij') // 20 bytes

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'serve-file-'))
  root = path.join(dir, 'root')
  await mkdir(path.join(root, 'assets'), { recursive: true })
  await writeFile(path.join(root, 'index.html'), '<!doctype html><title>app</title>')
  await writeFile(path.join(root, 'assets', 'clip.mp4'), body)
  await writeFile(path.join(root, 'assets', 'a b.js'), 'export {}')
  await writeFile(path.join(root, '..cover.png'), 'png')
  await writeFile(path.join(dir, 'secret.txt'), 'top secret')
  await symlink(path.join(dir, 'secret.txt'), path.join(root, 'escape.txt'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const get = (url: string, headers: Record<string, string> = {}, method = 'GET') =>
  createFileHandler({ root, headers: { 'x-extra': 'yes' }, fallback: '/index.html' })(
    new Request(`http://local${url}`, { method, headers }),
  )

describe('createFileHandler', () => {
  it('serves a file with its type, length and the configured headers', async () => {
    const res = await get('/assets/clip.mp4')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('video/mp4')
    expect(res.headers.get('content-length')).toBe('20')
    expect(res.headers.get('accept-ranges')).toBe('bytes')
    expect(res.headers.get('x-extra')).toBe('yes')
    expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true)
  })

  it('decodes percent-encoded names', async () => {
    const res = await get('/assets/a%20b.js')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/javascript')
  })

  it('answers a byte range with 206 and Content-Range, as <video> seeking needs', async () => {
    const res = await get('/assets/clip.mp4', { range: 'bytes=5-9' })
    expect(res.status).toBe(206)
    expect(res.headers.get('content-range')).toBe('bytes 5-9/20')
    expect(await res.text()).toBe('56789')
  })

  it('answers open-ended and suffix ranges', async () => {
    expect(await (await get('/assets/clip.mp4', { range: 'bytes=15-' })).text()).toBe('fghij')
    expect(await (await get('/assets/clip.mp4', { range: 'bytes=-3' })).text()).toBe('hij')
  })

  it('refuses a range past the end with 416', async () => {
    const res = await get('/assets/clip.mp4', { range: 'bytes=50-60' })
    expect(res.status).toBe(416)
    expect(res.headers.get('content-range')).toBe('bytes */20')
  })

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('/assets/clip.mp4', {}, 'HEAD')
    expect(head.status).toBe(200)
    expect(head.headers.get('content-length')).toBe('20')
    expect((await head.arrayBuffer()).byteLength).toBe(0)
    expect((await get('/assets/clip.mp4', {}, 'POST')).status).toBe(405)
  })

  it.each([
    '/..%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/%2e%2e/%2e%2e/secret.txt',
    '/assets/%2e%2e%5c..%5csecret.txt',
    '/bad%00name',
    '/%E0%A4%A',
  ])('refuses a path that leaves the folder or cannot be decoded: %s', async (url) => {
    const res = await createFileHandler({ root })(new Request(`http://local${url}`))
    expect([403, 404]).toContain(res.status)
    expect(await res.text()).not.toContain('top secret')
  })

  it('refuses a symlink that points outside the folder', async () => {
    const res = await createFileHandler({ root })(new Request('http://local/escape.txt'))
    expect(res.status).toBe(404)
    expect(await res.text()).not.toContain('top secret')
  })

  it('serves the fallback for an unknown path, and 404 without one', async () => {
    const res = await get('/library/123')
    expect(res.status).toBe(200)
    expect(await res.text()).toContain('<title>app</title>')
    const bare = createFileHandler({ root })
    expect((await bare(new Request('http://local/missing.js'))).status).toBe(404)
  })
})

describe('resolveInside', () => {
  it('keeps paths inside the root and rejects escapes', () => {
    expect(resolveInside('/srv/root', '/a/b.txt')).toBe(path.resolve('/srv/root/a/b.txt'))
    expect(resolveInside('/srv/root', '/../x')).toBeNull()
    expect(resolveInside('/srv/root', '/a/%2e%2e/%2e%2e/x')).toBeNull()
  })
})

describe('parseRange', () => {
  it('parses single ranges and clamps the end', () => {
    expect(parseRange('bytes=0-', 10)).toEqual({ start: 0, end: 9 })
    expect(parseRange('bytes=2-100', 10)).toEqual({ start: 2, end: 9 })
    expect(parseRange('bytes=-4', 10)).toEqual({ start: 6, end: 9 })
  })

  it('ignores what it cannot honour and flags what is unsatisfiable', () => {
    expect(parseRange(null, 10)).toBeNull()
    expect(parseRange('bytes=0-1,4-5', 10)).toBeNull()
    expect(parseRange('items=0-1', 10)).toBeNull()
    expect(parseRange('bytes=10-', 10)).toBe('unsatisfiable')
    expect(parseRange('bytes=5-2', 10)).toBe('unsatisfiable')
  })
})

describe('names that start with two dots', () => {
  it('serves a file named ..cover.png: it is inside the root, not a way out', async () => {
    expect(resolveInside(root, '/..cover.png')).toBe(path.join(root, '..cover.png'))
    const res = await get('/..cover.png')
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('png')
  })
})
