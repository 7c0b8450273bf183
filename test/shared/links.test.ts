// One rule for "may this paid video's link still be fetched" (round-2 review, defect 5): the job and its
// library entry answer alike, from the service's expires_at and its word that the video is gone.
import { describe, expect, it } from 'vitest'
import { LINK_TTL_MS, mayDownloadAgain } from '../../electron/shared/links'
import { entry } from '../fixtures/records'

const now = Date.UTC(2026, 11, 1, 12)

describe('mayDownloadAgain', () => {
  it('offers a video whose link the service said lasts beyond 24 h', () => {
    const e = entry({
      expired: true,
      remoteId: 'job_1',
      createdAt: now - LINK_TTL_MS - 3600_000,
      linkUntil: now + 3600_000,
    })
    expect(mayDownloadAgain(e, now)).toBe(true)
  })

  it('does not offer a video the service said is gone, even within 24 h', () => {
    const e = entry({ expired: true, remoteId: 'job_1', createdAt: now - 3600_000, linkUntil: 0 })
    expect(mayDownloadAgain(e, now)).toBe(false)
  })

  it('falls back to 24 h after completion for entries written before the link was recorded', () => {
    expect(mayDownloadAgain(entry({ expired: true, remoteId: 'job_1', createdAt: now - 3600_000 }), now)).toBe(true)
    expect(mayDownloadAgain(entry({ expired: true, remoteId: 'job_1', createdAt: now - LINK_TTL_MS }), now)).toBe(false)
    expect(mayDownloadAgain(entry({ expired: true, remoteId: null, createdAt: now }), now)).toBe(false)
    expect(mayDownloadAgain(entry({ expired: false, remoteId: 'job_1', createdAt: now }), now)).toBe(false)
  })
})
