// A scripted window.seedance for component tests: answers per channel, records every call.
import { vi } from 'vitest'
import type { SeedanceBridge } from '../../electron/shared/contract'

export type Answers = Record<string, (payload: unknown) => unknown>

export function installBridge(answers: Answers = {}) {
  const calls: Array<{ channel: string; payload: unknown }> = []
  const listeners = new Map<string, Set<(p: unknown) => void>>()
  const bridge = {
    invoke: vi.fn(async (channel: string, payload: unknown) => {
      calls.push({ channel, payload })
      const answer = answers[channel]
      if (!answer) return { ok: true, data: undefined }
      try {
        return { ok: true, data: await answer(payload) }
      } catch (e) {
        const err = e as { code?: string; message: string }
        return { ok: false, error: { code: err.code ?? 'INTERNAL_ERROR', message: err.message } }
      }
    }),
    on: vi.fn((channel: string, listener: (p: unknown) => void) => {
      const set = listeners.get(channel) ?? new Set()
      set.add(listener)
      listeners.set(channel, set)
      return () => set.delete(listener)
    }),
  }
  window.seedance = bridge as unknown as SeedanceBridge
  return {
    calls,
    emit: (channel: string, payload: unknown) => {
      for (const l of listeners.get(channel) ?? []) l(payload)
    },
  }
}
