// Issue 9, point 13: batches and messages as a user meets them. Invalid rows are refused while parsing or
// preparing, reported on stderr and in the results, and never stop the results file; the results are safe to
// open in a spreadsheet; what came from input or the service is printed without control characters.
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatResults } from '../../electron/cli/batch'
import { runMain } from './run-main'

let tmp: string
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'cli-batch-'))
})
afterAll(() => rm(tmp, { recursive: true, force: true }))

const dirs = (name: string) => ['--data-dir', path.join(tmp, name, 'data'), '--library', path.join(tmp, name, 'videos')]
// Any control character but the line break.
// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f]/
const csvLine = (cells: string[]) => cells.map((c) => `"${c.replaceAll('"', '""')}"`).join(',')

describe('seedance batch', () => {
  it('reports invalid rows by file, row and rule, runs the others, and always writes the results', async () => {
    const folder = path.join(tmp, 'rows')
    await import('node:fs/promises').then((fs) => fs.mkdir(folder, { recursive: true }))
    await writeFile(path.join(folder, 'notes.txt'), 'not an image at all')
    const header = ['id', 'prompt', 'filename', 'image', 'duration', 'resolution', 'motion_intensity']
    const rows = [
      ['ok', 'a lighthouse at night', 'x'.repeat(200), '', '1', '720p', ''],
      ['long', 'a lighthouse at dawn', 'y'.repeat(201), '', '1', '720p', ''],
      ['noimg', 'a cat', '', 'missing.png', '1', '720p', ''],
      ['notimg', 'a dog', '', 'notes.txt', '1', '720p', ''],
      ['motion', 'a field', '', '', '1', '720p', '0.5'],
      ['dur', 'a river', '', '', 'abc', '720p', ''],
      ['blocked', 'gore at dusk', '', '', '1', '720p', ''],
      ['=HYPERLINK("http://x")', 'formula row', '', 'gone.png', '1', '720p', ''],
      ['ansi\u001b[2J', 'an escape \u001b]0;pwned\u0007 in the prompt', '', '', '1', '720p', ''],
    ]
    const csv = path.join(folder, 'rows.csv')
    await writeFile(csv, `${[header, ...rows].map(csvLine).join('\n')}\n`)
    const out = path.join(folder, 'results.csv')
    const r = await runMain(['batch', csv, '--results', out, ...dirs('rows')])

    // Invalid input, no failed generation: exit 2 (README), and the results file is there, one line per row.
    expect(r.code).toBe(2)
    expect(existsSync(out)).toBe(true)
    const results = parse(await readFile(out, 'utf8'), { columns: true }) as Record<string, string>[]
    const by = Object.fromEntries(results.map((x) => [x.id, x]))
    expect(results.map((x) => x.status)).toEqual([
      'done',
      'invalid',
      'invalid',
      'invalid',
      'invalid',
      'invalid',
      'invalid',
      'invalid',
      'done',
    ])
    expect(existsSync(by.ok?.video as string)).toBe(true)
    expect(by.long?.error).toBe('line 3: filename is 201 characters; a title has at most 200.')
    expect(by.noimg?.error).toBe(`line 4: Image not found: ${path.join(folder, 'missing.png')}`)
    expect(by.notimg?.error).toContain(path.join(folder, 'notes.txt'))
    expect(by.notimg?.error).toContain('JPEG, PNG or WebP')
    expect(by.motion?.error).toBe('line 6: motion_intensity applies only to rows with an image.')
    expect(by.dur?.error).toBe('line 7: duration "abc" is not a number.')
    expect(by.blocked?.error).toMatch(/^INVALID_PROMPT: .*content policy/)
    // A cell a spreadsheet would run as a formula is escaped.
    expect(by['\'=HYPERLINK("http://x")']?.status).toBe('invalid')

    // Every invalid row is on the terminal too, naming the file, the row and the line.
    expect(r.stderr).toContain('rows.csv: row long (line 3): filename is 201 characters; a title has at most 200.')
    expect(r.stderr).toContain(`rows.csv: row noimg (line 4): Image not found: ${path.join(folder, 'missing.png')}`)
    expect(r.stderr).toContain('rows.csv: row motion (line 6)')
    expect(r.stderr).toContain('rows.csv: row dur (line 7)')
    expect(r.stderr).toContain('2 done, 7 invalid')

    // The 200-character title was set; nothing printed carries a control character from the input.
    const lib = await runMain(['library', '--json', ...dirs('rows')])
    const titles = JSON.parse(lib.stdout).map((e: { title: string }) => e.title)
    expect(titles).toContain('x'.repeat(200))
    expect(titles).toHaveLength(2) // no video was made (or paid for) for an invalid row
    const jobs = await runMain(['jobs', ...dirs('rows')])
    expect(jobs.stdout).toContain('an escape')
    for (const text of [r.stderr, jobs.stdout, jobs.stderr]) expect(text).not.toMatch(CONTROL)
  }, 180_000)

  it('names the missing column with the right article', async () => {
    const csv = path.join(tmp, 'no-prompt.csv')
    await writeFile(csv, 'id,title\nr1,hello\n')
    const r = await runMain(['batch', csv, ...dirs('columns')])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe('seedance: no-prompt.csv needs a "prompt" column.\n')
  })

  it('says when the CSV file itself is missing', async () => {
    const r = await runMain(['batch', path.join(tmp, 'nope.csv'), ...dirs('columns')])
    expect(r.code).toBe(2)
    expect(r.stderr).toBe(`seedance: CSV file not found: ${path.join(tmp, 'nope.csv')}\n`)
  })
})

