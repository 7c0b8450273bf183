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

describe('check-layers: which folder may import which (issue 10, point 3)', () => {
  it('allows each layer the layers below it', async () => {
    const root = await tree({
      'electron/shared/a.ts': 'export const a = 1\n',
      'electron/node/b.ts': "import { a } from '../shared/a'\nexport const b = a\n",
      'electron/core/c.ts': "import { b } from '../node/b'\nimport { a } from '../shared/a'\nexport const c = a + b\n",
      'electron/sandbox/d.ts': "import { b } from '../node/b'\nexport const d = b\n",
      'electron/main/e.ts': "import { c } from '../core/c'\nimport { d } from '../sandbox/d'\nexport const e = c + d\n",
      'electron/cli/f.ts': "import { c } from '../core/c'\nimport { d } from '../sandbox/d'\nexport const f = c + d\n",
      'electron/preload/g.ts': "import { a } from '../shared/a'\nexport const g = a\n",
      'renderer/src/h.tsx': "import type { A } from '../../electron/shared/a'\nexport const h = <div />\n",
    })
    expect(findLayerViolations(root)).toEqual([])
  })

  it('flags core and the Sandbox importing each other, even a type, and every other upward import', async () => {
    const root = await tree({
      'electron/core/engine.ts': "import { startSandbox } from '../sandbox/server'\n",
      'electron/core/types.ts': "import type { Sandbox } from '../sandbox/server'\n",
      'electron/sandbox/server.ts': "\nexport { openEngine } from '../core/engine'\n",
      'electron/shared/x.ts': "export const x = () => import('../core/engine')\n",
      'electron/node/y.ts': "const c = require('../core/engine')\n",
      'renderer/src/z.ts': "import { Engine } from '../../electron/core/engine'\n",
      'electron/cli/w.ts': "import { menu } from '../main/menu'\n",
    })
    expect(findLayerViolations(root).sort()).toEqual([
      "electron/cli/w.ts:1 electron/cli may not import electron/main: '../main/menu'",
      "electron/core/engine.ts:1 electron/core may not import electron/sandbox: '../sandbox/server'",
      "electron/core/types.ts:1 electron/core may not import electron/sandbox (not even a type): '../sandbox/server'",
      "electron/node/y.ts:1 electron/node may not import electron/core: '../core/engine'",
      "electron/sandbox/server.ts:2 electron/sandbox may not import electron/core: '../core/engine'",
      "electron/shared/x.ts:1 electron/shared may not import electron/core: '../core/engine'",
      "renderer/src/z.ts:1 renderer may not import electron/core: '../../electron/core/engine'",
    ])
  })
})
