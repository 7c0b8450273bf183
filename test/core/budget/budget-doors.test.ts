// Spend through every door's emulation in the Sandbox (real HTTP): each is counted in its provider's unit, from what
// the service reports where it reports it (the guide's credits, Ark's tokens) and from the price table otherwise
// (fal, Replicate), in USD where a price is known; budget.json records which.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Engine } from '../../../electron/core/engine'
import { Keychain } from '../../../electron/core/secrets/keychain'
import { PROVIDER_IDS, type ProviderId } from '../../../electron/shared/providers'
import { finished, type TestDirs, testDirs, until } from '../jobs/engine-helpers'
import { openEngineOnSandbox } from '../sandbox-engine'

let dirs: TestDirs
let engine: Engine | undefined
beforeEach(async () => {
  dirs = await testDirs()
})
afterEach(async () => {
  await engine?.close()
  engine = undefined
  await dirs.cleanup()
})

describe('spend through every door', () => {
  it('counts what each service reports, else the estimate, in its unit and in USD where priced', async () => {
    const e = await openEngineOnSandbox({
      paths: dirs.paths,
      role: 'cli',
      sandbox: 'always',
      keychain: new Keychain({ env: {} }),
      sandboxOptions: { genSeconds: { min: 0.5, max: 0.5 } },
    })
    engine = e
    const ids: Partial<Record<ProviderId, string>> = {}
    for (const provider of PROVIDER_IDS) {
      const out = await e.submit({ prompt: `spend via ${provider}`, provider, duration: 2, resolution: '720p' })
      if (out.kind === 'exists') throw new Error('unexpected library hit')
      ids[provider] = out.job.id
    }
    await until(() => Object.values(ids).every((id) => finished(e.jobs.get(id))), 60_000, 'every door')
    expect(PROVIDER_IDS.map((p) => e.jobs.get(ids[p] as string)?.state)).toEqual(['done', 'done', 'done', 'done'])
    await e.budget.flush()
    const ledger = JSON.parse(await readFile(path.join(dirs.paths.userData, 'budget.json'), 'utf8'))
    const entry = (p: ProviderId) => ledger.entries[`${ids[p]}#1`]
    expect(entry('seedance')).toMatchObject({ unit: 'credits', amount: 2, source: 'service', status: 'spent' })
    // Ark reports the tokens it billed: the ledger holds its figure, not the estimate.
    const arkReported = e.jobs.get(ids.ark as string)?.cost
    expect(arkReported?.unit).toBe('tokens')
    expect(entry('ark')).toMatchObject({ unit: 'tokens', amount: arkReported?.amount, source: 'service' })
    expect(entry('fal')).toMatchObject({ unit: 'tokens', source: 'estimate', status: 'spent' })
    expect(entry('fal').usd).toBeGreaterThan(0)
    expect(entry('replicate')).toMatchObject({ unit: 'seconds', amount: 2, usd: null, source: 'estimate' })
    const month = Object.fromEntries(e.budget.status().providers.map((p) => [p.provider, p.month]))
    expect(month.replicate).toMatchObject({ amount: 2, usd: 0, unpriced: 1 })
    expect(month.ark?.usd).toBeCloseTo((entry('ark').amount / 1_000_000) * 2.5, 9)
  }, 120_000)
})
