// Starred prompts (issue 11, point 6): kept by the engine in the data folder (prompts:starred / prompts:star);
// this store mirrors the list for the composer's prompt history.
import { create } from 'zustand'
import { call } from '../../bridge'

interface StarsState {
  starred: string[]
  loaded: boolean
  load(): Promise<void>
  /** Star or unstar; the list becomes what the engine saved. */
  set(prompt: string, value: boolean): Promise<void>
}

export const usePromptStars = create<StarsState>((set) => ({
  starred: [],
  loaded: false,
  async load() {
    set({ starred: await call('prompts:starred', undefined), loaded: true })
  },
  async set(prompt, value) {
    set({ starred: await call('prompts:star', { prompt, value }), loaded: true })
  },
}))
