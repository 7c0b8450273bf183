import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { APP_SCHEME_PRIVILEGES, createRendererHandler } from '../../electron/main/app-protocol'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'app-protocol-'))
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>Seedance Studio</title>')
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('createRendererHandler', () => {
  it('serves the renderer with the Content-Security-Policy header', async () => {
    const res = await createRendererHandler(dir)(new Request('app://renderer/index.html'))
    expect(res.status).toBe(200)
    const csp = res.headers.get('content-security-policy') ?? ''
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
  })

  it('answers only for its own host', async () => {
    expect((await createRendererHandler(dir)(new Request('app://elsewhere/index.html'))).status).toBe(404)
  })

  it('registers app: as a secure standard scheme, so the page has a real origin', () => {
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true })
  })
})
