// The compare view's frame gate: every take drawn at the newest frame all have presented, a dropped frame shown as
// the one before, a seek back clearing what was ahead, and every held frame released exactly once.
import { describe, expect, it } from 'vitest'
import { FrameGate } from '../../../../renderer/src/features/compare/frame-gate'

function gate(count: number, capacity?: number) {
  const released: string[] = []
  const g = new FrameGate<string>(count, (f) => released.push(f), capacity)
  const frames = () => g.draw()?.map((h) => (h ? h.frame : null)) ?? null
  return { g, released, frames }
}

describe('FrameGate', () => {
  it('shows nothing until every take has a frame, then the newest frame all have', () => {
    const { g, frames } = gate(3)
    g.offer(0, 0, 'a0')
    g.offer(1, 0, 'b0')
    expect(frames()).toBeNull()
    g.offer(2, 0, 'c0')
    expect(frames()).toEqual([0, 0, 0])
    // A and B run ahead; C is late: all wait on frame 1 until C has it.
    for (const f of [1, 2, 3]) {
      g.offer(0, f, `a${f}`)
      g.offer(1, f, `b${f}`)
    }
    expect(frames()).toEqual([null, null, null]) // still frame 0 on all: nothing to draw again
    g.offer(2, 1, 'c1')
    expect(frames()).toEqual([1, 1, 1])
    expect(g.showing()).toEqual([1, 1, 1])
  })

  it('a take whose decoder dropped the target frame shows the one before: one frame apart, never more', () => {
    const { g, frames } = gate(2)
    g.offer(0, 10, 'a10')
    g.offer(1, 9, 'b9')
    g.offer(1, 11, 'b11') // B dropped 10
    expect(g.target()).toBe(10)
    expect(frames()).toEqual([10, 9])
  })

  it('never shows takes two frames apart: a take that dropped a run holds every picture until it catches up', () => {
    const { g, frames } = gate(2)
    g.offer(0, 5, 'a5')
    g.offer(1, 5, 'b5')
    expect(frames()).toEqual([5, 5])
    g.offer(0, 6, 'a6')
    g.offer(0, 7, 'a7')
    g.offer(1, 8, 'b8') // B dropped 6 and 7: at target 7 it could only show 5
    expect(g.target()).toBe(7)
    expect(frames()).toEqual([null, null]) // both hold frame 5
    expect(g.showing()).toEqual([5, 5])
    g.offer(0, 8, 'a8')
    expect(frames()).toEqual([8, 8])
  })

  it('releases each frame once: older than the one drawn, past capacity, or cleared', () => {
    const { g, released, frames } = gate(2, 3)
    for (let f = 0; f < 5; f++) g.offer(0, f, `a${f}`) // capacity 3: a0 and a1 go
    expect(released).toEqual(['a0', 'a1'])
    g.offer(1, 3, 'b3')
    expect(frames()).toEqual([3, 3])
    expect(released).toEqual(['a0', 'a1', 'a2'])
    g.clear()
    expect(released.sort()).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'b3'])
    expect(g.showing()).toEqual([null, null])
  })

  it('a seek back (a loop wraps) drops what the take held past it, and the pictures follow', () => {
    const { g, released, frames } = gate(2)
    g.offer(0, 70, 'a70')
    g.offer(1, 70, 'b70')
    g.offer(0, 71, 'a71')
    expect(frames()).toEqual([70, 70])
    g.offer(0, 0, 'a0') // A wrapped to the in point
    expect(released).toEqual(['a71']) // a70 is on screen: kept until frame 0 replaces it
    expect(g.target()).toBe(0)
    expect(frames()).toEqual([null, null]) // B has not shown frame 0 yet: both pictures hold frame 70
    expect(g.showing()).toEqual([70, 70])
    g.offer(1, 0, 'b0')
    expect(frames()).toEqual([0, 0])
    expect(released.sort()).toEqual(['a70', 'a71', 'b70'])
  })

  it('never releases the frame a picture shows (a resize paints it again), however the take drops it', () => {
    const { g, released, frames } = gate(2, 3)
    g.offer(0, 0, 'a0')
    g.offer(1, 0, 'b0')
    expect(frames()).toEqual([0, 0])
    // The same frame presented again (a seek to frame 0, Home): the new one is held, the one on screen stays.
    g.offer(0, 0, 'a0 again')
    expect(released).toEqual([])
    // B stalls while A runs on past capacity: A's pictures hold frame 0, its frame 0 still on screen.
    for (let f = 1; f <= 5; f++) g.offer(0, f, `a${f}`)
    expect(frames()).toEqual([null, null])
    expect(released).not.toContain('a0')
    expect(released).toContain('a0 again')
    g.offer(1, 3, 'b3')
    expect(frames()).toEqual([3, 3])
    expect(released).toContain('a0')
    expect(released).toContain('b0')
    g.clear()
    // Everything released, each once.
    expect(released.sort()).toEqual(['a0', 'a0 again', 'a1', 'a2', 'a3', 'a4', 'a5', 'b0', 'b3'])
  })

  it('says how long every picture has been held: a take that stopped presenting frames', () => {
    const { g } = gate(2)
    g.offer(0, 0, 'a0')
    expect(g.draw(1000)).toBeNull() // B has presented nothing yet
    expect(g.stalledFor(2500)).toBe(1500)
    g.offer(1, 0, 'b0')
    g.draw(3000)
    expect(g.stalledFor(3100)).toBe(0)
    for (let f = 1; f <= 3; f++) g.offer(0, f, `a${f}`)
    g.offer(1, 3, 'b3')
    g.offer(1, 5, 'b5')
    g.draw(4000)
    expect(g.stalledFor(4000)).toBe(0)
    // B stops presenting at frame 5; A runs on until all it holds is past 5: every picture holds, for longer and longer.
    for (let f = 4; f <= 12; f++) g.offer(0, f, `a${f}`)
    g.draw(5000)
    g.draw(6000)
    expect(g.stalledFor(8000)).toBe(3000)
    g.offer(1, 7, 'b7') // B presents again (A holds 7): the pictures move
    expect(g.draw(8500)?.map((h) => h?.frame ?? null)).toEqual([7, 7])
    expect(g.stalledFor(8500)).toBe(0)
  })
})
