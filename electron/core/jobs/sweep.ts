// A sweep queued in one step (issue 11, point 4), for the app (sweep:submit) and `seedance sweep`: the grid is
// expanded and every cell checked and costed by shared/sweep.ts (what the preview showed), every cell that can be
// made is prepared by the engine's own check before any is queued (so a refusal queues nothing), then each is asked
// for by the one submit rule (submit-rule.ts: a request already in the queue is joined, one already in the library
// is offered), tagged with the sweep's id and what varied so its video can be grouped with the others.
import { randomUUID } from 'node:crypto'
import type { GenerationRequest, JobRecord } from '../../shared/model'
import { queueablePlan, type SweepCell, SweepError, type SweepSpec, type SweepSubmitted } from '../../shared/sweep'
import { EngineError } from '../engine-error'
import type { RequestInput } from '../prepare-request'
import type { SubmitOutcome } from './submit-rule'

export interface SweepEngine {
  prepare(input: RequestInput): Promise<GenerationRequest>
  jobs: {
    submitOrJoin(
      request: GenerationRequest,
      options: { sweep: NonNullable<JobRecord['sweep']> },
    ): Promise<SubmitOutcome>
  }
}

/** The engine's input for a cell: text to video, with only what its model takes (shared/sweep.ts fills that). */
export function cellInput(cell: SweepCell): RequestInput {
  return {
    provider: cell.provider,
    model: cell.model,
    prompt: cell.prompt,
    duration: cell.duration,
    resolution: cell.resolution,
    aspectRatio: cell.aspectRatio,
    seed: cell.seed,
    cameraFixed: cell.cameraFixed,
    audio: cell.audio,
  }
}

/** The plan, with a sweep's own refusals as the engine's errors (a stable code, the user's words). */
export function planOrRefuse(spec: SweepSpec): ReturnType<typeof queueablePlan> {
  try {
    return queueablePlan(spec)
  } catch (error) {
    if (error instanceof SweepError) throw new EngineError(error.code, error.message)
    throw error
  }
}

export async function submitSweep(
  engine: SweepEngine,
  spec: SweepSpec,
  options: { id?: string } = {},
): Promise<SweepSubmitted> {
  const plan = planOrRefuse(spec)
  const id = options.id ?? randomUUID()
  // Every request first: the engine's check (and copying nothing, text only) refuses before a single job is queued.
  const prepared = new Map<number, GenerationRequest>()
  for (const cell of plan.cells) if (!cell.problem) prepared.set(cell.index, await engine.prepare(cellInput(cell)))
  const cells: SweepSubmitted['cells'] = []
  for (const cell of plan.cells) {
    const base = { index: cell.index, label: cell.label, vary: cell.vary }
    const request = prepared.get(cell.index)
    if (!request) {
      cells.push({ ...base, status: 'refused', jobId: null, videoId: null, message: cell.problem?.message ?? null })
      continue
    }
    const outcome = await engine.jobs.submitOrJoin(request, { sweep: { id, vary: cell.vary } })
    if (outcome.kind === 'exists')
      cells.push({
        ...base,
        status: 'exists',
        jobId: null,
        videoId: outcome.entry.id,
        message: 'Already in the library: not made again.',
      })
    else
      cells.push({
        ...base,
        status: outcome.kind === 'new' ? 'queued' : 'joined',
        jobId: outcome.job.id,
        videoId: outcome.job.videoId,
        message: outcome.kind === 'joined' ? 'Already in the queue: joined, not sent again.' : null,
      })
  }
  return { id, plan, cells }
}
