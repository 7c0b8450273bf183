// Issue 9, point 12: a keychain that refused a key, or cannot be read at all, never blocks the Sandbox; only the
// commands that need the key exit 5.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { halfFailingBackend, lockedBackend } from '../fakes/keychain'
import { runMain } from './run-main'

let tmp: string
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'cli-keychain-'))
})
afterAll(() => rm(tmp, { recursive: true, force: true }))

const dirs = (name: string) => ['--data-dir', path.join(tmp, name, 'data'), '--library', path.join(tmp, name, 'videos')]
const oneLiner = ['generate', 'a quiet lake at dawn', '--duration', '1', '--resolution', '720p']

describe('seedance with a keychain that fails', () => {
  it('a failed `key set` leaves nothing behind: the no-key one-liner still runs on the Sandbox', async () => {
    const backend = halfFailingBackend()
    const set = await runMain(['key', 'set'], { backend, stdin: 'sk_live_abcdefgh1234\n' })
    expect(set.code).toBe(5)
    expect(set.stderr).toContain('The key was not saved.')
    expect(set.stderr).not.toContain('sk_live')
    expect(backend.entries.size).toBe(0)
    const after = await runMain([...oneLiner, ...dirs('after-set')], { backend })
    expect(after.code).toBe(0)
    expect(after.stderr).toContain(
      'No Seedance API key is set (Settings, or SEEDANCE_API_KEY), so jobs through Seedance API go to the built-in Sandbox',
    )
    expect(after.stdout).toMatch(/a-quiet-lake-at-dawn .*\.mp4\n$/)
    expect((await runMain(['key', 'status'], { backend })).stdout).toContain('No Seedance API key is set')
  }, 60_000)

  it('a keychain that cannot be read runs on the Sandbox and says why on stderr', async () => {
    const r = await runMain([...oneLiner, ...dirs('locked')], { backend: lockedBackend() })
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('The system keychain is not available (Couldn')
    expect(r.stderr).toContain('go to the built-in Sandbox')
    expect(r.stdout).toMatch(/\.mp4\n$/)
    // Commands that only look at local state are not blocked either.
    expect((await runMain(['jobs', ...dirs('locked')], { backend: lockedBackend() })).code).toBe(0)
  }, 60_000)

  it('only the commands that need the key exit 5', async () => {
    for (const args of [
      ['key', 'status'],
      ['key', 'set'],
      ['key', 'clear'],
      ['sync', ...dirs('sync')],
    ]) {
      const r = await runMain(args, { backend: lockedBackend(), stdin: 'sk_live_abcdefgh1234\n' })
      expect(r.code, args.join(' ')).toBe(5)
      expect(r.stderr).toContain('The system keychain is not available')
    }
  })

  it('SEEDANCE_API_KEY is used without reading the keychain', async () => {
    const r = await runMain(['key', 'status'], {
      backend: lockedBackend(),
      env: { SEEDANCE_API_KEY: 'sk_env_key_7777' },
    })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('…7777 is set (from SEEDANCE_API_KEY)')
  })
})
