// Cards a search brings in load their picture once they have stayed 100 ms (issue 11: typing must not pay for
// twenty pictures per key that the next key throws away); the first view shows pictures at once, and so does a
// card whose picture was already shown.
import { act, fireEvent, render } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { VideoGrid } from '../../../../renderer/src/features/library/VideoGrid'
import { entry } from '../../../fixtures/records'

const video = (id: string) => entry({ id, title: id, thumbnail: `${id}.jpg`, file: `${id}.mp4` })
const noop = () => {}
const grid = (items: ReturnType<typeof video>[]) => (
  <VideoGrid items={items} selected={new Set()} onOpen={noop} onToggle={noop} />
)
const pictures = (root: HTMLElement) => [...root.querySelectorAll('img')].map((img) => img.getAttribute('src'))

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('VideoGrid pictures', () => {
  it('shows the first view’s pictures at once, and a search’s new cards’ pictures after 100 ms', () => {
    const { container, rerender } = render(grid([video('a'), video('b')]))
    expect(pictures(container)).toEqual([expect.stringContaining('a.jpg'), expect.stringContaining('b.jpg')])
    rerender(grid([video('b'), video('c')]))
    // b was on screen already and keeps its picture; c waits…
    expect(pictures(container)).toEqual([expect.stringContaining('b.jpg')])
    act(() => vi.advanceTimersByTime(99))
    expect(pictures(container)).toHaveLength(1)
    // …and shows its own once it has stayed.
    act(() => vi.advanceTimersByTime(1))
    expect(pictures(container)).toEqual([expect.stringContaining('b.jpg'), expect.stringContaining('c.jpg')])
  })

  it('a card replaced before it settles never loads its picture', () => {
    const { container, rerender } = render(grid([video('a')]))
    rerender(grid([video('d')]))
    act(() => vi.advanceTimersByTime(50))
    rerender(grid([video('e')]))
    act(() => vi.advanceTimersByTime(100))
    expect(pictures(container)).toEqual([expect.stringContaining('e.jpg')])
  })

  it('a picture already shown once comes back at once', () => {
    const { container, rerender } = render(grid([video('f')]))
    fireEvent.load(container.querySelector('img') as HTMLImageElement)
    rerender(grid([video('g')]))
    rerender(grid([video('f')]))
    expect(pictures(container)).toEqual([expect.stringContaining('f.jpg')])
  })
})
