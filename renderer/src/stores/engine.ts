// What the engine says about itself: provider (Sandbox or Seedance Cloud), pause reason, media URL base.
import { create } from 'zustand'
import type { EngineStatus } from '../../../electron/shared/contract'
import { AppError, call } from '../bridge'

interface EngineState {
  status: EngineStatus | null
  error: AppError | null
  refresh(): Promise<void>
}

export const useEngine = create<EngineState>((set) => ({
  status: null,
  error: null,
  async refresh() {
    try {
      set({ status: await call('engine:status', undefined), error: null })
    } catch (e) {
      set({ error: e instanceof AppError ? e : new AppError('INTERNAL_ERROR', String(e)) })
    }
  },
}))
