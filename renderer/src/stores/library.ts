// Mirror of the library, refreshed by sync.ts on library:changed; searched locally, so browsing and search
// work offline and stay instant at thousands of videos.
import { create } from 'zustand'
import type { LibraryEntry } from '../../../electron/shared/model'

interface LibraryState {
  entries: LibraryEntry[]
  loaded: boolean
  set(entries: LibraryEntry[]): void
}

export const useLibrary = create<LibraryState>((set) => ({
  entries: [],
  loaded: false,
  set: (entries) => set({ entries, loaded: true }),
}))
