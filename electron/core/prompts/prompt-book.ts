// The prompt history over the engine's own records: the journal's jobs, the library's videos, and the stars.
import type { JobRecord, LibraryEntry } from '../../shared/model'
import {
  buildPromptHistory,
  type PromptHistoryItem,
  type PromptHistoryQuery,
  searchPromptHistory,
} from '../../shared/prompt-history'
import type { PromptStars } from './prompt-stars'

export interface PromptBook {
  history(query?: PromptHistoryQuery): PromptHistoryItem[]
  starred(): string[]
  star(prompt: string, value: boolean): Promise<string[]>
  flush(): Promise<void>
}

export function createPromptBook(options: {
  stars: PromptStars
  jobs: () => readonly JobRecord[]
  entries: () => readonly LibraryEntry[]
}): PromptBook {
  const { stars } = options
  return {
    history: (query) => searchPromptHistory(buildPromptHistory(options.jobs(), options.entries(), stars.list()), query),
    starred: () => stars.list(),
    star: (prompt, value) => stars.set(prompt, value),
    flush: () => stars.flush(),
  }
}
