import { act, fireEvent, render, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { StudioView } from '../../../../renderer/src/features/studio/StudioView'
import { useStudio } from '../../../../renderer/src/features/studio/session'
import { COMPOSER_DEFAULTS, useComposer } from '../../../../renderer/src/stores/composer'
import { useEngine } from '../../../../renderer/src/stores/engine'
import { useJobs } from '../../../../renderer/src/stores/jobs'
import { useLibrary } from '../../../../renderer/src/stores/library'
import { useUi } from '../../../../renderer/src/stores/ui'
import { entry, job } from '../../../fixtures/records'
import { installBridge } from '../../bridge-stub'

const START = Date.UTC(2026, 11, 2, 1, 0, 0)
const clock = () => START + 60_000

const request = (prompt: string, seed: number | null = null) => ({ ...job().request, prompt, seed })

beforeEach(() => {
  useComposer.setState(COMPOSER_DEFAULTS)
  useUi.setState({ view: 'create', detailId: null })
  useEngine.setState({ status: null })
  useStudio.setState({ since: START, picked: [] })
  useJobs.getState().hydrate([
    job({ id: 'before', createdAt: START - 1000, request: request('made last week'), state: 'done' }),
    job({
      id: 'a',
      createdAt: START + 1000,
      state: 'done',
      videoId: 'va',
      request: request('a fox in the snow', 11),
    }),
    job({
      id: 'b',
      createdAt: START + 2000,
      state: 'done',
      videoId: 'vb',
      request: request('a fox in the snow, at night', 12),
    }),
    job({
      id: 'c',
      createdAt: START + 3000,
      state: 'processing',
      submittedAt: START + 30_000,
      estimatedCompletion: START + 90_000,
      request: request('a fox asleep'),
    }),
  ])
  useLibrary
    .getState()
    .set([
      entry({ id: 'va', file: 'a.mp4', prompt: 'a fox in the snow', seed: 11, duration: 2, jobId: 'a' }),
      entry({ id: 'vb', file: 'b.mp4', prompt: 'a fox in the snow, at night', seed: 12, jobId: 'b' }),
    ])
})

afterEach(() => {
  vi.useRealTimers()
})

const take = (n: number) => screen.getByRole('listitem', { name: `Take ${n}` })

describe('StudioView', () => {
  it('shows the session’s takes, newest first: progress while made, then the video', () => {
    installBridge()
    render(<StudioView clock={clock} />)
    expect(screen.getAllByTestId('take').map((t) => t.getAttribute('aria-label'))).toEqual([
      'Take 3',
      'Take 2',
      'Take 1',
    ])
    expect(screen.queryByText(/made last week/)).toBeNull()
    const running = take(3)
    expect(within(running).getByRole('progressbar').getAttribute('aria-valuenow')).toBe('50')
    expect(within(running).getByTestId('take-progress-text').textContent).toBe('~30 s left')
    expect(within(running).queryByTestId('take-video')).toBeNull()
    const video = within(take(1)).getByTestId('take-video')
    expect(video.getAttribute('src')).toBe('media://library/a.mp4')
    expect(within(take(1)).getByTestId('take-cost').textContent).toBe('3 credits')
  })

  it('reuses a take’s settings into the composer, and keeps one as a favourite', () => {
    const bridge = installBridge()
    render(<StudioView clock={clock} />)
    fireEvent.click(within(take(1)).getByRole('button', { name: 'Reuse' }))
    expect(useComposer.getState()).toMatchObject({ prompt: 'a fox in the snow', duration: 2 })
    expect(useUi.getState().view).toBe('create')
    fireEvent.click(within(take(2)).getByRole('button', { name: '☆ Keep' }))
    expect(bridge.calls).toContainEqual({ channel: 'library:favorite', payload: { id: 'vb', value: true } })
    // A take still being made has nothing to reuse or keep yet.
    expect(within(take(3)).getByRole('button', { name: 'Reuse' })).toHaveProperty('disabled', true)
  })

  it('opens a take in the library', () => {
    installBridge()
    render(<StudioView clock={clock} />)
    fireEvent.click(within(take(2)).getByRole('button', { name: 'Open in library' }))
    expect(useUi.getState()).toMatchObject({ view: 'library', detailId: 'vb' })
  })

  it('offers Continue and Compare only where the app wires them, and passes the saved videos', () => {
    installBridge()
    const { unmount } = render(<StudioView clock={clock} />)
    expect(screen.queryByRole('button', { name: 'Continue' })).toBeNull()
    expect(screen.queryByRole('button', { name: 'Compare' })).toBeNull()
    unmount()
    const onContinue = vi.fn()
    const onCompare = vi.fn()
    render(<StudioView clock={clock} onContinue={onContinue} onCompare={onCompare} />)
    fireEvent.click(within(take(2)).getByRole('button', { name: 'Continue' }))
    expect(onContinue).toHaveBeenCalledWith('vb')
    fireEvent.click(within(take(2)).getByRole('button', { name: 'Compare' }))
    expect(screen.getByRole('button', { name: 'Compare 1' })).toHaveProperty('disabled', true)
    fireEvent.click(within(take(1)).getByRole('button', { name: 'Compare' }))
    fireEvent.click(screen.getByRole('button', { name: 'Compare 2' }))
    expect(onCompare).toHaveBeenCalledWith(['vb', 'va'], { vb: 'Take 2 · seed 12', va: 'Take 1 · seed 11' })
  })

  it('counts down a rate-limit wait on the take, live', () => {
    vi.useFakeTimers()
    let now = START + 60_000
    useJobs.getState().upsert(
      job({
        id: 'd',
        createdAt: START + 4000,
        state: 'pending',
        remoteId: null,
        nextAt: now + 8000,
        waitFor: 'rate-limit',
        request: request('a fox running'),
      }),
    )
    installBridge()
    render(<StudioView clock={() => now} />)
    const line = within(take(4)).getByTestId('take-progress-text')
    expect(line.textContent).toBe("Waiting for the service's rate limit, ~8 s")
    act(() => {
      now += 5000
      vi.advanceTimersByTime(1000)
    })
    expect(line.textContent).toBe("Waiting for the service's rate limit, ~3 s")
  })

  it('clears the session by hiding its takes, deleting nothing', () => {
    const bridge = installBridge()
    render(<StudioView clock={clock} />)
    fireEvent.click(screen.getByRole('button', { name: 'Clear' }))
    expect(screen.queryAllByTestId('take')).toHaveLength(0)
    expect(screen.getByText(/Each video you generate appears here as a take/)).toBeTruthy()
    expect(bridge.calls).toEqual([])
    expect(useJobs.getState().ids).toHaveLength(4)
  })
})
