import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
// @ts-expect-error: a plain .mjs script without type declarations
import { findLayerViolations } from '../../scripts/check-layers.mjs'

let dir: string | undefined
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

async function tree(files: Record<string, string>): Promise<string> {
  dir = await mkdtemp(path.join(os.tmpdir(), 'layers-'))
  for (const [file, code] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true })
    await writeFile(path.join(dir, file), code)
  }
  return dir
}

describe('check-layers', () => {
  it('passes the repository as it is', () => {
    expect(findLayerViolations(path.resolve(import.meta.dirname, '../..'))).toEqual([])
  })

  it('allows electron in main and preload, and type-only imports anywhere', async () => {
    const root = await tree({
      'electron/main/index.ts': "import { app } from 'electron'\n",
      'electron/preload/index.ts': "import { contextBridge } from 'electron'\n",
      'electron/core/x.ts': "import type { App } from 'electron'\nexport type { WebContents } from 'electron'\n",
    })
    expect(findLayerViolations(root)).toEqual([])
  })

  it('flags every kind of runtime load of electron or electron-store outside main and preload', async () => {
    const root = await tree({
      'electron/core/a.ts': "import { app } from 'electron'\n",
      'electron/sandbox/b.ts': "\n\nconst Store = require('electron-store')\n",
      'electron/cli/c.ts': "export { shell } from 'electron'\n",
      'electron/shared/d.ts': "export const x = () => import('electron')\n",
      'renderer/src/e.tsx': "import { type IpcRenderer } from 'electron'\nexport const f = <div />\n",
    })
    expect(findLayerViolations(root).sort()).toEqual([
      "electron/cli/c.ts:1 imports 'electron' at run time",
      "electron/core/a.ts:1 imports 'electron' at run time",
      "electron/sandbox/b.ts:3 imports 'electron-store' at run time",
      "electron/shared/d.ts:1 imports 'electron' at run time",
      "renderer/src/e.tsx:1 imports 'electron' at run time",
    ])
  })
})
