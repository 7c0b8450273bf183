import { describe, expect, it, vi } from 'vitest'
import { applyTheme, createBadgeUpdater, createJobNotifier, type NotificationLike } from '../../electron/main/native'
import type { JobRecord } from '../../electron/shared/model'

const job = (id: string, state: JobRecord['state'], extra: Partial<JobRecord> = {}) =>
  ({ id, state, request: { prompt: 'sunset over the ocean' }, error: null, videoId: null, ...extra }) as JobRecord

function notifier(enabled = true) {
  const shown: Array<{ title: string; body: string; click(): void }> = []
  class FakeNotification implements NotificationLike {
    private clickListener: () => void = () => {}
    constructor(private readonly options: { title: string; body: string }) {}
    on(_event: 'click', listener: () => void) {
      this.clickListener = listener
      return this
    }
    show() {
      shown.push({ ...this.options, click: () => this.clickListener() })
    }
  }
  const open = vi.fn()
  const notify = createJobNotifier({
    Notification: FakeNotification,
    supported: () => true,
    enabled: () => enabled,
    open,
  })
  return { notify, shown, open }
}

describe('createJobNotifier', () => {
  it('notifies once when a job it saw running is done, and a click opens it', () => {
    const { notify, shown, open } = notifier()
    notify(job('a', 'pending'))
    notify(job('a', 'processing'))
    notify(job('a', 'downloading'))
    notify(job('a', 'done', { videoId: 'v1' }))
    notify(job('a', 'done', { videoId: 'v1' }))
    expect(shown.map((n) => [n.title, n.body])).toEqual([['Video ready', 'sunset over the ocean']])
    shown[0]?.click()
    expect(open).toHaveBeenCalledWith(expect.objectContaining({ id: 'a', videoId: 'v1' }))
  })

  it('says why a job failed', () => {
    const { notify, shown } = notifier()
    notify(job('b', 'queued'))
    notify(job('b', 'failed', { error: { code: 'DISK_FULL', message: 'The disk holding /videos is full.' } }))
    expect(shown[0]).toMatchObject({
      title: 'Video failed',
      body: 'sunset over the ocean\nThe disk holding /videos is full.',
    })
  })

  it('stays quiet for old jobs seen at start-up, and when notifications are off', () => {
    const quiet = notifier(false)
    quiet.notify(job('c', 'processing'))
    quiet.notify(job('c', 'done'))
    expect(quiet.shown).toEqual([])
    const fresh = notifier()
    fresh.notify(job('d', 'done'))
    expect(fresh.shown).toEqual([])
  })
})

describe('createBadgeUpdater', () => {
  it('shows the number of active jobs, updating only when it changes', () => {
    const set = vi.fn()
    const update = createBadgeUpdater(set)
    update([job('a', 'queued'), job('b', 'processing'), job('c', 'done')])
    update([job('a', 'queued'), job('b', 'processing'), job('c', 'failed')])
    update([job('a', 'done'), job('b', 'processing')])
    update([])
    expect(set.mock.calls).toEqual([[2], [1], [0]])
  })
})

describe('applyTheme', () => {
  it('drives the OS theme source from Settings', () => {
    const nativeTheme = { themeSource: 'system' as 'system' | 'light' | 'dark' }
    applyTheme(nativeTheme, 'dark')
    expect(nativeTheme.themeSource).toBe('dark')
  })
})
