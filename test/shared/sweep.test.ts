// A sweep's grid, checked and costed before anything is queued (issue 11, point 4): the preview's total is the sum
// of the estimates the composer shows for each job, per provider in its unit and in USD; what a model cannot do is
// refused by the engine's own checker; a grid past the limit is refused with its size.
import { describe, expect, it } from 'vitest'
import { requestSchemas } from '../../electron/shared/contract'
import { estimateCost, findModel, type ModelInfo } from '../../electron/shared/providers'
import { planSweep, queueablePlan, SWEEP_MAX_JOBS, SweepError, type SweepSpec } from '../../electron/shared/sweep'
import { costLines } from '../../renderer/src/features/composer/capabilities'

const ARK_PRO = { provider: 'ark', model: 'seedance-1-0-pro-250528' } as const
const ARK_15 = { provider: 'ark', model: 'seedance-1-5-pro-251215' } as const
const FAL_2 = { provider: 'fal', model: 'bytedance/seedance-2.0' } as const
const REPLICATE_PRO = { provider: 'replicate', model: 'bytedance/seedance-1-pro' } as const
const GUIDE = { provider: 'seedance', model: 'standard' } as const

const spec = (over: Partial<SweepSpec>): SweepSpec => ({
  prompts: ['a red fox in snow'],
  seeds: [],
  models: [ARK_PRO],
  durations: [],
  resolutions: [],
  ...over,
})

