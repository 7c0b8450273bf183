// The save dialog main shows to export a sequence (issue 11): the destination is whatever the user picks here, never
// a path from the renderer. Takes the Electron dialog as an argument (Signal's style), so tests pass a fake.
import path from 'node:path'
import type { BrowserWindow, SaveDialogOptions, SaveDialogReturnValue } from 'electron'

export interface SaveDialogLike {
  showSaveDialog(options: SaveDialogOptions): Promise<SaveDialogReturnValue>
  showSaveDialog(window: BrowserWindow, options: SaveDialogOptions): Promise<SaveDialogReturnValue>
}

/** The picker: resolves to the chosen .mp4 path, or null when cancelled. */
export function createExportPicker(
  dialog: SaveDialogLike,
  parent: () => BrowserWindow | null,
  defaultDir: () => string,
): (suggestedName: string) => Promise<string | null> {
  return async (suggestedName) => {
    const options: SaveDialogOptions = {
      title: 'Export the sequence',
      buttonLabel: 'Export',
      defaultPath: path.join(defaultDir(), suggestedName),
      filters: [{ name: 'MP4 video', extensions: ['mp4'] }],
      properties: ['createDirectory', 'showOverwriteConfirmation'],
    }
    const window = parent()
    const picked = await (window ? dialog.showSaveDialog(window, options) : dialog.showSaveDialog(options))
    if (picked.canceled || !picked.filePath) return null
    return picked.filePath.toLowerCase().endsWith('.mp4') ? picked.filePath : `${picked.filePath}.mp4`
  }
}
