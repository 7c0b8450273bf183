import { fireEvent, render, screen, within } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import type { JobRecord } from '../../../../electron/shared/model'
import { QueueView } from '../../../../renderer/src/features/queue/QueueView'
import { useJobs } from '../../../../renderer/src/stores/jobs'
import { job } from '../../../fixtures/records'
import { installBridge } from '../../bridge-stub'

beforeEach(() => useJobs.getState().hydrate([]))

const now = Date.now()
const STATES: Array<[JobRecord['state'], string, Partial<JobRecord>]> = [
  ['pending', 'Waiting', { nextAt: now + 42_000, note: 'Waiting for the rate limit.' }],
  ['submitting', 'Submitting', {}],
  ['queued', 'Queued', {}],
  ['processing', 'Generating', {}],
  ['downloading', 'Downloading', {}],
  ['done', 'Done', { videoId: 'v1', completedAt: now - 1000 }],
  ['failed', 'Failed', { error: { code: 'DISK_FULL', message: 'The disk holding /videos is full (12 MB free).' } }],
  ['cancelled', 'Cancelled', {}],
  ['outcome-unknown', 'Checking', {}],
  ['download-retry', 'Download waiting', { nextAt: now + 42_000, note: 'The video is paid for; trying again.' }],
]

describe('QueueView', () => {
  it('shows an empty state that leads to the composer', () => {
    installBridge()
    render(<QueueView />)
    expect(screen.getByText('No videos in the queue')).toBeTruthy()
  })

  it.each(STATES)('renders a %s job as "%s" with the right actions', (state, label, extra) => {
    installBridge()
    useJobs.getState().hydrate([job({ state, ...extra })])
    render(<QueueView />)
    const row = screen.getByTestId('job')
    expect(within(row).getByText(label)).toBeTruthy()
    const buttons = within(row)
      .queryAllByRole('button')
      .map((b) => b.textContent)
    if (state === 'done') expect(buttons).toEqual(['Open', 'Remove'])
    else if (state === 'failed' || state === 'cancelled') expect(buttons).toEqual(['Retry', 'Remove'])
    // A paid video being saved: the button only stops the download (it can be downloaded again, unpaid).
    else if (state === 'download-retry') expect(buttons).toEqual(['Download now', 'Stop download'])
    else if (state === 'downloading') expect(buttons).toEqual(['Stop download'])
    else expect(buttons).toEqual(['Cancel'])
    if (state === 'processing' || state === 'queued') expect(within(row).getByRole('progressbar')).toBeTruthy()
    if (state === 'pending' || state === 'download-retry')
      expect(within(row).getByTestId('job-time').textContent).toMatch(/retry in 4\d s/)
    if (state === 'failed')
      expect(within(row).getByTestId('job-error').textContent).toContain(
        'The disk holding /videos is full (12 MB free).',
      )
  })

  it('removes finished jobs, one or all at once', () => {
    const bridge = installBridge()
    useJobs
      .getState()
      .hydrate([
        job({ id: 'a', state: 'done' }),
        job({ id: 'b', state: 'failed' }),
        job({ id: 'c', state: 'processing' }),
      ])
    render(<QueueView />)
    fireEvent.click(screen.getByRole('button', { name: 'Clear finished (2)' }))
    expect(bridge.calls.map((c) => c.payload)).toEqual([{ id: 'a' }, { id: 'b' }])
  })

  it('cancels and retries through the bridge', () => {
    const bridge = installBridge()
    useJobs
      .getState()
      .hydrate([
        job({ id: 'a', state: 'processing' }),
        job({ id: 'b', state: 'failed', error: { code: 'JOB_FAILED', message: 'failed' } }),
      ])
    render(<QueueView />)
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }))
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }))
    expect(bridge.calls.map((c) => [c.channel, c.payload])).toEqual([
      ['jobs:cancel', { id: 'a' }],
      ['jobs:retry', { id: 'b' }],
    ])
  })
})

describe('a paid video in the queue', () => {
  it('offers "Download again", not a paid Retry, once its download was stopped', () => {
    const bridge = installBridge()
    const output = { videoUrl: 'https://cdn.example/v.mp4', thumbnailUrl: null, file: 'v.mp4', width: 640, height: 360 }
    useJobs.getState().hydrate([job({ id: 'a', state: 'cancelled', remoteId: 'job_1', output })])
    render(<QueueView />)
    const row = screen.getByTestId('job')
    expect(within(row).queryByRole('button', { name: 'Retry' })).toBeNull()
    fireEvent.click(within(row).getByRole('button', { name: 'Download again' }))
    expect(bridge.calls.map((c) => [c.channel, c.payload])).toEqual([['jobs:retry', { id: 'a' }]])
  })

  it('shows the door and model each job goes through', () => {
    installBridge()
    useJobs.getState().hydrate([
      job({ id: 'a', createdAt: 2 }),
      job({
        id: 'b',
        createdAt: 1,
        request: { ...job().request, provider: 'fal', model: 'bytedance/seedance-2.0/fast' },
      }),
    ])
    render(<QueueView />)
    expect(screen.getAllByTestId('job-model').map((e) => e.textContent)).toEqual([
      'Seedance API · Seedance (standard tier)',
      'fal.ai · Seedance 2.0 Fast',
    ])
  })
})
