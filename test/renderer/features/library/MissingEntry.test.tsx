// Issue 9, point 3: a video whose file is missing shows greyed in the grid, and its detail panel offers Locate…
// (main shows the OS file dialog: the renderer sends only the id) and Remove.
import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { LibraryView } from '../../../../renderer/src/features/library/LibraryView'
import { useLibrary } from '../../../../renderer/src/stores/library'
import { useUi } from '../../../../renderer/src/stores/ui'
import { entry } from '../../../fixtures/records'
import { installBridge } from '../../bridge-stub'

beforeEach(() => {
  useUi.setState({ search: '', filters: { sort: 'newest' }, selected: [], detailId: null, playingId: null })
  useLibrary
    .getState()
    .set([
      entry({ id: 'here', title: 'Ocean sunset', createdAt: 2, missing: false }),
      entry({ id: 'gone', title: 'Night city', file: 'night city.mp4', createdAt: 1, missing: true, favorite: true }),
    ])
})

const card = (title: string) =>
  screen.getAllByTestId('video-card').find((c) => c.textContent?.includes(title)) as HTMLElement

describe('a missing video', () => {
  it('is greyed in the grid, marked "File missing", and cannot be dragged out', () => {
    installBridge()
    render(<LibraryView />)
    expect(card('Night city').className).toContain('missing')
    expect(card('Night city').textContent).toContain('File missing')
    expect(card('Night city').getAttribute('draggable')).toBe('false')
    expect(card('Ocean sunset').className).not.toContain('missing')
    expect(card('Ocean sunset').textContent).not.toContain('File missing')
  })

  it('offers Locate… and Remove in the detail panel; Play and Show in folder wait for the file', () => {
    installBridge()
    render(<LibraryView />)
    fireEvent.click(card('Night city'))
    expect(screen.getByTestId('missing-notice').textContent).toMatch(/night city\.mp4 is not in the library folder/)
    expect((screen.getByRole('button', { name: 'Play' }) as HTMLButtonElement).disabled).toBe(true)
    expect((screen.getByRole('button', { name: 'Show in folder' }) as HTMLButtonElement).disabled).toBe(true)
    expect(screen.getByRole('button', { name: 'Locate…' })).toBeTruthy()
    // The favourite and the details stay usable.
    expect(screen.getByRole('button', { name: '★ Favourite' })).toBeTruthy()
    expect(screen.queryByRole('button', { name: 'Delete' })).toBeNull()
  })

  it('Locate… sends only the id (main picks the file) and shows what went wrong in words', async () => {
    const bridge = installBridge({
      'library:locate': () => {
        throw Object.assign(new Error('notes.mp4 is not a playable MP4 video (no video track).'), {
          code: 'INVALID_VIDEO',
        })
      },
    })
    render(<LibraryView />)
    fireEvent.click(card('Night city'))
    fireEvent.click(screen.getByRole('button', { name: 'Locate…' }))
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/notes\.mp4 is not a playable MP4/))
    expect(bridge.calls.filter((c) => c.channel === 'library:locate')).toEqual([
      { channel: 'library:locate', payload: { id: 'gone' } },
    ])
  })

  it('says so when the located file was copied from another disk', async () => {
    installBridge({ 'library:locate': () => ({ entry: entry({ id: 'gone' }), how: 'copied' }) })
    render(<LibraryView />)
    fireEvent.click(card('Night city'))
    fireEvent.click(screen.getByRole('button', { name: 'Locate…' }))
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/the original stays where it was/))
  })

  it('Remove asks first, then removes its details', async () => {
    const bridge = installBridge({ 'library:delete': () => ({ removed: 1 }) })
    render(<LibraryView />)
    fireEvent.click(card('Night city'))
    fireEvent.click(screen.getByRole('button', { name: 'Remove' }))
    expect(screen.getByRole('alert').textContent).toMatch(/Remove its details from the library\?/)
    expect(bridge.calls.some((c) => c.channel === 'library:delete')).toBe(false)
    fireEvent.click(screen.getByRole('button', { name: 'Remove' }))
    await waitFor(() => expect(useUi.getState().detailId).toBeNull())
    expect(bridge.calls.find((c) => c.channel === 'library:delete')?.payload).toEqual({ ids: ['gone'] })
  })
})
