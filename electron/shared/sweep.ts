// Sweeps (issue 11, point 4): a grid of prompts × seeds × models (× durations × resolutions) expanded into one
// text-to-video request per cell, each checked against its model by the one capability checker (request-rules.ts,
// the engine's and the adapters' own), and costed by the one estimate the composer shows (providers.ts
// estimateCost), before anything is queued. Pure: the renderer's live preview, the engine's sweep:submit and
// `seedance sweep` all expand a sweep here, so the preview is what gets queued and what it costs.
import type { GenerationRequest } from './model'
import {
  type AspectRatio,
  type CostEstimate,
  findModel,
  type ModelInfo,
  type ProviderId,
  providerInfo,
  type Resolution,
} from './providers'
import { modelName, type RequestProblem, requestProblem } from './request-rules'
import { cellEstimate, type ProviderTotal, totalsOf } from './sweep-cost'

export { amountText, cellEstimate, type ProviderTotal, totalsOf, usdText } from './sweep-cost'

/** CHOSEN: at most 100 jobs in one sweep: a grid past that is a typo more often than a plan, and costs real money. */
export const SWEEP_MAX_JOBS = 100

export interface SweepSpec {
  prompts: string[]
  /** Empty: no seed axis (each job's seed is random). */
  seeds: number[]
  models: Array<{ provider: ProviderId; model: string }>
  /** Whole seconds, 0 for auto where the model has it; empty: each model's default. */
  durations: number[]
  /** Empty: each model's default. */
  resolutions: Resolution[]
  /** The same for every cell; null or absent: each model's default shape. */
  aspectRatio?: AspectRatio | null
  /** Applied to the models that take them (as the composer sends only what a model takes). */
  cameraFixed?: boolean | null
  audio?: boolean | null
}

/** The axes, by the names a job's `sweep.vary` uses. */
export type SweepAxis = 'prompt' | 'seed' | 'model' | 'duration' | 'resolution'

export interface SweepCell {
  /** 0-based, in grid order (prompt, then seed, model, duration, resolution). */
  index: number
  provider: ProviderId
  model: string
  prompt: string
  seed: number | null
  duration: number
  resolution: Resolution
  aspectRatio: AspectRatio
  cameraFixed: boolean | null
  audio: boolean | null
  /** The value of each axis that has more than one value, in words: what tells this cell from the others. */
  vary: Record<string, string>
  /** The vary values joined ("seed 2 · 720p"), or "Take 1" when nothing varies. */
  label: string
  /** What this job is expected to cost: the composer's estimate for the same settings. */
  estimate: CostEstimate
  /** What its model cannot do (then it is not queued), or null. */
  problem: RequestProblem | null
}

export interface SweepPlan {
  cells: SweepCell[]
  /** Cells that will be queued (no problem). */
  ready: number
  refused: number
  /** Per provider, in catalog order, over the ready cells only. */
  totals: ProviderTotal[]
  /** USD over every priced ready cell. */
  usd: number
  /** Ready cells with no published USD price (not in `usd`). */
  unpriced: number
}

/** A sweep that cannot be expanded at all: SWEEP_EMPTY_AXIS, SWEEP_TOO_LARGE, SWEEP_NOTHING_TO_QUEUE. */
export class SweepError extends Error {
  constructor(
    readonly code: 'SWEEP_EMPTY_AXIS' | 'SWEEP_TOO_LARGE' | 'SWEEP_NOTHING_TO_QUEUE',
    message: string,
  ) {
    super(message)
    this.name = 'SweepError'
  }
}

