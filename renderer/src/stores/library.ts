// Mirror of the library, refreshed by sync.ts on library:changed; searched locally, so browsing and search
// work offline and stay instant at thousands of videos.
import { create } from 'zustand'
import type { LibraryEntry } from '../../../electron/shared/model'

interface LibraryState {
  entries: LibraryEntry[]
  /** Every entry is here (not just the first page shown while the rest loads). */
  loaded: boolean
  set(entries: LibraryEntry[], complete?: boolean): void
}

export const useLibrary = create<LibraryState>((set) => ({
  entries: [],
  loaded: false,
  set: (entries, complete = true) => set({ entries, loaded: complete }),
}))