describe('planSweep', () => {
  it('expands prompts × seeds × models × durations × resolutions, labelling each cell by what varies', () => {
    const plan = planSweep(
      spec({ prompts: ['a red fox', 'a blue whale'], seeds: [1, 2], models: [ARK_PRO, FAL_2], resolutions: ['720p'] }),
    )
    expect(plan.cells).toHaveLength(8)
    expect(plan.ready).toBe(8)
    const first = plan.cells[0]
    expect(first).toMatchObject({ prompt: 'a red fox', seed: 1, provider: 'ark', resolution: '720p', duration: 5 })
    // The resolution is one value: it does not vary, so it names no cell.
    expect(first?.vary).toEqual({ prompt: 'a red fox', seed: 'seed 1', model: 'BytePlus ModelArk · Seedance 1.0 Pro' })
    expect(first?.label).toBe('a red fox · seed 1 · BytePlus ModelArk · Seedance 1.0 Pro')
    expect(new Set(plan.cells.map((c) => c.label)).size).toBe(8)
    expect(plan.cells.at(-1)).toMatchObject({ prompt: 'a blue whale', seed: 2, provider: 'fal' })
  })

  it('drops repeated values and empty prompts, and labels a single cell "Take 1"', () => {
    const plan = planSweep(spec({ prompts: [' a fox ', 'a fox', ''], seeds: [3, 3], models: [ARK_PRO, ARK_PRO] }))
    expect(plan.cells).toHaveLength(1)
    expect(plan.cells[0]?.label).toBe('Take 1')
    expect(plan.cells[0]?.seed).toBe(3)
  })

  it('totals each provider in its own unit and in USD, equal to the sum of the estimates the composer shows', () => {
    const plan = planSweep(
      spec({
        prompts: ['a fox', 'a whale'],
        models: [ARK_PRO, ARK_15, FAL_2, REPLICATE_PRO, GUIDE],
        durations: [4, 6],
        resolutions: ['720p', '1080p'],
        audio: true,
      }),
    )
    // The composer's own estimate for each ready cell's settings, summed per provider.
    const sums = new Map<string, { amount: number; usd: number | null }>()
    let usd = 0
    for (const cell of plan.cells.filter((c) => !c.problem)) {
      const shown = costLines({ ...cell, audio: cell.audio ?? false }, null).estimate
      expect(cell.estimate).toEqual(shown)
      const s = sums.get(cell.provider) ?? { amount: 0, usd: null }
      s.amount += shown.amount
      if (shown.usd !== null) {
        s.usd = (s.usd ?? 0) + shown.usd
        usd += shown.usd
      }
      sums.set(cell.provider, s)
    }
    expect(plan.usd).toBe(usd)
    for (const total of plan.totals) expect(sums.get(total.provider)).toEqual({ amount: total.amount, usd: total.usd })
    const ark = plan.totals.find((t) => t.provider === 'ark')
    expect(ark?.unit).toBe('tokens')
    // 1080p 16:9 (1920×1088) × 24 fps × 4 s / 1024 = 195,840 tokens; 1.5 pro with sound is $2.4 per million.
    const proAt1080 = plan.cells.find((c) => c.model === ARK_PRO.model && c.resolution === '1080p' && c.duration === 4)
    expect(proAt1080?.estimate).toEqual({ amount: 195_840, unit: 'tokens', usd: (195_840 / 1e6) * 2.5 })
    const withSound = plan.cells.find((c) => c.model === ARK_15.model && c.resolution === '1080p' && c.duration === 4)
    expect(withSound?.audio).toBe(true)
    expect(withSound?.estimate.usd).toBe((195_840 / 1e6) * 2.4)
    // Replicate's 1.0 pro has no published price: counted in seconds, left out of USD and said so.
    const replicate = plan.totals.find((t) => t.provider === 'replicate')
    expect(replicate).toMatchObject({ unit: 'seconds', usd: null, amount: 2 * 2 * (4 + 6), unpriced: 8 })
    expect(plan.unpriced).toBe(8 + (plan.totals.find((t) => t.provider === 'seedance')?.jobs ?? 0))
  })

  it('refuses, with the engine’s words, each cell its model cannot make, and leaves it out of the total', () => {
    const plan = planSweep(spec({ seeds: [7], models: [ARK_PRO, GUIDE], durations: [6] }))
    expect(plan.cells.map((c) => c.problem?.code ?? 'ok')).toEqual(['ok', 'UNSUPPORTED_SETTING'])
    expect(plan.cells[1]?.problem?.message).toBe(
      'Seedance (standard tier) on Seedance API does not take a seed; leave it random.',
    )
    expect(plan.ready).toBe(1)
    expect(plan.refused).toBe(1)
    expect(plan.totals.map((t) => t.provider)).toEqual(['ark'])

    const tooLong = planSweep(spec({ models: [GUIDE], durations: [4, 12] }))
    expect(tooLong.cells[1]?.problem).toEqual({
      code: 'INVALID_DURATION',
      message:
        'Seedance (standard tier) on Seedance API makes videos of 1–8 s (whole seconds); 12 s is not one of them.',
    })
    const fast1080 = planSweep(spec({ models: [FAL_2], resolutions: ['1080p'] }))
    expect(fast1080.cells[0]?.problem?.code).toBe('INVALID_RESOLUTION')
    const flag = planSweep(spec({ prompts: ['a fox --rs 1080p'] }))
    expect(flag.cells[0]?.problem?.code).toBe('INVALID_PROMPT')
  })

  it('sends sound and a fixed camera only to the models that take them', () => {
    const plan = planSweep(spec({ models: [ARK_PRO, ARK_15, FAL_2], audio: true, cameraFixed: true }))
    expect(plan.cells.map((c) => [c.model, c.audio, c.cameraFixed])).toEqual([
      [ARK_PRO.model, null, true],
      [ARK_15.model, true, true],
      [FAL_2.model, true, null],
    ])
    expect(plan.refused).toBe(0)
  })

  it(`refuses a grid of more than ${SWEEP_MAX_JOBS} jobs, naming its size`, () => {
    const big = spec({
      prompts: ['a', 'b', 'c'],
      seeds: [1, 2, 3, 4, 5, 6, 7],
      models: [ARK_PRO, ARK_15],
      durations: [4, 5, 6],
    })
    expect(() => planSweep(big)).toThrowError(
      new SweepError(
        'SWEEP_TOO_LARGE',
        'This sweep makes 126 jobs (3 prompts × 7 seeds × 2 models × 3 durations × 1 resolution); a sweep makes at most 100. Remove some values.',
      ),
    )
    expect(() => planSweep({ ...big, durations: [4] })).not.toThrow()
    expect(() => planSweep(spec({ prompts: ['  '] }))).toThrowError('A sweep needs at least one prompt.')
    expect(() => planSweep(spec({ models: [] }))).toThrowError('A sweep needs at least one model.')
  })

  it('refuses to queue a grid none of whose jobs can be made', () => {
    try {
      queueablePlan(spec({ models: [GUIDE], seeds: [1, 2] }))
      expect.unreachable()
    } catch (error) {
      expect((error as SweepError).code).toBe('SWEEP_NOTHING_TO_QUEUE')
      expect((error as Error).message).toContain('None of the 2 jobs can be made: ')
    }
  })

  it('costs an auto duration at the model’s maximum, as the composer does', () => {
    const plan = planSweep(spec({ models: [FAL_2], durations: [0, 5] }))
    const model = findModel('fal', FAL_2.model) as ModelInfo
    expect(plan.cells[0]?.vary.duration).toBe('auto')
    expect(plan.cells[0]?.estimate).toEqual(
      estimateCost('fal', model, { duration: 15, resolution: '720p', aspectRatio: '16:9', audio: null }),
    )
  })
})

describe('sweep:submit payload', () => {
  const schema = requestSchemas['sweep:submit']
  it('takes the axes the panel sends, and refuses an unknown provider or more prompts than a sweep may have', () => {
    expect(schema.safeParse(spec({ seeds: [1, 2], resolutions: ['720p'], aspectRatio: null })).success).toBe(true)
    expect(schema.safeParse(spec({ models: [{ provider: 'openai' as never, model: 'x' }] })).success).toBe(false)
    expect(schema.safeParse(spec({ prompts: Array.from({ length: 101 }, (_, i) => `p${i}`) })).success).toBe(false)
    expect(schema.safeParse(spec({ seeds: [-1] })).success).toBe(false)
  })
})
