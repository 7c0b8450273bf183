// Mirror of the engine's jobs, written only by sync.ts from jobs:list and jobs:changed events.

import { create } from 'zustand'
import { BUSY_STATES } from '../../../electron/shared/job-states'
import type { JobRecord } from '../../../electron/shared/model'

/** Active: any job not final (shared/job-states.ts). */
const ACTIVE = BUSY_STATES

interface JobsState {
  byId: Record<string, JobRecord>
  /** Newest first. */
  ids: string[]
  activeCount: number
  hydrate(jobs: JobRecord[]): void
  upsert(job: JobRecord): void
  remove(id: string): void
}

function derive(byId: Record<string, JobRecord>) {
  const all = Object.values(byId)
  return {
    ids: all.sort((a, b) => b.createdAt - a.createdAt).map((j) => j.id),
    activeCount: all.filter((j) => ACTIVE.has(j.state)).length,
  }
}

export const useJobs = create<JobsState>((set) => ({
  byId: {},
  ids: [],
  activeCount: 0,
  hydrate(jobs) {
    const byId = Object.fromEntries(jobs.map((j) => [j.id, j]))
    set({ byId, ...derive(byId) })
  },
  remove(id) {
    set((s) => {
      const { [id]: _gone, ...byId } = s.byId
      return { byId, ...derive(byId) }
    })
  },
  upsert(job) {
    set((s) => {
      const byId = { ...s.byId, [job.id]: job }
      return { byId, ...derive(byId) }
    })
  },
}))
