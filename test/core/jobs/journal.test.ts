import { appendFile, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Journal } from '../../../electron/core/jobs/journal'
import type { JobRecord } from '../../../electron/shared/model'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'journal-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

// Each write fsyncs: the default history of a thousand lines took over 5 s on a loaded CI disk. The journal is
// opened to compact after HISTORY lines instead; the behaviour does not depend on the count.
const HISTORY = 60
const opts = { compactAfter: HISTORY }

const job = (id: string, state: JobRecord['state']): JobRecord =>
  ({ id, state, request: { mode: 'text', prompt: id }, createdAt: 1, updatedAt: 1 }) as unknown as JobRecord

describe('Journal', () => {
  it('keeps the last record of each job across reopenings', async () => {
    const file = path.join(dir, 'journal.jsonl')
    const a = await Journal.open(file)
    await a.journal.write(job('1', 'pending'))
    await a.journal.write(job('2', 'pending'))
    await a.journal.write(job('1', 'queued'))
    await a.journal.close()
    const b = await Journal.open(file)
    expect(b.jobs.map((j) => [j.id, j.state])).toEqual([
      ['1', 'queued'],
      ['2', 'pending'],
    ])
    expect((await readFile(file, 'utf8')).trim().split('\n')).toHaveLength(2) // compacted
    await b.journal.close()
  })

  it('forgets a job removed from the queue, across reopenings', async () => {
    const file = path.join(dir, 'journal.jsonl')
    const a = await Journal.open(file)
    await a.journal.write(job('1', 'done'))
    await a.journal.write(job('2', 'failed'))
    await a.journal.writeRemoval('1')
    await a.journal.close()
    const b = await Journal.open(file)
    expect(b.jobs.map((j) => j.id)).toEqual(['2'])
    expect(b.damaged).toBe(0)
    await b.journal.close()
  })

  it('rewrites itself as one line per job once it is mostly history', async () => {
    const file = path.join(dir, 'journal.jsonl')
    const { journal } = await Journal.open(file, opts)
    for (let i = 0; i < HISTORY - 1; i++) await journal.write(job(String(i % 2), i % 3 === 0 ? 'queued' : 'processing'))
    await journal.compact([job('0', 'done'), job('1', 'failed')]) // not yet: below the threshold
    expect((await readFile(file, 'utf8')).trim().split('\n')).toHaveLength(HISTORY - 1)
    await journal.write(job('1', 'processing'))
    await journal.compact([job('0', 'done'), job('1', 'failed')])
    expect((await readFile(file, 'utf8')).trim().split('\n')).toHaveLength(2)
    await journal.write(job('2', 'pending'))
    await journal.close()
    expect((await Journal.open(file)).jobs.map((j) => [j.id, j.state])).toEqual([
      ['0', 'done'],
      ['1', 'failed'],
      ['2', 'pending'],
    ])
  })

  it('keeps appending to the old file when a compaction cannot write the new one', async () => {
    const file = path.join(dir, 'journal.jsonl')
    const { journal } = await Journal.open(file, opts)
    for (let i = 0; i < HISTORY; i++) await journal.write(job(String(i % 2), 'processing'))
    // The open file moves aside (its handle follows it) and a folder takes the journal's name: the new file
    // cannot be renamed into place.
    const aside = path.join(dir, 'journal.aside')
    await rename(file, aside)
    await mkdir(file)
    await expect(journal.compact([job('0', 'done'), job('1', 'failed')])).rejects.toMatchObject({ code: 'EISDIR' })
    await journal.write(job('2', 'pending')) // still open, on the old file
    await journal.close()
    const lines = (await readFile(aside, 'utf8')).trim().split('\n')
    expect(lines).toHaveLength(HISTORY + 1)
    expect(JSON.parse(lines[HISTORY] as string)).toMatchObject({ id: '2', state: 'pending' })
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('ignores a last line torn by a crash mid-write', async () => {
    const file = path.join(dir, 'journal.jsonl')
    await writeFile(file, `${JSON.stringify(job('1', 'queued'))}\n{"id":"2","sta`)
    const { jobs, damaged, movedAside, journal } = await Journal.open(file)
    expect(jobs.map((j) => j.id)).toEqual(['1'])
    expect(damaged).toBe(0)
    expect(movedAside).toBeNull()
    await journal.close()
  })

  it('recovers a damaged journal: keeps every readable record and moves the file aside', async () => {
    const file = path.join(dir, 'journal.jsonl')
    await writeFile(
      file,
      `${JSON.stringify(job('1', 'queued'))}\n\u0000\u0000garbage\n${JSON.stringify(job('2', 'done'))}\n[1,2]\n`,
    )
    const { jobs, damaged, movedAside, journal } = await Journal.open(file)
    expect(jobs.map((j) => j.id)).toEqual(['1', '2'])
    expect(damaged).toBe(2)
    expect(movedAside).toMatch(/journal\.jsonl\.corrupt-/)
    expect(await readdir(dir)).toHaveLength(2)
    await journal.write(job('3', 'pending'))
    await journal.close()
    await appendFile(file, '')
    expect((await Journal.open(file)).jobs.map((j) => j.id)).toEqual(['1', '2', '3'])
  })
})
