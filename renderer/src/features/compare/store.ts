// Which takes the compare view shows. Opened from the library's selection, and by other views (a sweep's grid,
// the studio's takes) through `openCompare`, with an optional label per take saying what varied.
import { create } from 'zustand'

export const MIN_TAKES = 2
export const MAX_TAKES = 4

interface CompareState {
  /** Library entry ids, in the order shown (the first is the transport's master clock); empty: closed. */
  ids: string[]
  labels: Record<string, string>
  open(ids: string[], labels?: Record<string, string>): void
  close(): void
}

export const useCompare = create<CompareState>((set) => ({
  ids: [],
  labels: {},
  open(ids, labels = {}) {
    const unique = [...new Set(ids)]
    if (unique.length < MIN_TAKES || unique.length > MAX_TAKES) return
    set({ ids: unique, labels })
  },
  close: () => set({ ids: [], labels: {} }),
}))

/** Open the compare view on two to four library videos (other counts are ignored: the view shows 2–4). */
export function openCompare(ids: string[], labels?: Record<string, string>): void {
  useCompare.getState().open(ids, labels)
}

export function closeCompare(): void {
  useCompare.getState().close()
}
