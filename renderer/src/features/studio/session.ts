// The studio's session: which jobs count as takes (those created since the app started, or since the user cleared
// the session) and which takes are picked for the compare view. Renderer-owned; Clear only hides, never deletes.
import { create } from 'zustand'

const SINCE = 'seedance:studioSince'

/** When this session began: kept across a reload of the window (sessionStorage), new at each app start. */
function initialSince(now: number): number {
  try {
    const saved = Number(sessionStorage.getItem(SINCE))
    if (Number.isFinite(saved) && saved > 0) return saved
    sessionStorage.setItem(SINCE, String(now))
  } catch {
    // storage may be unavailable; the session starts now
  }
  return now
}

interface StudioState {
  /** Jobs created at or after this time (ms since the epoch) are the session's takes. */
  since: number
  /** Takes picked for the compare view, by job id, in the order picked. */
  picked: string[]
  /** Hide every take so far (the jobs and videos stay in the Queue and the Library). */
  clear(now?: number): void
  togglePick(id: string): void
  clearPicks(): void
}

export const useStudio = create<StudioState>((set) => ({
  since: initialSince(Date.now()),
  picked: [],
  clear(now = Date.now()) {
    try {
      sessionStorage.setItem(SINCE, String(now))
    } catch {
      // the session is cleared for this window either way
    }
    set({ since: now, picked: [] })
  },
  togglePick: (id) =>
    set((s) => ({ picked: s.picked.includes(id) ? s.picked.filter((p) => p !== id) : [...s.picked, id] })),
  clearPicks: () => set({ picked: [] }),
}))
