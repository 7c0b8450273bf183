// `npm start` (scripts/start.mjs): finds the Electron binary, runs electron's own installer once when it is
// missing, and explains what to do when it cannot be fetched. The decisions are driven with fakes: no test
// downloads anything.
import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it, vi } from 'vitest'
// @ts-expect-error: a plain .mjs script without type declarations
import { ensureElectron, findElectron, reasonFrom } from '../../scripts/start.mjs'

const root = path.resolve(import.meta.dirname, '../..')
const electronDir = '/repo/node_modules/electron'
const installed = {
  [`${electronDir}/path.txt`]: 'electron',
  [`${electronDir}/dist/version`]: '45.5.0',
}

function fakeFs(files: Record<string, string>, executables: string[] = [`${electronDir}/dist/electron`]) {
  return {
    exists: (p: string) => executables.includes(p),
    read: (p: string) => files[p] ?? null,
  }
}

const find = (files: Record<string, string>, env: Record<string, string> = {}, executables?: string[]) =>
  findElectron({ electronDir, version: '45.5.0', platform: 'linux', env, ...fakeFs(files, executables) })

describe('findElectron', () => {
  it('finds the binary electron installed for this version and platform', () => {
    expect(find(installed)).toBe(`${electronDir}/dist/electron`)
  })

  it('treats a fresh clone (no path.txt), another version, another platform or a missing file as not installed', () => {
    expect(find({})).toBeNull()
    expect(find({ ...installed, [`${electronDir}/dist/version`]: '44.0.0' })).toBeNull()
    expect(find({ ...installed, [`${electronDir}/path.txt`]: 'electron.exe' })).toBeNull()
    expect(find(installed, {}, [])).toBeNull()
  })

  it('honours ELECTRON_EXEC_PATH, as electron-vite does', () => {
    expect(find({}, { ELECTRON_EXEC_PATH: '/opt/electron/electron' }, ['/opt/electron/electron'])).toBe(
      '/opt/electron/electron',
    )
    expect(find(installed, { ELECTRON_EXEC_PATH: '/nowhere/electron' })).toBeNull()
  })
})

describe('ensureElectron', () => {
  const base = { version: '45.5.0', env: {}, log: () => {} }

  it('starts at once when Electron is there: no download', () => {
    const install = vi.fn()
    expect(ensureElectron({ ...base, find: () => '/e/electron', install })).toEqual({ ok: true, path: '/e/electron' })
    expect(install).not.toHaveBeenCalled()
  })

  it('runs electron’s installer once when the binary is missing, then uses it', () => {
    let present = false
    const install = vi.fn(() => {
      present = true
      return { ok: true, stderr: '' }
    })
    const log = vi.fn()
    const outcome = ensureElectron({ ...base, log, find: () => (present ? '/e/electron' : null), install })
    expect(outcome).toEqual({ ok: true, path: '/e/electron' })
    expect(install).toHaveBeenCalledTimes(1)
    expect(log).toHaveBeenCalledWith(expect.stringContaining('downloading it once'))
  })

  it('when the download fails: the reason without its stack, and every way forward', () => {
    const stderr = [
      'TypeError: fetch failed',
      '    at node:internal/deps/undici/undici:14976:13',
      '    at async downloadArtifact (file:///x/@electron/get/dist/index.js:154:12)',
    ].join('\n')
    const outcome = ensureElectron({ ...base, find: () => null, install: () => ({ ok: false, stderr }) })
    expect(outcome.ok).toBe(false)
    expect(outcome.message).toContain('the Electron 45.5.0 binary is not installed and could not be downloaded')
    expect(outcome.message).toContain('Reason: TypeError: fetch failed')
    expect(outcome.message).not.toMatch(/\bat (async |node:)/)
    for (const hint of ['ELECTRON_MIRROR', 'ELECTRON_EXEC_PATH=', 'npm run ui', 'npm run cli']) {
      expect(outcome.message).toContain(hint)
    }
  })

  it('an installer that claims success but leaves no binary is still a failure', () => {
    const outcome = ensureElectron({ ...base, find: () => null, install: () => ({ ok: true, stderr: '' }) })
    expect(outcome.ok).toBe(false)
  })

  it('a wrong ELECTRON_EXEC_PATH is named, and nothing is downloaded', () => {
    const install = vi.fn()
    const env = { ELECTRON_EXEC_PATH: '/nowhere/electron' }
    const outcome = ensureElectron({ ...base, env, find: () => null, install })
    expect(outcome.message).toContain('ELECTRON_EXEC_PATH is set to "/nowhere/electron", which does not exist')
    expect(install).not.toHaveBeenCalled()
  })

  it('names a generic reason when the installer said nothing', () => {
    expect(reasonFrom('')).toBe('the installer exited with an error')
  })
})

it('`npm start` as a process: a clear message and exit 1, no stack trace (ELECTRON_EXEC_PATH keeps it offline)', () => {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts/start.mjs')], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_EXEC_PATH: path.join(root, 'no-such-electron') },
  })
  expect(r.status).toBe(1)
  expect(r.stderr).toContain('Seedance Studio cannot start: ELECTRON_EXEC_PATH is set to')
  expect(r.stderr).not.toMatch(/^\s+at /m)
})
