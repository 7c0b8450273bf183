// `npm run ui` (test/e2e/harness/preview.ts) and the OS keychain: a key entered in the preview lives for that run
// only, in memory; the OS keychain gets no entry (the README: the preview's data is removed on exit). Where a
// Secret Service is reachable (CI: gnome-keyring, see .ci/run) the test also looks there.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import * as keytar from '@napi-rs/keyring/keytar.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type Preview, startPreview } from '../e2e/harness/preview'

const PREVIEW_SERVICE = `Seedance Studio preview ${process.pid}`

async function osKeychainReachable(): Promise<boolean> {
  const probe = `Seedance Studio test ${process.pid}`
  try {
    await keytar.setPassword(probe, 'probe', 'probe-value')
    await keytar.deletePassword(probe, 'probe')
    return true
  } catch {
    return false
  }
}

let home: string
let preview: Preview
let open = false
beforeEach(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'seedance-ui-'))
  preview = await startPreview({ home, genSeconds: 1 })
  open = true
})
afterEach(async () => {
  if (open) await preview.close()
  await rm(home, { recursive: true, force: true })
})

describe('npm run ui', () => {
  it('keeps a key entered there in memory for the run, and leaves nothing in the OS keychain', async () => {
    const sender = { senderFrame: { url: new URL(preview.core.url).origin, parent: null } }
    const saved = await preview.core.invoke('key:set', { provider: 'seedance', key: 'sk_preview_key_1234' }, sender)
    expect(saved).toMatchObject({ ok: true, data: { hasKey: true, last4: '1234', source: 'keychain' } })
    expect(await preview.core.invoke('key:status', { provider: 'seedance' }, sender)).toMatchObject({
      ok: true,
      data: { hasKey: true },
    })
    if (await osKeychainReachable()) expect(await keytar.getPassword(PREVIEW_SERVICE, 'seedance')).toBeNull()
    await preview.close()
    open = false
    if (await osKeychainReachable()) expect(await keytar.getPassword(PREVIEW_SERVICE, 'seedance')).toBeNull()
  })
})
