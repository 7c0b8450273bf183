import { describe, expect, it, vi } from 'vitest'
import { DEFAULT_STATE, restoreWindowState, trackWindowState } from '../../electron/main/window-state'
import { FakeEmitter } from '../fakes/electron'

const laptop = { x: 0, y: 0, width: 1440, height: 877 }
const external = { x: 1440, y: 0, width: 2560, height: 1415 }

describe('restoreWindowState', () => {
  it('restores a window that is still on a display', () => {
    const saved = { x: 1600, y: 100, width: 1400, height: 900, maximized: true }
    expect(restoreWindowState(saved, [laptop, external])).toEqual(saved)
  })

  it('drops the position of a window whose display is gone, keeping its size', () => {
    const saved = { x: 1600, y: 100, width: 1400, height: 850, maximized: false }
    expect(restoreWindowState(saved, [laptop])).toEqual({ width: 1400, height: 850, maximized: false })
  })

  it('shrinks a window larger than any display and grows one below the minimum', () => {
    expect(restoreWindowState({ width: 5000, height: 3000, maximized: false }, [laptop])).toMatchObject({
      width: 1440,
      height: 877,
    })
    expect(restoreWindowState({ width: 200, height: 100, maximized: false }, [laptop])).toMatchObject({
      width: 960,
      height: 640,
    })
  })

  it.each([undefined, null, 'garbage', { width: 'wide' }, { height: 800 }, { width: Number.NaN, height: 1 }])(
    'falls back to defaults for a missing or corrupt record: %j',
    (saved) => {
      expect(restoreWindowState(saved, [laptop])).toEqual(DEFAULT_STATE)
    },
  )
})

class FakeWindow extends FakeEmitter {
  bounds = { x: 10, y: 20, width: 1300, height: 900 }
  maximized = false
  getNormalBounds() {
    return this.bounds
  }
  isMaximized() {
    return this.maximized
  }
}

describe('trackWindowState', () => {
  it('saves once after moves and resizes settle, and at once on close', () => {
    vi.useFakeTimers()
    try {
      const win = new FakeWindow()
      const save = vi.fn()
      trackWindowState(win, save)
      win.emit('move')
      win.emit('resize')
      win.bounds = { x: 40, y: 50, width: 1200, height: 800 }
      win.emit('resize')
      expect(save).not.toHaveBeenCalled()
      vi.advanceTimersByTime(500)
      expect(save).toHaveBeenCalledTimes(1)
      expect(save).toHaveBeenLastCalledWith({ x: 40, y: 50, width: 1200, height: 800, maximized: false })

      win.maximized = true
      win.emit('resize')
      win.emit('close')
      expect(save).toHaveBeenCalledTimes(2)
      expect(save).toHaveBeenLastCalledWith({ x: 40, y: 50, width: 1200, height: 800, maximized: true })
      vi.advanceTimersByTime(1000)
      expect(save).toHaveBeenCalledTimes(2)
    } finally {
      vi.useRealTimers()
    }
  })
})
