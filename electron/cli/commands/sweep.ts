// `seedance sweep --prompt A --prompt B --seed 1 --seed 2 --model ark:M1 --model fal:M2 [--dry-run]` (issue 11,
// point 4): prints the grid (each job, what varies, its cost or why its model refuses it) and the total per provider
// and in USD, then, unless --dry-run, queues every job in one step and waits for them like `seedance batch`,
// writing a results CSV (one row per job, named by what varied).
import path from 'node:path'
import { planOrRefuse, submitSweep } from '../../core/jobs/sweep'
import { writeFileAtomic } from '../../core/util/atomic-write'
import { PROVIDER_IDS, type ProviderId, providerInfo, RESOLUTIONS, type Resolution } from '../../shared/providers'
import type { SweepSpec } from '../../shared/sweep'
import { UsageError, type Values } from '../args'
import { formatResults } from '../batch'
import { EXIT } from '../exit-codes'
import { type Io, stoppedShort, withEngine } from '../session'
import { describePlan, resultsOf } from '../sweep-report'
import { clean } from '../terminal'
import { durationFlag, resolveTarget, seedFlag } from './request-flags'

/** `--model`: `provider:model`, or a model id only one provider has (with --provider: that provider's). */
function modelFlag(value: string, provider: string | undefined): { provider: ProviderId; model: string } {
  const colon = value.indexOf(':')
  const named = colon > 0 && (PROVIDER_IDS as readonly string[]).includes(value.slice(0, colon).toLowerCase())
  const target = named
    ? resolveTarget({ provider: value.slice(0, colon), model: value.slice(colon + 1) })
    : resolveTarget({ provider, model: value })
  return target as { provider: ProviderId; model: string }
}

/** The sweep's axes from the command line; a model left out is the engine's default (Settings, or automatic). */
export function specFromFlags(
  lists: Record<string, string[]>,
  values: Values,
  fallback: () => { provider: ProviderId; model: string },
): SweepSpec {
  const prompts = lists.prompt ?? []
  if (prompts.length === 0)
    throw new UsageError('sweep needs at least one --prompt: seedance sweep --prompt "a fox" --seed 1 --seed 2')
  const provider = values.provider as string | undefined
  const models = (lists.model ?? []).map((m) => modelFlag(m, provider))
  if (models.length === 0) {
    const asked = provider ? resolveTarget({ provider }) : null
    models.push(
      asked?.provider ? { provider: asked.provider, model: providerInfo(asked.provider).defaultModel } : fallback(),
    )
  }
  const resolutions = (lists.resolution ?? []).map((r) => {
    if (!(RESOLUTIONS as readonly string[]).includes(r))
      throw new UsageError(`--resolution must be one of ${RESOLUTIONS.join(', ')} (got "${r}").`)
    return r as Resolution
  })
  if (values.audio && values['no-audio']) throw new UsageError('--audio and --no-audio cannot both be given.')
  return {
    prompts,
    seeds: (lists.seed ?? []).map((s) => {
      const seed = seedFlag(s)
      if (seed === null) throw new UsageError('--seed -1 (random) is the same as no --seed; give fixed seeds.')
      return seed
    }),
    models,
    durations: (lists.duration ?? []).map((d) => durationFlag(d) as number),
    resolutions,
    aspectRatio: (values.aspect as SweepSpec['aspectRatio']) ?? null,
    cameraFixed: values['camera-fixed'] === true ? true : null,
    audio: values.audio === true ? true : values['no-audio'] === true ? false : null,
  }
}

export async function sweep(
  positionals: string[],
  values: Values,
  lists: Record<string, string[]>,
  io: Io,
): Promise<number> {
  if (positionals.length > 0)
    throw new UsageError(`sweep takes its prompts as --prompt (got "${clean(positionals[0] ?? '')}").`)
  const dryRun = values['dry-run'] === true
  // The models are the sweep's own (--model, repeated): the engine opens on its default door.
  const { model: _m, provider: _p, ...engineValues } = values
  return withEngine(
    engineValues,
    io,
    async (session) => {
      const { engine } = session
      const spec = specFromFlags(lists, values, () => ({
        provider: engine.connection.provider,
        model: engine.connection.model,
      }))
      const plan = planOrRefuse(spec)
      // Before anything is queued; on a dry run it is the output itself.
      ;(dryRun ? io.out : io.err).write(describePlan(plan))
      if (dryRun) return EXIT.ok
      const submitted = await submitSweep(engine, spec)
      const mine = new Map(submitted.cells.filter((c) => c.jobId).map((c) => [c.jobId as string, c.label]))
      const outcome =
        mine.size > 0
          ? await session.wait(
              (j) => mine.has(j.id),
              (j) => mine.get(j.id) ?? 'job',
            )
          : ({ kind: 'idle' } as const)
      const results = resultsOf(submitted.cells, engine)
      const csv = formatResults(results)
      if (typeof values.results === 'string') await writeFileAtomic(path.resolve(values.results), csv)
      else io.out.write(csv)
      const short = stoppedShort(outcome, io)
      if (short !== null) return short
      const statuses = new Set(results.map((r) => r.status))
      return statuses.has('failed') || statuses.has('pending') ? EXIT.failed : EXIT.ok
    },
    { resume: !dryRun },
  )
}
