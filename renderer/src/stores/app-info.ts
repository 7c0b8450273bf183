// What the engine says about itself (version, platform, data folders), fetched once over app:info.
import { create } from 'zustand'
import type { AppInfo } from '../../../electron/shared/model'
import { AppError, call } from '../bridge'

interface AppInfoState {
  info: AppInfo | null
  error: AppError | null
  load(): Promise<void>
}

export const useAppInfo = create<AppInfoState>((set) => ({
  info: null,
  error: null,
  async load() {
    try {
      set({ info: await call('app:info', undefined), error: null })
    } catch (e) {
      set({ error: e instanceof AppError ? e : new AppError('INTERNAL_ERROR', String(e)) })
    }
  },
}))
