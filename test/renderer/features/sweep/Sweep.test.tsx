// The Sweep panel (issue 11, point 4): the grid's size and cost shown live as the axes are typed, mistakes said
// under their field, "Queue sweep" sends the axes in one call, and once videos arrive "Open in compare" hands their
// ids and labels (what varied) to the compare view.
import { act, fireEvent, render, screen } from '@testing-library/react'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { SweepSubmitted } from '../../../../electron/shared/sweep'
import { Sweep } from '../../../../renderer/src/features/sweep/Sweep'
import { SWEEP_DEFAULTS, useSweep } from '../../../../renderer/src/features/sweep/store'
import { parseDurations, parseSeeds } from '../../../../renderer/src/features/sweep/sweep-form'
import { COMPOSER_DEFAULTS, useComposer } from '../../../../renderer/src/stores/composer'
import { useJobs } from '../../../../renderer/src/stores/jobs'
import { job } from '../../../fixtures/records'
import { installBridge } from '../../bridge-stub'

beforeEach(() => {
  useSweep.setState({ ...SWEEP_DEFAULTS, open: true })
  useComposer.setState({ ...COMPOSER_DEFAULTS, provider: 'ark', model: 'seedance-1-0-pro-250528' })
  useJobs.getState().hydrate([])
})

describe('sweep fields', () => {
  it('reads seeds and durations as lists, and names the first value that is not one', () => {
    expect(parseSeeds('1, 2 3;4')).toEqual({ values: [1, 2, 3, 4], problem: null })
    expect(parseSeeds('')).toEqual({ values: [], problem: null })
    expect(parseSeeds('1, x').problem).toBe('“x” is not a seed: seeds are whole numbers from 0 to 4,294,967,295.')
    expect(parseSeeds('4294967296').problem).not.toBeNull()
    expect(parseDurations('4, auto')).toEqual({ values: [4, 0], problem: null })
    expect(parseDurations('4.5').problem).toBe('“4.5” is not a duration: whole seconds (as 5), or auto.')
  })
})

