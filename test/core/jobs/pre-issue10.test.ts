// A journal and a library written before issue 10 (test/fixtures/pre-issue10: no provider, model or seed anywhere)
// open with the guide's API and its one model filled in, and nothing else changed: the fingerprint a journaled
// request was written with still finds its video ("already made"), and a video found without metadata claims no door.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Journal } from '../../../electron/core/jobs/journal'
import { entryFor } from '../../../electron/core/jobs/save-video'
import { encodeIndex } from '../../../electron/core/library/index-cache'
import { Library } from '../../../electron/core/library/library'
import { silentLogger } from '../../../electron/core/util/logger'
import type { LibraryEntry } from '../../../electron/shared/model'
import { renderClip } from '../../fixtures/clip'
import { job as jobRecord } from '../../fixtures/records'

const fixtures = path.join(__dirname, '..', '..', 'fixtures', 'pre-issue10')

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'pre-issue10-'))
})
afterEach(() => rm(dir, { recursive: true, force: true, maxRetries: 5 }))

describe('a journal written before issue 10', () => {
  it('opens with every request made through the guide’s API and its standard model, fingerprints kept', async () => {
    const file = path.join(dir, 'journal.jsonl')
    const text = await readFile(path.join(fixtures, 'journal.jsonl'), 'utf8')
    await writeFile(file, text)
    const { journal, jobs, damaged } = await Journal.open(file)
    await journal.close()
    expect(damaged).toBe(0)
    const written = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; fingerprint: string })
    expect(jobs.map((j) => [j.id, j.request.provider, j.request.model])).toEqual([
      ['old-done', 'seedance', 'standard'],
      ['old-queued', 'seedance', 'standard'],
    ])
    expect(jobs.map((j) => j.fingerprint)).toEqual(written.map((w) => w.fingerprint))
    // What the records held is untouched.
    expect(jobs[1]).toMatchObject({ state: 'queued', remoteId: 'job_old2', request: { mode: 'image', duration: 8 } })
    // And it is written back in the new shape (the compacted snapshot on open).
    const again = await Journal.open(file)
    await again.journal.close()
    expect(again.jobs[0]?.request).toMatchObject({ provider: 'seedance', model: 'standard' })
  })
})

describe('a library written before issue 10', () => {
  async function oldLibrary(): Promise<void> {
    await mkdir(path.join(dir, '.seedance', 'meta'), { recursive: true })
    await copyFile(path.join(fixtures, 'old-done.json'), path.join(dir, '.seedance', 'meta', 'old-done.json'))
    await writeFile(path.join(dir, '2025-11-24 lighthouse-in-a-storm old1.mp4'), await renderClip())
  }

  it('opens with its videos made by the guide’s API and its standard model', async () => {
    await oldLibrary()
    const lib = await Library.open(dir, { logger: silentLogger })
    expect(lib.get('old-done')).toMatchObject({
      provider: 'seedance',
      model: 'standard',
      favorite: true,
      prompt: 'lighthouse in a storm',
    })
    await lib.flush()
  }, 60_000)

  it('reads the same from its index cache as from its metadata, and a video found without metadata claims no door', async () => {
    await oldLibrary()
    await writeFile(path.join(dir, 'found on disk.mp4'), await renderClip())
    const first = await Library.open(dir, { logger: silentLogger, rescan: true })
    await first.flush()
    const external = first.all().find((e) => e.external)
    expect(external?.provider).toBeUndefined()
    expect(external?.model).toBeUndefined()
    const index = JSON.parse(await readFile(path.join(dir, '.seedance', 'index.json'), 'utf8'))
    expect(index.fields).toEqual(expect.arrayContaining(['provider', 'model', 'seed']))
    const second = await Library.open(dir, { logger: silentLogger })
    expect(second.get('old-done')).toMatchObject({ provider: 'seedance', model: 'standard' })
    expect(second.all().find((e) => e.external)?.provider).toBeUndefined()
    await second.flush()
  }, 60_000)

  it('an index cache of the old format is not trusted: the entries are read again from their metadata', async () => {
    await oldLibrary()
    const old = JSON.parse(await readFile(path.join(fixtures, 'old-done.json'), 'utf8')) as LibraryEntry
    // An index as the version before wrote it (version 4, columnar, no provider/model/seed columns), claiming
    // another prompt.
    const v5 = JSON.parse(encodeIndex([{ ...old, prompt: 'from a stale index' }])) as {
      count: number
      fields: string[]
      columns: unknown[][]
    }
    const keep = v5.fields.map((f, i) => (['provider', 'model', 'seed'].includes(f) ? -1 : i)).filter((i) => i >= 0)
    const v4 = {
      version: 4,
      count: v5.count,
      fields: keep.map((i) => v5.fields[i]),
      columns: keep.map((i) => v5.columns[i]),
    }
    await writeFile(path.join(dir, '.seedance', 'index.json'), JSON.stringify(v4))
    const lib = await Library.open(dir, { logger: silentLogger })
    expect(lib.get('old-done')).toMatchObject({ prompt: 'lighthouse in a storm', provider: 'seedance' })
    await lib.flush()
  }, 60_000)
})

describe('a video saved now', () => {
  it('records the door, the model and the seed (the service’s echo first, else the one fixed)', () => {
    const base = jobRecord()
    const f = { file: 'a.mp4', width: 864, height: 480, sizeBytes: 1, sha256: 'x', thumbnail: null, expired: false }
    const ark = {
      ...base,
      request: { ...base.request, provider: 'ark' as const, model: 'seedance-1-0-pro-250528', seed: 7 },
    }
    expect(entryFor(ark, 1, undefined, f)).toMatchObject({ provider: 'ark', model: 'seedance-1-0-pro-250528', seed: 7 })
    const echoed = {
      ...ark,
      output: { videoUrl: 'u', thumbnailUrl: null, file: 'a.mp4', width: 864, height: 480, seed: 42 },
    }
    expect(entryFor(echoed, 1, undefined, f).seed).toBe(42)
    expect(entryFor(base, 1, undefined, f)).toMatchObject({ provider: 'seedance', model: 'standard', seed: null })
  })
})
