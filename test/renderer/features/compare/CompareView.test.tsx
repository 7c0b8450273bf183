// The compare view's wiring in the renderer: "Compare N" from the library's selection, labels from openCompare,
// and keep one (favourite first, then the others to the trash; a failure says why and trashes nothing).
import { act, fireEvent, render, screen } from '@testing-library/react'
import { beforeEach, describe, expect, it } from 'vitest'
import { CompareView } from '../../../../renderer/src/features/compare/CompareView'
import { closeCompare, openCompare, useCompare } from '../../../../renderer/src/features/compare/store'
import { LibraryView } from '../../../../renderer/src/features/library/LibraryView'
import { useLibrary } from '../../../../renderer/src/stores/library'
import { useUi } from '../../../../renderer/src/stores/ui'
import { entry } from '../../../fixtures/records'
import { installBridge } from '../../bridge-stub'

const ids = ['a', 'b', 'c', 'd', 'e']

beforeEach(() => {
  closeCompare()
  useUi.setState({ search: '', filters: { sort: 'newest' }, selected: [], detailId: null, playingId: null })
  useLibrary
    .getState()
    .set(ids.map((id, i) => entry({ id, file: `${id}.mp4`, title: `Take ${id}`, createdAt: 10 - i })))
})

describe('Compare', () => {
  it('the library offers "Compare N" for two to four selected videos and opens them in that order', () => {
    installBridge()
    render(
      <>
        <LibraryView />
        <CompareView />
      </>,
    )
    expect(screen.queryByRole('button', { name: /^Compare/ })).toBeNull()
    act(() => useUi.getState().select(['c', 'a']))
    fireEvent.click(screen.getByRole('button', { name: 'Compare 2' }))
    expect(screen.getByRole('dialog', { name: 'Compare 2 takes' })).toBeTruthy()
    expect(screen.getAllByTestId('compare-tile').map((t) => t.textContent)).toEqual(['ATake cKeep', 'BTake aKeep'])
    fireEvent.click(screen.getByRole('button', { name: 'Close' }))
    expect(screen.queryByTestId('compare')).toBeNull()
    act(() => useUi.getState().select(ids))
    const five = screen.getByRole('button', { name: 'Compare 5' }) as HTMLButtonElement
    expect(five.disabled).toBe(true)
  })

  it('shows the labels given to openCompare (what varied in a sweep)', () => {
    installBridge()
    render(<CompareView />)
    act(() => openCompare(['a', 'b', 'c'], { a: 'seed 1', b: 'seed 2', c: 'seed 3' }))
    expect(screen.getAllByTestId('compare-tile').map((t) => t.textContent)).toEqual([
      'Aseed 1Keep',
      'Bseed 2Keep',
      'Cseed 3Keep',
    ])
  })

  it('keep one: favourites the kept take, then trashes the others, and closes', async () => {
    const bridge = installBridge({ 'library:favorite': () => entry({ id: 'b', favorite: true }) })
    render(<CompareView />)
    act(() => openCompare(['a', 'b', 'c']))
    fireEvent.click(screen.getByRole('button', { name: 'Keep B' }))
    expect(screen.getByRole('alertdialog').textContent).toContain('Keep B, trash the other 2?')
    expect(bridge.calls).toEqual([])
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Keep it, move 2 to trash' }))
    })
    expect(bridge.calls).toEqual([
      { channel: 'library:favorite', payload: { id: 'b', value: true } },
      { channel: 'library:delete', payload: { ids: ['a', 'c'] } },
    ])
    expect(useCompare.getState().ids).toEqual([])
  })

  it('keep one: when the favourite fails, nothing is trashed and the reason is shown', async () => {
    const bridge = installBridge({
      'library:favorite': () => {
        throw Object.assign(new Error('The library folder is not available.'), { code: 'LIBRARY_UNAVAILABLE' })
      },
    })
    render(<CompareView />)
    act(() => openCompare(['a', 'b']))
    fireEvent.click(screen.getByRole('button', { name: 'Keep A' }))
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Keep it, move 1 to trash' }))
    })
    expect(bridge.calls.map((c) => c.channel)).toEqual(['library:favorite'])
    expect(screen.getByRole('alert').textContent).toContain(
      'The library folder is not available. (LIBRARY_UNAVAILABLE)',
    )
    expect(useCompare.getState().ids).toEqual(['a', 'b'])
  })
})
