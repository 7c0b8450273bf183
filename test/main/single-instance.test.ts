import { describe, expect, it, vi } from 'vitest'
import { claimSingleInstance, focusWindow } from '../../electron/main/single-instance'
import { FakeEmitter } from '../fakes/electron'

class FakeApp extends FakeEmitter {
  constructor(private readonly gotLock: boolean) {
    super()
  }
  quit = vi.fn()
  requestSingleInstanceLock() {
    return this.gotLock
  }
}

describe('claimSingleInstance', () => {
  it('quits a second launch', () => {
    const app = new FakeApp(false)
    expect(claimSingleInstance(app, vi.fn())).toBe(false)
    expect(app.quit).toHaveBeenCalled()
  })

  it('keeps the first instance and focuses it when another launch arrives', () => {
    const app = new FakeApp(true)
    const focus = vi.fn()
    expect(claimSingleInstance(app, focus)).toBe(true)
    expect(app.quit).not.toHaveBeenCalled()
    app.emit('second-instance')
    expect(focus).toHaveBeenCalledTimes(1)
  })
})

describe('focusWindow', () => {
  it('restores a minimised window before focusing it', () => {
    const calls: string[] = []
    focusWindow({
      isMinimized: () => true,
      restore: () => calls.push('restore'),
      show: () => calls.push('show'),
      focus: () => calls.push('focus'),
    })
    expect(calls).toEqual(['restore', 'show', 'focus'])
    expect(() => focusWindow(null)).not.toThrow()
  })
})
