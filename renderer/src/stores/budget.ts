// Budget (issue 11): a mirror of the engine's spend and caps, written only by sync.ts (budget:changed) and by the
// answers of budget:set / budget:clear.
import { create } from 'zustand'
import type { BudgetStatus } from '../../../electron/shared/budget'
import { call } from '../bridge'

interface BudgetState {
  status: BudgetStatus | null
  set(status: BudgetStatus): void
  refresh(): Promise<void>
}

export const useBudget = create<BudgetState>((set) => ({
  status: null,
  set: (status) => set({ status }),
  async refresh() {
    set({ status: await call('budget:get', undefined) })
  },
}))
