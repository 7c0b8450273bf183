// One writer per data folder: the app and the CLI share it, and whichever starts second says so instead
// of touching the journal. The lock file holds the owner's pid; a lock left by a process that died
// (a crash, a kill -9) is taken over at once.
import { readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

export interface LockOwner {
  pid: number
  host: string
  role: string
  since: string
}

export class DataFolderBusyError extends Error {
  readonly code = 'DATA_FOLDER_BUSY'
  constructor(
    readonly owner: LockOwner,
    folder: string,
  ) {
    super(
      `${owner.role === 'app' ? 'The Seedance Studio app' : `Another ${owner.role}`} (pid ${owner.pid}) is using the data folder ${folder}. Close it, or point this one elsewhere with --data-dir.`,
    )
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export interface DataLock {
  release(): Promise<void>
}

export async function lockDataFolder(folder: string, role: string): Promise<DataLock> {
  const file = path.join(folder, 'seedance.lock')
  const me: LockOwner = { pid: process.pid, host: os.hostname(), role, since: new Date().toISOString() }
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(file, JSON.stringify(me), { flag: 'wx' })
      return {
        async release() {
          const current = await readFile(file, 'utf8').catch(() => '')
          if (current === JSON.stringify(me)) await rm(file, { force: true })
        },
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    let owner: LockOwner | null = null
    try {
      owner = JSON.parse(await readFile(file, 'utf8')) as LockOwner
    } catch {
      owner = null // unreadable: a lock torn by a crash mid-write
    }
    // A live owner keeps it, even this very process (a second engine here must not share the journal).
    if (owner && owner.host === me.host && alive(owner.pid)) throw new DataFolderBusyError(owner, folder)
    if (owner && owner.host !== me.host) throw new DataFolderBusyError(owner, folder)
    await rm(file, { force: true }) // stale: its process is gone
  }
  throw new Error(`Could not lock the data folder ${folder}`)
}