describe('seedance generate: messages that name the file and the rule', () => {
  it('a missing image, a file that is not an image, a prompt the service blocks: all exit 2', async () => {
    const missing = path.join(tmp, 'missing.png')
    const a = await runMain(['generate', 'a cat', '--image', missing, ...dirs('gen')])
    expect(a.code).toBe(2)
    expect(a.stderr).toContain(`seedance: Image not found: ${missing}\n`)
    const text = path.join(tmp, 'notes.txt')
    await writeFile(text, 'hello')
    const b = await runMain(['generate', 'a cat', '--image', text, ...dirs('gen')])
    expect(b.code).toBe(2)
    expect(b.stderr).toContain(`seedance: ${text}: Image could not be read`)
    expect(b.stderr).toContain('JPEG, PNG or WebP')
    const c = await runMain(['generate', 'gore at dusk', '--duration', '1', '--resolution', '720p', ...dirs('gen')])
    expect(c.code).toBe(2)
    expect(c.stderr).toContain('Failed: INVALID_PROMPT')
  }, 60_000)
})

describe('formatResults', () => {
  it('escapes every cell a spreadsheet would run as a formula, and strips control characters', () => {
    const csv = formatResults([
      { id: '=1+1', status: 'failed', video: '', job_id: '+x', error: '@SUM(A1)' },
      { id: '-2', status: 'failed', video: '', job_id: '\tt', error: 'JOB_FAILED: \u001b[31mred\u001b[0m\r\nnext' },
      { id: 'plain', status: 'done', video: '/v/a.mp4', job_id: 'job_1', error: '' },
    ])
    const rows = parse(csv, { columns: true }) as Record<string, string>[]
    expect(rows[0]).toEqual({ id: "'=1+1", status: 'failed', video: '', job_id: "'+x", error: "'@SUM(A1)" })
    expect(rows[1]).toEqual({ id: "'-2", status: 'failed', video: '', job_id: "' t", error: 'JOB_FAILED: red next' })
    expect(rows[2]).toEqual({ id: 'plain', status: 'done', video: '/v/a.mp4', job_id: 'job_1', error: '' })
  })
})
