import { describe, expect, it } from 'vitest'
import type { JobRecord } from '../../../../electron/shared/model'
import {
  placeInLine,
  sessionTakeIds,
  takeCost,
  takeLabel,
  takeStatus,
} from '../../../../renderer/src/features/studio/takes'
import { job } from '../../../fixtures/records'

const NOW = Date.UTC(2026, 11, 2, 1, 0, 0)
const byIdOf = (...jobs: JobRecord[]) => Object.fromEntries(jobs.map((j) => [j.id, j]))

describe('sessionTakeIds', () => {
  it('keeps the jobs made since the session began (or was cleared), in the mirror’s order', () => {
    const old = job({ id: 'old', createdAt: NOW - 60_000 })
    const a = job({ id: 'a', createdAt: NOW })
    const b = job({ id: 'b', createdAt: NOW + 5_000 })
    expect(sessionTakeIds(['b', 'a', 'old'], byIdOf(old, a, b), NOW)).toEqual(['b', 'a'])
    expect(sessionTakeIds(['b', 'a', 'old'], byIdOf(old, a, b), NOW + 1)).toEqual(['b'])
  })
})

describe('placeInLine', () => {
  it('counts the older jobs waiting for the same door, as the scheduler sends the oldest first', () => {
    const first = job({ id: '1', state: 'pending', createdAt: NOW - 3000 })
    const second = job({ id: '2', state: 'pending', createdAt: NOW - 2000 })
    const otherDoor = job({
      id: '3',
      state: 'pending',
      createdAt: NOW - 4000,
      request: { ...job().request, provider: 'fal' },
    })
    const third = job({ id: '4', state: 'pending', createdAt: NOW - 1000 })
    const all = byIdOf(first, second, otherDoor, third)
    expect([first, second, third].map((j) => placeInLine(j, all, NOW))).toEqual([0, 1, 2])
    // Sent, or waiting on a time of its own (a rate limit): not in the app's line.
    expect(placeInLine(job({ state: 'queued' }), all, NOW)).toBeNull()
    expect(placeInLine({ ...third, nextAt: NOW + 5000 }, all, NOW)).toBeNull()
  })
})

describe('takeStatus', () => {
  it('shows progress and time left from the service’s ETA while it generates', () => {
    const j = job({ state: 'processing', submittedAt: NOW - 10_000, estimatedCompletion: NOW + 30_000 })
    expect(takeStatus(j, NOW, null)).toEqual({
      phase: 'Generating',
      progress: 0.25,
      eta: '~30 s left',
      wait: null,
      position: null,
    })
    expect(takeStatus(j, NOW + 31_000, null).eta).toBe('any moment')
  })

  it('says it waits for the service’s rate limit, and how long, counting down', () => {
    const j = job({ state: 'pending', nextAt: NOW + 8_000, waitFor: 'rate-limit', remoteId: null })
    expect(takeStatus(j, NOW, null).wait).toBe("Waiting for the service's rate limit, ~8 s")
    expect(takeStatus(j, NOW + 5_000, null).wait).toBe("Waiting for the service's rate limit, ~3 s")
    expect(takeStatus({ ...j, waitFor: 'queue-full' }, NOW, null).wait).toBe(
      "Seedance API's queue is full; trying again in ~8 s",
    )
    expect(takeStatus(j, NOW + 9_000, null).wait).toBeNull()
  })

  it('gives its place in the app’s line or in the service’s queue', () => {
    expect(takeStatus(job({ state: 'pending' }), NOW, 1).position).toBe('2nd in line for Seedance API')
    expect(takeStatus(job({ state: 'queued', queuePosition: 3 }), NOW, null).position).toBe(
      "3 ahead in Seedance API's queue",
    )
    expect(takeStatus(job({ state: 'queued', queuePosition: 0 }), NOW, null).position).toBe(
      "Next in Seedance API's queue",
    )
  })

  it('is full once done', () => {
    expect(takeStatus(job({ state: 'done' }), NOW, null)).toMatchObject({ phase: 'Done', progress: 1, eta: null })
  })
})

describe('takeCost', () => {
  it('estimates in the provider’s unit until the service reports what it charged', () => {
    expect(takeCost(job({ credits: null }), null)).toEqual({ amount: '≈ 3 credits', usd: null, actual: false })
    expect(takeCost(job({ credits: 4 }), null)).toEqual({ amount: '4 credits', usd: null, actual: true })
    // Refused before it ran: no estimate shown as if billed.
    expect(takeCost(job({ credits: null, state: 'failed' }), null).amount).toBe('no charge reported')
  })

  it('gives USD where the price is published (Ark counts tokens)', () => {
    const ark = job({ credits: null, request: { ...job().request, provider: 'ark', model: 'seedance-1-0-pro-250528' } })
    expect(takeCost(ark, null)).toEqual({ amount: '≈ 82,368 tokens', usd: '≈ $0.21', actual: false })
  })
})

describe('takeLabel', () => {
  it('names a take by its number and the seed it was made with', () => {
    expect(takeLabel(job({ request: { ...job().request, seed: 42 } }), 2)).toBe('Take 2 · seed 42')
    expect(takeLabel(job(), 1)).toBe('Take 1')
  })
})
