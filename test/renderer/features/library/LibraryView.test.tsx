import { act, fireEvent, render, screen } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { LibraryView } from '../../../../renderer/src/features/library/LibraryView'
import { useLibrary } from '../../../../renderer/src/stores/library'
import { useUi } from '../../../../renderer/src/stores/ui'
import { entry } from '../../../fixtures/records'
import { installBridge } from '../../bridge-stub'

beforeEach(() => {
  useUi.setState({ search: '', filters: { sort: 'newest' }, selected: [], detailId: null, playingId: null })
  useLibrary.getState().set([
    entry({ id: 'a', title: 'Ocean sunset', prompt: 'sunset over the ocean', createdAt: 3, favorite: true }),
    entry({
      id: 'b',
      title: 'Night city',
      prompt: 'neon city at night',
      createdAt: 2,
      resolution: '1080p',
      mode: 'image',
    }),
    entry({ id: 'c', title: 'Forest', prompt: 'misty forest', createdAt: 1, aspectRatio: '9:16' }),
  ])
})

const count = () => screen.getByTestId('result-count').textContent

describe('LibraryView', () => {
  it('filters as you type and by mode, resolution, shape and favourites', () => {
    installBridge()
    render(<LibraryView />)
    expect(count()).toBe('3 videos')
    fireEvent.change(screen.getByLabelText('Search the library'), { target: { value: 'oce' } })
    expect(count()).toBe('1 video')
    fireEvent.change(screen.getByLabelText('Search the library'), { target: { value: '' } })
    fireEvent.change(screen.getByLabelText('Mode'), { target: { value: 'image' } })
    expect(count()).toBe('1 video')
    fireEvent.change(screen.getByLabelText('Mode'), { target: { value: '' } })
    fireEvent.change(screen.getByLabelText('Aspect ratio'), { target: { value: '9:16' } })
    expect(count()).toBe('1 video')
    fireEvent.change(screen.getByLabelText('Aspect ratio'), { target: { value: '' } })
    fireEvent.click(screen.getByLabelText('Favourites'))
    expect(count()).toBe('1 video')
  })

  it('narrows while typing on, and widens again on backspace, a filter change or a new video', () => {
    installBridge()
    render(<LibraryView />)
    const search = screen.getByLabelText('Search the library')
    for (const [text, expected] of [
      ['n', '2 videos'],
      ['ni', '1 video'],
      ['nig', '1 video'],
      ['n', '2 videos'],
      ['t', '3 videos'],
      ['t f', '1 video'],
    ] as const) {
      fireEvent.change(search, { target: { value: text } })
      expect(count(), text).toBe(expected)
    }
    fireEvent.change(search, { target: { value: 'n' } })
    fireEvent.click(screen.getByLabelText('Favourites'))
    expect(count()).toBe('1 video')
    fireEvent.change(search, { target: { value: 'ni' } })
    expect(count()).toBe('0 videos')
    fireEvent.click(screen.getByLabelText('Favourites'))
    expect(count()).toBe('1 video')
    // A new video that matches shows up although the search only grew.
    fireEvent.change(search, { target: { value: 'nim' } })
    expect(count()).toBe('0 videos')
    useLibrary
      .getState()
      .set([...useLibrary.getState().entries, entry({ id: 'd', title: 'Nimbus clouds', prompt: 'x' })])
    fireEvent.change(search, { target: { value: 'nimb' } })
    expect(count()).toBe('1 video')
  })

  it('filters by date', () => {
    installBridge()
    useLibrary
      .getState()
      .set([
        entry({ id: 'new', createdAt: Date.now() - 3_600_000 }),
        entry({ id: 'old', createdAt: Date.now() - 20 * 86_400_000 }),
      ])
    render(<LibraryView />)
    expect(count()).toBe('2 videos')
    fireEvent.change(screen.getByLabelText('Date'), { target: { value: '7' } })
    expect(count()).toBe('1 video')
    fireEvent.change(screen.getByLabelText('Date'), { target: { value: '30' } })
    expect(count()).toBe('2 videos')
  })

  it('selects several videos with Ctrl-click and offers to delete them', () => {
    installBridge()
    render(<LibraryView />)
    const cards = screen.getAllByTestId('video-card')
    fireEvent.click(cards[0] as HTMLElement, { ctrlKey: true })
    fireEvent.click(cards[1] as HTMLElement, { ctrlKey: true })
    expect(useUi.getState().selected).toEqual(['a', 'b'])
    expect(screen.getByRole('button', { name: 'Delete 2' })).toBeTruthy()
  })

  it('opens the detail panel with the facts and actions', () => {
    installBridge()
    render(<LibraryView />)
    fireEvent.click(screen.getAllByTestId('video-card')[0] as HTMLElement)
    const detail = screen.getByTestId('detail')
    expect(detail.textContent).toContain('sunset over the ocean')
    expect(detail.textContent).toContain('1280×720')
    for (const name of ['Play', '★ Favourite', 'Reuse settings', 'Copy prompt', 'Rename', 'Delete'])
      expect(screen.getByRole('button', { name })).toBeTruthy()
  })

  it('offers "Download again" for a paid video not saved whose link may still be valid', async () => {
    const bridge = installBridge({
      'library:fetch': () => {
        throw Object.assign(new Error('The service says the link expired at 2026-01-01T00:00:00Z.'), {
          code: 'VIDEO_EXPIRED',
        })
      },
    })
    useLibrary
      .getState()
      .set([entry({ id: 'x', title: 'Not saved', expired: true, remoteId: 'job_9', createdAt: Date.now() - 3600_000 })])
    render(<LibraryView />)
    fireEvent.click(screen.getAllByTestId('video-card')[0] as HTMLElement)
    expect(screen.getByTestId('detail').textContent).toContain('the link may still be valid')
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Download again' }))
    })
    expect(bridge.calls.find((c) => c.channel === 'library:fetch')?.payload).toEqual({ id: 'x' })
    expect(screen.getByTestId('fetch-status').textContent).toContain('link expired at')
  })

  it('offers no "Download again" once a day has passed since the video was made', () => {
    installBridge()
    useLibrary
      .getState()
      .set([entry({ id: 'x', expired: true, remoteId: 'job_9', createdAt: Date.now() - 25 * 3600_000 })])
    render(<LibraryView />)
    fireEvent.click(screen.getAllByTestId('video-card')[0] as HTMLElement)
    expect(screen.queryByRole('button', { name: 'Download again' })).toBeNull()
    expect(screen.getByRole('button', { name: 'Play' })).toHaveProperty('disabled', true)
    expect(screen.getByTestId('detail').textContent).toContain('Not saved: the link expired')
  })

  it('has a helpful empty state', () => {
    installBridge()
    useLibrary.getState().set([])
    render(<LibraryView />)
    expect(screen.getByText('Your library is empty')).toBeTruthy()
  })

  it('shows the door and model of each video, and filters by them (an old entry counts as the guide’s API)', () => {
    installBridge()
    useLibrary.getState().set([
      entry({ id: 'old', title: 'Old one', createdAt: 4 }),
      entry({
        id: 'ark',
        title: 'Ark one',
        createdAt: 3,
        provider: 'ark',
        model: 'seedance-1-0-pro-250528',
        seed: 5,
      }),
      entry({ id: 'fal', title: 'Fal one', createdAt: 2, provider: 'fal', model: 'bytedance/seedance-2.0' }),
      entry({
        id: 'rep',
        title: 'Replicate one',
        createdAt: 1,
        provider: 'replicate',
        model: 'bytedance/seedance-2.0',
      }),
    ])
    render(<LibraryView />)
    expect(count()).toBe('4 videos')
    // Each card names the service that made it (the grid renders the cards in view: here the first two).
    expect(
      screen
        .getAllByTestId('video-card')
        .slice(0, 2)
        .map((c) => c.textContent?.split(' · ').at(-1)),
    ).toEqual(['Seedance API', 'BytePlus ModelArk'])
    const services = [...(screen.getByLabelText('Service') as HTMLSelectElement).options].map((o) => o.textContent)
    expect(services).toEqual(['Any service', 'Seedance API', 'BytePlus ModelArk', 'fal.ai', 'Replicate'])
    fireEvent.change(screen.getByLabelText('Service'), { target: { value: 'seedance' } })
    expect(count()).toBe('1 video')
    fireEvent.change(screen.getByLabelText('Service'), { target: { value: 'ark' } })
    expect(count()).toBe('1 video')
    fireEvent.click(screen.getAllByTestId('video-card')[0] as HTMLElement)
    expect(screen.getByTestId('detail-model').textContent).toBe('BytePlus ModelArk · Seedance 1.0 Pro')
    expect(screen.getByTestId('detail').textContent).toContain('seed 5')
    // The same model id at two doors is two choices.
    fireEvent.change(screen.getByLabelText('Service'), { target: { value: '' } })
    const models = [...(screen.getByLabelText('Model') as HTMLSelectElement).options].map((o) => o.textContent)
    expect(models).toEqual([
      'Any model',
      'Seedance (standard tier) (Seedance API)',
      'Seedance 1.0 Pro (BytePlus ModelArk)',
      'Seedance 2.0 (fal.ai)',
      'Seedance 2.0 (Replicate)',
    ])
    fireEvent.change(screen.getByLabelText('Model'), { target: { value: 'replicate bytedance/seedance-2.0' } })
    expect(count()).toBe('1 video')
    expect((screen.getByLabelText('Service') as HTMLSelectElement).value).toBe('replicate')
  })
})
