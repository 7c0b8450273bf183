// The confirmation main shows when the service address moves the API key to another origin (issue 9): a native
// dialog the renderer cannot draw, fake or answer. Cancel is the default, so Enter or Esc sends the key nowhere.
// Takes the Electron dialog as an argument (Signal's style), so tests pass a fake.
import type { BrowserWindow, MessageBoxOptions, MessageBoxReturnValue } from 'electron'
import { type ProviderId, providerInfo } from '../shared/providers'
import type { KeyOriginAnswer } from './handlers'

export interface DialogLike {
  showMessageBox(options: MessageBoxOptions): Promise<MessageBoxReturnValue>
  showMessageBox(window: BrowserWindow, options: MessageBoxOptions): Promise<MessageBoxReturnValue>
}

const BUTTONS: Array<[string, KeyOriginAnswer]> = [
  ['Send My Key There', 'move'],
  ['Enter a New Key', 'keep'],
  ['Cancel', 'cancel'],
]

export function createKeyOriginConfirm(
  dialog: DialogLike,
  parent: () => BrowserWindow | null,
): (change: { provider: ProviderId; from: string; to: string }) => Promise<KeyOriginAnswer> {
  return async ({ provider, from, to }) => {
    const { label } = providerInfo(provider)
    const options: MessageBoxOptions = {
      type: 'warning',
      title: 'Change the service address',
      message: `Send your ${label} API key to ${to}?`,
      detail:
        `Your ${label} API key was saved for ${from}. The new service address is ${to}, which would receive ` +
        'the key with every request and could spend your credits. Continue only if you trust it; otherwise enter ' +
        'a key meant for the new address.',
      buttons: BUTTONS.map(([label]) => label),
      defaultId: 2,
      cancelId: 2,
      noLink: true,
    }
    const window = parent()
    const { response } = await (window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options))
    return BUTTONS[response]?.[1] ?? 'cancel'
  }
}
