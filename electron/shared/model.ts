// Domain types shared by the engine, the shell, the CLI and the renderer.
// Pure TypeScript: no Node, no DOM, no electron.

export type Platform = 'darwin' | 'win32' | 'linux' | (string & {})

/** Where the app keeps its files. The CLI and the app compute these the same way (electron/core/paths.ts). */
export interface DataPaths {
  /** Settings, the job journal and logs live here (the app's user-data folder). */
  userData: string
  settingsFile: string
  logs: string
  /** Default library folder: the OS Videos folder / "Seedance Studio". */
  library: string
}

export interface AppInfo {
  name: string
  version: string
  platform: Platform
  arch: string
  /** Versions of the runtime the engine runs in; `electron` is null outside the desktop shell. */
  runtime: { node: string; electron: string | null; chrome: string | null }
  paths: DataPaths
}

/** Every error that crosses a boundary carries a stable code; the UI maps codes to actions. */
export interface AppErrorShape {
  code: string
  message: string
}
