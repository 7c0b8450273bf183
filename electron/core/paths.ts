// Where Seedance Studio keeps its data, computed the same way by the desktop app and the CLI so both
// share one data folder (the app's user-data folder, as Electron names it for "Seedance Studio").
import path from 'node:path'
import type { DataPaths, Platform } from '../shared/model'

export const APP_NAME = 'Seedance Studio'

export interface PathEnv {
  platform: Platform
  home: string
  env: Record<string, string | undefined>
}

/** The per-user application-data root, as Electron's app.getPath('appData') resolves it. */
export function appDataRoot({ platform, home, env }: PathEnv): string {
  const p = platform === 'win32' ? path.win32 : path.posix
  if (platform === 'win32') return env.APPDATA || p.join(home, 'AppData', 'Roaming')
  if (platform === 'darwin') return p.join(home, 'Library', 'Application Support')
  return env.XDG_CONFIG_HOME || p.join(home, '.config')
}

/** The OS Videos folder: ~/Movies on macOS, %USERPROFILE%\Videos on Windows, XDG_VIDEOS_DIR or ~/Videos on Linux. */
export function videosFolder({ platform, home, env }: PathEnv): string {
  const p = platform === 'win32' ? path.win32 : path.posix
  if (platform === 'darwin') return p.join(home, 'Movies')
  if (platform === 'win32') return p.join(home, 'Videos')
  const xdg = env.XDG_VIDEOS_DIR?.replace(/^\$HOME/, home)
  return xdg || p.join(home, 'Videos')
}

/** Default data paths; SEEDANCE_DATA_DIR and SEEDANCE_LIBRARY override them (CLI, CI, portable installs). */
export function defaultDataPaths(pe: PathEnv): DataPaths {
  const p = pe.platform === 'win32' ? path.win32 : path.posix
  const userData = pe.env.SEEDANCE_DATA_DIR || p.join(appDataRoot(pe), APP_NAME)
  return {
    userData,
    settingsFile: p.join(userData, 'config.json'),
    logs: p.join(userData, 'logs'),
    library: pe.env.SEEDANCE_LIBRARY || p.join(videosFolder(pe), APP_NAME),
  }
}