const unique = <T>(values: readonly T[], key: (v: T) => string = String) => {
  const seen = new Set<string>()
  return values.filter((v) => {
    const k = key(v)
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

/** The axes as they are expanded: trimmed, without repeats or empty prompts. */
export function normalizeSpec(spec: SweepSpec): SweepSpec {
  return {
    ...spec,
    prompts: unique(spec.prompts.map((p) => p.trim()).filter(Boolean)),
    seeds: unique(spec.seeds),
    models: unique(spec.models, (m) => `${m.provider}\n${m.model}`),
    durations: unique(spec.durations),
    resolutions: unique(spec.resolutions),
  }
}

/** Jobs in the grid: the product of every axis's length (an empty seed, duration or resolution axis counts 1). */
export function sweepSize(spec: SweepSpec): number {
  const s = normalizeSpec(spec)
  return (
    s.prompts.length *
    Math.max(1, s.seeds.length) *
    s.models.length *
    Math.max(1, s.durations.length) *
    Math.max(1, s.resolutions.length)
  )
}

const short = (text: string, max = 40) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text)

/** "Seedance 1.0 Pro" within one provider; "fal.ai · Seedance 2.0" when the grid spans several. */
function modelWords(provider: ProviderId, model: ModelInfo | null, id: string, manyProviders: boolean): string {
  const name = model?.label ?? id
  return manyProviders ? `${providerInfo(provider).label} · ${name}` : name
}

/** The request a cell asks for, as prepare-request would build it for the same text-to-video input. */
function cellRequest(cell: Omit<SweepCell, 'vary' | 'label' | 'estimate' | 'problem' | 'index'>): GenerationRequest {
  return {
    provider: cell.provider,
    model: cell.model,
    mode: 'text',
    prompt: cell.prompt,
    duration: cell.duration,
    resolution: cell.resolution,
    aspectRatio: cell.aspectRatio,
    style: null,
    motionIntensity: null,
    image: null,
    ...(cell.seed !== null ? { seed: cell.seed } : {}),
    ...(cell.cameraFixed ? { cameraFixed: true } : {}),
    ...(cell.audio !== null ? { audio: cell.audio } : {}),
  }
}

/**
 * Expand a sweep into its cells, each checked and costed, with the totals per provider and in USD. Throws
 * SweepError when an axis the grid needs is empty or the grid has more than SWEEP_MAX_JOBS jobs.
 */
export function planSweep(input: SweepSpec): SweepPlan {
  const spec = normalizeSpec(input)
  if (spec.prompts.length === 0) throw new SweepError('SWEEP_EMPTY_AXIS', 'A sweep needs at least one prompt.')
  if (spec.models.length === 0) throw new SweepError('SWEEP_EMPTY_AXIS', 'A sweep needs at least one model.')
  const size = sweepSize(spec)
  if (size > SWEEP_MAX_JOBS)
    throw new SweepError(
      'SWEEP_TOO_LARGE',
      `This sweep makes ${size} jobs (${axisCounts(spec)}); a sweep makes at most ${SWEEP_MAX_JOBS}. Remove some values.`,
    )
  const manyProviders = new Set(spec.models.map((m) => m.provider)).size > 1
  const varies = {
    prompt: spec.prompts.length > 1,
    seed: spec.seeds.length > 1,
    model: spec.models.length > 1,
    duration: spec.durations.length > 1,
    resolution: spec.resolutions.length > 1,
  }
  const cells: SweepCell[] = []
  const seeds = spec.seeds.length > 0 ? spec.seeds : [null]
  const durations = spec.durations.length > 0 ? spec.durations : [null]
  const resolutions = spec.resolutions.length > 0 ? spec.resolutions : [null]
  for (const prompt of spec.prompts)
    for (const seed of seeds)
      for (const target of spec.models)
        for (const asked of durations)
          for (const askedResolution of resolutions) {
            const info = providerInfo(target.provider)
            const model = findModel(target.provider, target.model)
            const fallback = model ?? (info.models[0] as ModelInfo)
            const base = {
              provider: target.provider,
              model: target.model,
              prompt,
              seed,
              duration: asked ?? fallback.defaultDuration,
              resolution: askedResolution ?? fallback.defaultResolution,
              aspectRatio: spec.aspectRatio ?? fallback.defaultRatio,
              // Only what the model takes, as the composer sends it (capabilities.ts submitPayload).
              cameraFixed: fallback.cameraFixed ? (spec.cameraFixed ?? null) : null,
              audio: fallback.audio ? (spec.audio ?? null) : null,
            }
            const vary: Partial<Record<SweepAxis, string>> = {}
            if (varies.prompt) vary.prompt = short(prompt)
            if (varies.seed) vary.seed = `seed ${seed}`
            if (varies.model) vary.model = modelWords(target.provider, model, target.model, manyProviders)
            if (varies.duration) vary.duration = base.duration === 0 ? 'auto' : `${base.duration} s`
            if (varies.resolution) vary.resolution = base.resolution
            const problem = model
              ? requestProblem(cellRequest(base), info, model)
              : { code: 'UNKNOWN_MODEL', message: `${info.label} has no model "${target.model}".` }
            cells.push({
              ...base,
              index: cells.length,
              vary: vary as Record<string, string>,
              label: Object.values(vary).join(' · ') || `Take ${cells.length + 1}`,
              estimate: cellEstimate(base, fallback),
              problem,
            })
          }
  return { cells, ...totalsOf(cells) }
}

function axisCounts(spec: SweepSpec): string {
  const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`
  return [
    n(spec.prompts.length, 'prompt', 'prompts'),
    n(Math.max(1, spec.seeds.length), 'seed', 'seeds'),
    n(spec.models.length, 'model', 'models'),
    n(Math.max(1, spec.durations.length), 'duration', 'durations'),
    n(Math.max(1, spec.resolutions.length), 'resolution', 'resolutions'),
  ].join(' × ')
}

/** The plan, or SWEEP_NOTHING_TO_QUEUE naming why the first cell is refused when none can be made. */
export function queueablePlan(spec: SweepSpec): SweepPlan {
  const plan = planSweep(spec)
  const first = plan.cells[0]
  if (plan.ready === 0 && first?.problem)
    throw new SweepError(
      'SWEEP_NOTHING_TO_QUEUE',
      `None of the ${plan.cells.length} jobs can be made: ${first.problem.message}${plan.cells.length > 1 ? ' (and so on for the others)' : ''}`,
    )
  return plan
}

/** "Seedance 1.0 Pro on BytePlus ModelArk", for messages. */
export function cellModelName(cell: Pick<SweepCell, 'provider' | 'model'>): string {
  const model = findModel(cell.provider, cell.model)
  return model ? modelName(providerInfo(cell.provider), model) : cell.model
}

/** What sweep:submit did with each cell. */
export interface SweepSubmitted {
  id: string
  plan: SweepPlan
  cells: Array<{
    index: number
    label: string
    vary: SweepCell['vary']
    /** queued: a new job; joined: the same request already in the queue; exists: already in the library. */
    status: 'queued' | 'joined' | 'exists' | 'refused'
    jobId: string | null
    /** The library video, for a cell already made. */
    videoId: string | null
    message: string | null
  }>
}
