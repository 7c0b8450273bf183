// The grid keeps its cards by place (issue 11: a search update repaints cards instead of rebuilding them), so a card
// that takes another video must show that video: its title, its own picture, and never the other one's preview.
import { act, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { VideoGrid } from '../../../../renderer/src/features/library/VideoGrid'
import { entry } from '../../../fixtures/records'

const a = entry({ id: 'a', title: 'Ocean sunset', thumbnail: 'a.jpg', file: 'a.mp4' })
const b = entry({ id: 'b', title: 'Night city', thumbnail: 'b.jpg', file: 'b.mp4' })
const noop = () => {}

afterEach(() => vi.useRealTimers())

describe('VideoGrid', () => {
  it('a card that takes another video shows its title and a picture element of its own', () => {
    const { rerender, container } = render(<VideoGrid items={[a]} selected={new Set()} onOpen={noop} onToggle={noop} />)
    const card = screen.getByTestId('video-card')
    const before = container.querySelector('img')
    expect(before?.getAttribute('src')).toContain('a.jpg')
    rerender(<VideoGrid items={[b]} selected={new Set()} onOpen={noop} onToggle={noop} />)
    // The same card element, now showing b…
    expect(screen.getByTestId('video-card')).toBe(card)
    expect(card.textContent).toContain('Night city')
    // …with a new picture element, so a's picture never stands in while b's loads.
    const after = container.querySelector('img')
    expect(after?.getAttribute('src')).toContain('b.jpg')
    expect(after).not.toBe(before)
  })

  it("a preview pending for the previous video does not play on the card's new one", () => {
    vi.useFakeTimers()
    const { rerender, container } = render(<VideoGrid items={[a]} selected={new Set()} onOpen={noop} onToggle={noop} />)
    fireEvent.mouseEnter(screen.getByTestId('video-card'))
    rerender(<VideoGrid items={[b]} selected={new Set()} onOpen={noop} onToggle={noop} />)
    act(() => vi.advanceTimersByTime(1000))
    expect(container.querySelector('video')).toBeNull()
    // Resting on the card now previews the video it shows.
    fireEvent.mouseEnter(screen.getByTestId('video-card'))
    act(() => vi.advanceTimersByTime(1000))
    expect(container.querySelector('video')?.getAttribute('src')).toContain('b.mp4')
  })
})
