// Starred prompts (issue 11, point 6), kept in the data folder (prompt-stars.json) so the app and the CLI share
// them. One writer per data folder (util/data-lock.ts), so the list lives in memory and every change is written
// whole, by atomic rename (util/atomic-write.ts), one write at a time in the order the changes were made.
import { readFile } from 'node:fs/promises'
import { normalizePrompt, PROMPT_MAX } from '../../shared/prompt-history'
import { EngineError } from '../engine-error'
import { writeFileAtomic } from '../util/atomic-write'

const FORMAT = 1

interface Star {
  prompt: string
  at: number
}

export class PromptStars {
  private stars: Star[] = []
  private saving: Promise<void> = Promise.resolve()

  private constructor(
    private readonly file: string | null,
    private readonly now: () => number,
  ) {}

  /** A missing or damaged file starts an empty list (nothing else depends on it). */
  static async open(file: string | null, now: () => number = Date.now): Promise<PromptStars> {
    const stars = new PromptStars(file, now)
    if (!file) return stars
    try {
      const data = JSON.parse(await readFile(file, 'utf8')) as { format?: unknown; starred?: unknown }
      if (data.format === FORMAT && Array.isArray(data.starred)) {
        const seen = new Set<string>()
        for (const s of data.starred as Array<Partial<Star>>) {
          const prompt = typeof s?.prompt === 'string' ? normalizePrompt(s.prompt) : ''
          if (!prompt || prompt.length > PROMPT_MAX || seen.has(prompt)) continue
          seen.add(prompt)
          stars.stars.push({ prompt, at: typeof s.at === 'number' ? s.at : 0 })
        }
      }
    } catch {
      // Missing or unreadable: no stars yet.
    }
    return stars
  }

  /** Starred prompts, most recently starred first. */
  list(): string[] {
    return this.stars.map((s) => s.prompt)
  }

  /** Star (value true) or unstar a prompt; resolves once the change is on disk, to the new list. */
  async set(prompt: string, value: boolean): Promise<string[]> {
    const key = normalizePrompt(prompt)
    if (!key) throw new EngineError('INVALID_PROMPT', 'Write a prompt to star: this one is empty.')
    if (key.length > PROMPT_MAX)
      throw new EngineError('INVALID_PROMPT', `A prompt to star is at most ${PROMPT_MAX} characters.`)
    const rest = this.stars.filter((s) => s.prompt !== key)
    this.stars = value ? [{ prompt: key, at: this.now() }, ...rest] : rest
    const list = this.list()
    const body = `${JSON.stringify({ format: FORMAT, starred: this.stars }, null, 2)}\n`
    const file = this.file
    const write = this.saving.then(() => (file ? writeFileAtomic(file, body) : undefined))
    // A failed write must not block later ones; it is reported to the caller who made this change.
    this.saving = write.catch(() => undefined)
    await write
    return list
  }

  /** Resolves once every change made so far is on disk. */
  flush(): Promise<void> {
    return this.saving
  }
}
