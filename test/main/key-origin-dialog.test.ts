import type { BrowserWindow, MessageBoxOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import { createKeyOriginConfirm, type DialogLike } from '../../electron/main/key-origin-dialog'

/** A dialog that records what it was asked and clicks the button labelled `click`. */
function fakeDialog(click: string | number) {
  const shown: Array<{ window: unknown; options: MessageBoxOptions }> = []
  const dialog = {
    async showMessageBox(a: BrowserWindow | MessageBoxOptions, b?: MessageBoxOptions) {
      const options = (b ?? a) as MessageBoxOptions
      shown.push({ window: b ? a : null, options })
      const response = typeof click === 'number' ? click : (options.buttons ?? []).indexOf(click)
      return { response, checkboxChecked: false }
    },
  } as DialogLike
  return { dialog, shown }
}

const change = { provider: 'fal' as const, from: 'https://queue.fal.run', to: 'https://evil.example' }

describe('the key-origin confirmation', () => {
  it.each([
    ['Send My Key There', 'move'],
    ['Enter a New Key', 'keep'],
    ['Cancel', 'cancel'],
  ])('answers %s as %s', async (button, answer) => {
    const { dialog } = fakeDialog(button)
    expect(await createKeyOriginConfirm(dialog, () => null)(change)).toBe(answer)
  })

  it('names both origins, defaults to Cancel (Enter and Esc send nothing) and is modal to the window', async () => {
    const window = {} as BrowserWindow
    const { dialog, shown } = fakeDialog(2)
    await createKeyOriginConfirm(dialog, () => window)(change)
    expect(shown).toHaveLength(1)
    const [{ window: parent, options }] = shown as [(typeof shown)[0]]
    expect(parent).toBe(window)
    expect(options.message).toContain('https://evil.example')
    expect(options.detail).toContain('https://queue.fal.run')
    // Which provider's key would move, named (issue 10: one key per provider).
    expect(options.message).toContain('fal.ai API key')
    expect(options.buttons?.[options.defaultId ?? -1]).toBe('Cancel')
    expect(options.buttons?.[options.cancelId ?? -1]).toBe('Cancel')
  })

  it('treats an unknown answer (the dialog closed some other way) as Cancel', async () => {
    const { dialog } = fakeDialog(7)
    expect(await createKeyOriginConfirm(dialog, () => null)(change)).toBe('cancel')
  })
})
