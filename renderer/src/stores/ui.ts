// Renderer-owned UI state: the current view (remembered across launches), library browsing and selection.
import { create } from 'zustand'
import type { LibraryQuery } from '../../../electron/shared/library-query'

export type View = 'create' | 'queue' | 'library' | 'usage' | 'settings' | 'about'
const VIEWS: View[] = ['create', 'queue', 'library', 'usage', 'settings', 'about']
const LAST_VIEW = 'seedance:lastView'

function initialView(): View {
  try {
    const saved = localStorage.getItem(LAST_VIEW) as View | null
    return saved && VIEWS.includes(saved) ? saved : 'create'
  } catch {
    return 'create'
  }
}

interface UiState {
  view: View
  search: string
  filters: Pick<
    LibraryQuery,
    'provider' | 'model' | 'mode' | 'resolution' | 'aspectRatio' | 'favorite' | 'sort' | 'from' | 'prompt'
  >
  selected: string[]
  detailId: string | null
  playingId: string | null
  go(view: View): void
  setSearch(search: string): void
  setFilters(patch: UiState['filters']): void
  select(ids: string[]): void
  openDetail(id: string | null): void
  play(id: string | null): void
}

export const useUi = create<UiState>((set) => ({
  view: initialView(),
  search: '',
  filters: { sort: 'newest' },
  selected: [],
  detailId: null,
  playingId: null,
  go(view) {
    try {
      localStorage.setItem(LAST_VIEW, view)
    } catch {
      // storage may be unavailable; the view still changes
    }
    set({ view })
  },
  setSearch: (search) => set({ search }),
  setFilters: (patch) => set((s) => ({ filters: { ...s.filters, ...patch } })),
  select: (selected) => set({ selected }),
  openDetail: (detailId) => set({ detailId }),
  play: (playingId) => set({ playingId }),
}))
