// A CSV's image column names files next to the CSV (issue 9, point 7), tried as a crafted CSV would: `..`,
// absolute paths, symlinks out of the folder, and probing whether a path outside exists.
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { confineToFolder, parseBatch } from '../../../electron/core/jobs/batch'
import { picture } from '../../fixtures/images'
import { testDirs } from './engine-helpers'

let root: string
let folder: string
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'batch-images-'))
  folder = path.join(root, 'plans')
  await mkdir(path.join(folder, 'shots'), { recursive: true })
  const jpeg = await picture(800, 600, 'jpeg')
  await writeFile(path.join(folder, 'a.jpg'), jpeg)
  await writeFile(path.join(folder, 'shots', 'b.jpg'), jpeg)
  await writeFile(path.join(folder, '..cover.jpg'), jpeg)
  await writeFile(path.join(root, 'secret.jpg'), await picture(900, 700, 'jpeg')) // outside the CSV's folder
  await symlink(path.join(root, 'secret.jpg'), path.join(folder, 'link.jpg'))
  await symlink(root, path.join(folder, 'up'))
})
afterAll(() => rm(root, { recursive: true, force: true }))

const OUTSIDE = /is not a file inside the CSV's folder/

describe('confineToFolder', () => {
  it('finds images in the CSV’s folder and below, by relative or absolute path', async () => {
    expect(await confineToFolder(folder, 'a.jpg')).toBe(path.join(folder, 'a.jpg'))
    expect(await confineToFolder(folder, 'shots/b.jpg')).toBe(path.join(folder, 'shots', 'b.jpg'))
    expect(await confineToFolder(folder, './shots/../a.jpg')).toBe(path.join(folder, 'a.jpg'))
    expect(await confineToFolder(folder, path.join(folder, 'a.jpg'))).toBe(path.join(folder, 'a.jpg'))
    // A name that starts with two dots is a file in the folder, not a step out of it.
    expect(await confineToFolder(folder, '..cover.jpg')).toBe(path.join(folder, '..cover.jpg'))
  })

  it.each([
    ['a .. escape', '../secret.jpg'],
    ['an absolute path outside', () => path.join(root, 'secret.jpg')],
    ['a symlink out of the folder', 'link.jpg'],
    ['a symlinked folder out of it', 'up/secret.jpg'],
    ['a system file', '/etc/passwd'],
  ])('refuses %s', async (_name, value) => {
    const v = typeof value === 'function' ? value() : value
    await expect(confineToFolder(folder, v)).rejects.toMatchObject({
      code: 'INVALID_IMAGE',
      message: expect.stringMatching(OUTSIDE),
    })
  })

  it('says the same whether a path outside exists or not', async () => {
    const messages = []
    for (const v of [
      '../secret.jpg',
      '../no-such.jpg',
      'up/secret.jpg',
      'up/no-such.jpg',
      '/etc/passwd',
      '/etc/no-such',
    ]) {
      messages.push(await confineToFolder(folder, v).catch((e: Error) => e.message.replace(v, '<v>')))
    }
    expect(new Set(messages).size).toBe(1)
  })
})

describe('a batch’s image rows through the engine', () => {
  it('reads only images inside the CSV’s folder and copies nothing from outside', async () => {
    const { openEngineOnSandbox: openEngine } = await import('../sandbox-engine')
    const { Keychain } = await import('../../../electron/core/secrets/keychain')
    const dirs = await testDirs()
    const engine = await openEngine({
      paths: dirs.paths,
      role: 'cli',
      sandbox: 'always',
      keychain: new Keychain({ env: {} }),
    })
    try {
      const csv = ['id,prompt,image', 'in,inside,shots/b.jpg', 'esc,escape,../secret.jpg', 'sym,symlink,link.jpg'].join(
        '\n',
      )
      const rows = parseBatch(csv, path.join(folder, 'plan.csv'))
      const outcomes = []
      for (const row of rows)
        outcomes.push(
          await engine.prepare(row.input).then(
            () => 'ok',
            (e: Error) => e.message,
          ),
        )
      expect(outcomes[0]).toBe('ok')
      expect(outcomes[1]).toMatch(OUTSIDE)
      expect(outcomes[2]).toMatch(OUTSIDE)
      // Only the inside image was copied into the data folder; the outside one (another picture) was never read.
      expect(await readdir(path.join(dirs.paths.userData, 'images'))).toHaveLength(1)
    } finally {
      await engine.close()
      await dirs.cleanup()
    }
  }, 30_000)
})
