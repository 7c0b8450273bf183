import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { slugify, videoBaseName } from '../../../electron/core/library/naming'

const at = new Date(2026, 10, 27, 15, 30).getTime()

describe('video file names', () => {
  it('reads as date, prompt words and a short id', () => {
    expect(videoBaseName(at, 'Aerial view of a mountain range at golden hour!', 'job_abc123def456')).toBe(
      '2026-11-27 aerial-view-of-a-mountain-range-at-golden-hour def456',
    )
  })

  it('folds accents and drops characters no file system likes', () => {
    expect(slugify('Café <crème> brûlée: "été" / 2026 | ok?')).toBe('cafe-creme-brulee-ete-2026-ok')
    expect(slugify('日本の夜')).toBe('video')
    expect(slugify('con')).toBe('con-video')
  })

  it('is always safe and bounded on every system (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 3000 }), fc.string({ minLength: 1, maxLength: 40 }), (prompt, id) => {
        const name = `${videoBaseName(at, prompt, id)}.mp4`
        expect(name.length).toBeLessThanOrEqual(90)
        expect(name).not.toMatch(/[<>:"/\\|?*]/)
        expect([...name].every((c) => c.charCodeAt(0) >= 0x20)).toBe(true)
        expect(name).not.toMatch(/[. ]\.mp4$/)
      }),
    )
  })

  it('adds a number when the name is taken', () => {
    const taken = new Set(['2026-11-27 lake def456', '2026-11-27 lake def456 2'])
    expect(videoBaseName(at, 'lake', 'def456', (b) => taken.has(b))).toBe('2026-11-27 lake def456 3')
  })
})
