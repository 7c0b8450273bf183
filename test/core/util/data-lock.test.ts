import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DataFolderBusyError, lockDataFolder } from '../../../electron/core/util/data-lock'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lock-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

describe('lockDataFolder', () => {
  it('lets one process in and tells the second who holds the folder', async () => {
    // Another live process holds the lock (a child that just waits).
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'])
    try {
      await writeFile(
        path.join(dir, 'seedance.lock'),
        JSON.stringify({ pid: child.pid, host: os.hostname(), role: 'app', since: '' }),
      )
      const error = await lockDataFolder(dir, 'cli').catch((e: unknown) => e)
      expect(error).toBeInstanceOf(DataFolderBusyError)
      expect((error as Error).message).toContain(`The Seedance Studio app (pid ${child.pid}) is using the data folder`)
    } finally {
      child.kill()
    }
  })

  it('takes over a lock left by a process that died (kill -9)', async () => {
    const child = spawn(process.execPath, ['-e', ''])
    await new Promise((r) => child.on('exit', r))
    await writeFile(
      path.join(dir, 'seedance.lock'),
      JSON.stringify({ pid: child.pid, host: os.hostname(), role: 'cli', since: '' }),
    )
    const lock = await lockDataFolder(dir, 'cli')
    expect(JSON.parse(await readFile(path.join(dir, 'seedance.lock'), 'utf8')).pid).toBe(process.pid)
    await lock.release()
    await expect(readFile(path.join(dir, 'seedance.lock'))).rejects.toThrow()
  })

  it('takes over a torn lock file', async () => {
    await writeFile(path.join(dir, 'seedance.lock'), '{"pid": 12')
    const lock = await lockDataFolder(dir, 'cli')
    await lock.release()
  })
})
