// Settings changes, one seam of the engine (engine.ts assembles them): a patch merged per door and checked (base
// URLs by the service URL rule, models against the catalog), the key moves it would make (for main's dialog), and
// when it may apply. Changing the default door, a model or the Sandbox switch is always allowed: jobs already sent
// keep their own route (doors/route.ts), so the rule before issue 10 ("no switch while jobs run") is relaxed to what
// would still strand a job: moving a door's address (a base URL, Ark's region) while its jobs are out at its service.
import type { JobRecord } from '../shared/model'
import { findModel, isProviderId, type ProviderId, providerInfo } from '../shared/providers'
import { SERVICE_URL_ERROR, serviceUrlProblem } from '../shared/service-url'
import { jobsAtService } from './doors/keys'
import { EngineError } from './engine-error'
import type { KeyBinding, KeyOriginChange } from './settings/key-binding'
import { normaliseSettings, type Settings } from './settings/settings'

export interface SettingsChangeDeps {
  /** The engine's settings object, changed in place (every part reads it). */
  settings: Settings
  defaultLibrary: string
  binding: KeyBinding
  jobs: { list(): JobRecord[] }
  save: () => Promise<void> | void
  /** Work the doors out again once the change is saved. */
  reconnect: () => Promise<unknown>
}

export function createSettingsChange(d: SettingsChangeDeps) {
  const { settings } = d
  return {
    /** The moves a patch would make for bound keys, for main to confirm one by one; empty when none. */
    keyOriginChange: async (patch: Partial<Settings>): Promise<KeyOriginChange[]> =>
      d.binding.changes(patched(settings, patch, d.defaultLibrary)),

    /**
     * Apply a patch: saved, then the doors worked out again. `keyFollows`: the providers whose stored key the user
     * let follow its new address (main's dialog); every other bound key stays pinned where it was.
     */
    async updateSettings(patch: Partial<Settings>, change: { keyFollows?: readonly ProviderId[] } = {}) {
      const next = patched(settings, patch, d.defaultLibrary)
      if (next.libraryDir !== settings.libraryDir)
        throw new EngineError(
          'INVALID_FOLDER',
          'The library folder changes through changeLibraryFolder (move its videos, or use the new folder as it is).',
        )
      for (const provider of movedDoors(settings, next)) {
        const busy = jobsAtService(d.jobs.list(), provider)
        if (busy > 0)
          throw new EngineError(
            'JOBS_ACTIVE',
            `${busy} ${providerInfo(provider).label} job${busy === 1 ? ' is' : 's are'} running at its service; change its address when they have finished.`,
          )
      }
      const moves = await d.binding.changes(next)
      const follows = new Set(change.keyFollows ?? [])
      next.keyOrigins = { ...settings.keyOrigins }
      for (const move of moves) next.keyOrigins[move.provider] = follows.has(move.provider) ? move.to : move.from
      Object.assign(settings, next)
      await d.save()
      await d.reconnect()
      return { ...settings }
    },
  }
}

/**
 * Settings with a patch applied, checked: models and base URLs merge per door ('' puts a door's default base URL
 * back), a base URL must pass the service URL rule (INVALID_BASE_URL) and a model must be its door's
 * (UNKNOWN_MODEL). keyOrigins is never patched: only the key actions and a confirmed move bind a key.
 */
export function patched(settings: Settings, patch: Partial<Settings>, defaultLibrary: string): Settings {
  const { keyOrigins: _notSettable, ...rest } = patch
  const baseUrls = { ...settings.baseUrls }
  for (const [provider, raw] of Object.entries(rest.baseUrls ?? {})) {
    if (!isProviderId(provider) || raw === undefined) continue
    const url = raw.trim()
    if (url === '') {
      delete baseUrls[provider]
      continue
    }
    const problem = serviceUrlProblem(url)
    if (problem) throw new EngineError(SERVICE_URL_ERROR.invalid, `${providerInfo(provider).label}: ${problem}`)
    baseUrls[provider] = url
  }
  for (const [provider, model] of Object.entries(rest.models ?? {}))
    if (isProviderId(provider) && model && !findModel(provider, model))
      throw new EngineError('UNKNOWN_MODEL', `${providerInfo(provider).label} has no model "${model}".`)
  const models = { ...settings.models, ...rest.models }
  return normaliseSettings({ ...settings, ...rest, models, baseUrls }, defaultLibrary)
}

/** Doors whose real service address differs between two settings (a base URL, or Ark's region). */
function movedDoors(before: Settings, after: Settings): ProviderId[] {
  const moved = new Set<ProviderId>()
  for (const p of new Set([...Object.keys(before.baseUrls), ...Object.keys(after.baseUrls)]))
    if (isProviderId(p) && before.baseUrls[p] !== after.baseUrls[p]) moved.add(p)
  if (before.arkRegion !== after.arkRegion && !after.baseUrls.ark) moved.add('ark')
  return [...moved]
}

/**
 * The base URLs given for this run, each checked by the service URL rule (INVALID_BASE_URL, naming where it came
 * from). `baseUrl` (the CLI's --base-url) applies to the door chosen for the run (--provider, else Settings), else
 * the guide's API: the automatic choice depends on keys, whose binding depends on the base URL. `strict`: the chosen
 * door, when its address was given for this run: a stored key not allowed there is an error, not a quiet Sandbox.
 */
export function runBaseUrls(
  options: { baseUrl?: string; baseUrls?: Partial<Record<ProviderId, string>> },
  chosen: ProviderId,
): { baseUrls: Partial<Record<ProviderId, string>>; strict: ProviderId | null } {
  const out: Partial<Record<ProviderId, string>> = {}
  for (const [provider, url] of Object.entries(options.baseUrls ?? {})) {
    if (!isProviderId(provider) || url === undefined) continue
    const problem = serviceUrlProblem(url)
    if (problem)
      throw new EngineError(SERVICE_URL_ERROR.invalid, `${providerInfo(provider).baseUrlEnv} ${url}: ${problem}`)
    out[provider] = url
  }
  if (options.baseUrl !== undefined) {
    const problem = serviceUrlProblem(options.baseUrl)
    if (problem) throw new EngineError(SERVICE_URL_ERROR.invalid, `--base-url ${options.baseUrl}: ${problem}`)
    out[chosen] = options.baseUrl
  }
  return { baseUrls: out, strict: out[chosen] !== undefined ? chosen : null }
}
