// The app:info service: who we are and where our files live. Plain data for the About panel,
// bug reports and the CLI.
import type { AppInfo, DataPaths, Platform } from '../shared/model'

export interface AppInfoSource {
  name: string
  version: string
  platform: Platform
  arch: string
  versions: { node: string; electron?: string; chrome?: string }
  paths: DataPaths
}

export function createAppInfo(src: AppInfoSource): () => AppInfo {
  const info: AppInfo = Object.freeze({
    name: src.name,
    version: src.version,
    platform: src.platform,
    arch: src.arch,
    runtime: {
      node: src.versions.node,
      electron: src.versions.electron ?? null,
      chrome: src.versions.chrome ?? null,
    },
    paths: { ...src.paths },
  })
  return () => info
}
