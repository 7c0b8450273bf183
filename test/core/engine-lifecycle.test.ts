// Opening and closing the engine leave nothing behind (issue 9 review): a start that fails part-way closes what it
// had opened (the journal's file handle, the Sandbox's port, the data folder's lock), and close() runs every step
// whatever an earlier one threw.
import { mkdir, readdir, readlink, symlink } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type TestDirs, testDirs } from './jobs/engine-helpers'
import { openEngineOnSandbox } from './sandbox-engine'

/** How many of this process's open files are the journal (Linux: /proc/self/fd). */
async function journalHandles(dirs: TestDirs): Promise<number> {
  const journal = path.join(dirs.paths.userData, 'journal.jsonl')
  let count = 0
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '')
    if (target === journal) count += 1
  }
  return count
}

const listeningServers = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length

let dirs: TestDirs
beforeEach(async () => {
  dirs = await testDirs()
})
afterEach(() => dirs.cleanup())

describe.runIf(process.platform === 'linux')('engine start and stop', () => {
  it('closes the journal, the Sandbox and the lock when the library folder refuses to open', async () => {
    // A symlinked .seedance makes the library refuse to open (UNSAFE_LIBRARY_FOLDER), after the journal is open.
    await mkdir(path.join(dirs.root, 'elsewhere'), { recursive: true })
    await mkdir(dirs.paths.library, { recursive: true })
    await symlink(path.join(dirs.root, 'elsewhere'), path.join(dirs.paths.library, '.seedance'))
    const servers = listeningServers()
    await expect(openEngineOnSandbox({ paths: dirs.paths, role: 'cli', sandbox: 'always' })).rejects.toMatchObject({
      code: 'UNSAFE_LIBRARY_FOLDER',
    })
    expect(await journalHandles(dirs)).toBe(0)
    expect(listeningServers()).toBe(servers)
    expect(await readdir(dirs.paths.userData)).not.toContain('seedance.lock')
  })

  it('runs every step of close() when one fails: journal closed, Sandbox stopped, lock released', async () => {
    const engine = await openEngineOnSandbox({ paths: dirs.paths, role: 'cli', sandbox: 'always' })
    const sandboxUrl = engine.sandbox?.baseUrl as string
    expect(await journalHandles(dirs)).toBe(1)
    const failure = new Error('stop failed')
    engine.jobs.stop = async () => {
      throw failure
    }
    await expect(engine.close()).rejects.toBe(failure)
    expect(await journalHandles(dirs)).toBe(0)
    await expect(fetch(`${sandboxUrl}/v1/jobs`)).rejects.toThrow()
    // The data folder is free again: another engine opens it.
    const again = await openEngineOnSandbox({ paths: dirs.paths, role: 'cli', sandbox: 'always' })
    await again.close()
  })
})
