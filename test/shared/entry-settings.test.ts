// A library entry and the settings inside its video are two views of one thing (issue 11, point 1).
import { describe, expect, it } from 'vitest'
import { parseEntry } from '../../electron/core/library/entry-schema'
import { entryFromSettings, settingsOfEntry } from '../../electron/shared/mp4-meta/entry-settings'
import { entry } from '../fixtures/records'
import { sampleSettings } from '../fixtures/video-settings'

const facts = { id: 'job-0001', file: 'a.mp4', width: 1280, height: 720, sizeBytes: 10, sha256: 'f', mtimeMs: 5 }

describe('entry ↔ settings', () => {
  it('goes round: the settings of a rebuilt entry are the settings it was rebuilt from', () => {
    const s = sampleSettings({ imageUrl: null })
    const e = entryFromSettings(s, facts)
    expect(parseEntry(e).ok).toBe(true)
    expect(settingsOfEntry(e, '0.1.0')).toEqual(s)
  })

  it('a continued clip names the clip it continues, so a rebuilt library keeps its sequences', () => {
    const s = sampleSettings({ continues: 'job-0000' })
    const e = entryFromSettings(s, facts)
    expect(e).toMatchObject({ continues: 'job-0000', lastFrame: null })
    expect(settingsOfEntry(e, '0.1.0')).toEqual(s)
  })

  it('keeps an image fetched from the web as the entry keeps it (no hash, its URL as the name)', () => {
    const s = sampleSettings({ image: null, imageUrl: 'https://example.com/a.jpg' })
    const e = entryFromSettings(s, facts)
    expect(e.image).toEqual({ sha256: '', name: 'https://example.com/a.jpg' })
    expect(settingsOfEntry(e, '0.1.0')).toMatchObject({ image: null, imageUrl: 'https://example.com/a.jpg' })
  })

  it('does not name a provider this version does not know, nor pass it off as the guide’s API', () => {
    const e = entryFromSettings(sampleSettings({ provider: 'kling', model: 'k2' }), facts)
    const parsed = parseEntry(e)
    expect(parsed.ok && parsed.entry).toMatchObject({ external: true, prompt: sampleSettings().prompt })
    expect(parsed.ok && parsed.entry.provider).toBeUndefined()
  })

  it('takes the file’s time when the settings’ date does not read', () => {
    expect(entryFromSettings(sampleSettings({ created: 'yesterday' }), facts).createdAt).toBe(5)
    expect(settingsOfEntry(entry({ createdAt: Date.UTC(2026, 0, 2) }), 'x').created).toBe('2026-01-02T00:00:00.000Z')
  })
})