describe('Sweep', () => {
  it('shows the grid size and its cost per provider and in USD as the axes change, before anything is queued', () => {
    const bridge = installBridge()
    render(<Sweep />)
    fireEvent.change(screen.getByLabelText('Prompts (one per line)'), { target: { value: 'a fox\na whale' } })
    fireEvent.change(screen.getByLabelText('Seeds'), { target: { value: '1, 2' } })
    fireEvent.click(screen.getByRole('button', { name: '480p' }))
    expect(screen.getByTestId('sweep-size').textContent).toContain('= 4 jobs')
    // 4 × 48,600 tokens at $2.5 per million.
    expect(screen.getByTestId('sweep-total-ark').textContent).toBe(
      'BytePlus ModelArk: 4 jobs · ≈ 194,400 tokens · ≈ $0.49',
    )
    fireEvent.change(screen.getByLabelText('Service to add'), { target: { value: 'fal' } })
    fireEvent.change(screen.getByLabelText('Model to add'), { target: { value: 'bytedance/seedance-2.0' } })
    fireEvent.click(screen.getByRole('button', { name: 'Add model' }))
    expect(screen.getByTestId('sweep-size').textContent).toContain('= 8 jobs')
    expect(screen.getByTestId('sweep-total-fal').textContent).toBe('fal.ai: 4 jobs · ≈ 194,400 tokens · ≈ $2.72')
    expect(screen.getByTestId('sweep-usd').textContent).toBe('≈ $3.21')
    expect(screen.getByRole('button', { name: 'Queue sweep (8 jobs)' })).toHaveProperty('disabled', false)
    fireEvent.change(screen.getByLabelText('Seeds'), { target: { value: '1, two' } })
    expect(screen.getByText('“two” is not a seed: seeds are whole numbers from 0 to 4,294,967,295.')).toBeTruthy()
    expect(screen.getByRole('button', { name: /Queue sweep/ })).toHaveProperty('disabled', true)
    expect(bridge.calls).toEqual([])
  })

  it('refuses a grid past 100 jobs with its size, and shows the cells a model refuses', () => {
    installBridge()
    render(<Sweep />)
    fireEvent.change(screen.getByLabelText('Prompts (one per line)'), { target: { value: 'a\nb\nc' } })
    fireEvent.change(screen.getByLabelText('Seeds'), {
      target: { value: Array.from({ length: 34 }, (_, i) => i).join(',') },
    })
    expect(screen.getByTestId('sweep-error').textContent).toContain('This sweep makes 102 jobs')
    fireEvent.change(screen.getByLabelText('Seeds'), { target: { value: '' } })
    fireEvent.change(screen.getByLabelText('Durations'), { target: { value: '5, 20' } })
    expect(screen.getByTestId('sweep-size').textContent).toContain('= 6 jobs (3 refused by their model)')
    expect(screen.getAllByText(/Refused: Seedance 1.0 Pro on BytePlus ModelArk makes videos of 2–12 s/)).toHaveLength(3)
    expect(screen.getByRole('button', { name: 'Queue sweep (3 jobs)' })).toBeTruthy()
  })

  it('queues the sweep in one call, follows its jobs, and opens its videos in compare labelled by what varied', async () => {
    const submitted: SweepSubmitted = {
      id: 's1',
      plan: { cells: [], ready: 2, refused: 0, totals: [], usd: 0, unpriced: 0 },
      cells: [
        {
          index: 0,
          label: 'seed 1',
          vary: { seed: 'seed 1' },
          status: 'queued',
          jobId: 'j1',
          videoId: null,
          message: null,
        },
        {
          index: 1,
          label: 'seed 2',
          vary: { seed: 'seed 2' },
          status: 'queued',
          jobId: 'j2',
          videoId: null,
          message: null,
        },
      ],
    }
    const bridge = installBridge({ 'sweep:submit': () => submitted })
    const onCompare = vi.fn()
    render(<Sweep onCompare={onCompare} />)
    fireEvent.change(screen.getByLabelText('Prompts (one per line)'), { target: { value: 'a fox' } })
    fireEvent.change(screen.getByLabelText('Seeds'), { target: { value: '1 2' } })
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Queue sweep (2 jobs)' }))
    })
    expect(bridge.calls).toEqual([
      {
        channel: 'sweep:submit',
        payload: {
          prompts: ['a fox'],
          seeds: [1, 2],
          models: [{ provider: 'ark', model: 'seedance-1-0-pro-250528' }],
          durations: [],
          resolutions: [],
          aspectRatio: null,
          audio: false,
          cameraFixed: null,
        },
      },
    ])
    const compare = screen.getByRole('button', { name: 'Open in compare' })
    expect(screen.getByTestId('sweep-results').textContent).toContain('0 of 2 videos ready')
    expect(compare).toHaveProperty('disabled', true)
    act(() => {
      useJobs.getState().upsert(job({ id: 'j1', state: 'done', videoId: 'v1' }))
      useJobs.getState().upsert(job({ id: 'j2', state: 'done', videoId: 'v2' }))
    })
    expect(screen.getByTestId('sweep-results').textContent).toContain('2 of 2 videos ready')
    fireEvent.click(compare)
    expect(onCompare).toHaveBeenCalledWith(['v1', 'v2'], { v1: 'seed 1', v2: 'seed 2' })
  })
  it('a sweep of more than four: tick two to four of its videos, then compare those', async () => {
    const cells = Array.from({ length: 6 }, (_, i) => ({
      index: i,
      label: `seed ${i + 1}`,
      vary: { seed: `seed ${i + 1}` },
      status: 'exists' as const,
      jobId: null,
      videoId: `v${i + 1}`,
      message: null,
    }))
    const submitted: SweepSubmitted = {
      id: 's2',
      plan: { cells: [], ready: 6, refused: 0, totals: [], usd: 0, unpriced: 0 },
      cells,
    }
    installBridge({ 'sweep:submit': () => submitted })
    const onCompare = vi.fn()
    render(<Sweep onCompare={onCompare} />)
    fireEvent.change(screen.getByLabelText('Prompts (one per line)'), { target: { value: 'a fox' } })
    fireEvent.change(screen.getByLabelText('Seeds'), { target: { value: '1 2 3 4 5 6' } })
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Queue sweep (6 jobs)' }))
    })
    const compare = screen.getByRole('button', { name: /Open in compare/ })
    // Six are more than the compare view shows: nothing is opened until two to four are ticked.
    expect(compare).toHaveProperty('disabled', true)
    fireEvent.click(screen.getByLabelText('Compare seed 2'))
    expect(compare).toHaveProperty('disabled', true)
    fireEvent.click(screen.getByLabelText('Compare seed 5'))
    expect(compare).toHaveProperty('disabled', false)
    fireEvent.click(compare)
    expect(onCompare).toHaveBeenCalledWith(['v2', 'v5'], { v2: 'seed 2', v5: 'seed 5' })
  })
})
