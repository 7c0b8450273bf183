// Progress on a pipe or in a log (issue 9, point 11: a retry cycle printed the same line 27 times).
import { describe, expect, it } from 'vitest'
import { createProgress } from '../../electron/cli/progress'
import { job } from '../fixtures/records'

function collector() {
  const lines: string[] = []
  return { lines, out: { write: (s: string) => lines.push(...s.split('\n').filter(Boolean)) } }
}

describe('createProgress on a pipe', () => {
  it('prints each line once per job, however often a retry cycle repeats it', () => {
    const { lines, out } = collector()
    const progress = createProgress(
      out as never,
      () => 'video',
      () => 0,
    )
    const note = 'Retrying: Could not reach the service at api.seedance.tv (ENOTFOUND). (gave up after 4 attempts)'
    for (let i = 0; i < 27; i++) {
      progress.update(job({ state: 'submitting', remoteId: null }))
      progress.update(job({ state: 'pending', remoteId: null, note }))
    }
    progress.update(job({ state: 'queued', estimatedCompletion: null }))
    progress.update(job({ state: 'done' }))
    progress.stop()
    expect(lines).toEqual(['video: submitting', `video: waiting (${note})`, 'video: queued', 'video: done'])
  })

  it('prints a new estimate only once per state, and strips control characters from what the service says', () => {
    const { lines, out } = collector()
    const progress = createProgress(
      out as never,
      () => 'row \u001b[31mr1',
      () => 0,
    )
    progress.update(job({ state: 'processing', estimatedCompletion: 30_000 }))
    progress.update(job({ state: 'processing', estimatedCompletion: 20_000 }))
    progress.update(job({ state: 'failed', error: { code: 'JOB_FAILED', message: 'bad\u001b]0;title\u0007 frame\r' } }))
    expect(lines).toEqual(['row r1: generating ~30s left', 'row r1: failed JOB_FAILED: bad frame'])
  })
})
