// A VideoProvider held in memory, for the job manager's unit tests: no HTTP. The test decides what the service says
// (a job's phase, a lost answer, a refusal) and reads back every call made, so a test can assert "asked only its own
// provider", "never sent twice" or "one grouped poll".
import { ApiError, CLIENT_ERROR } from '../../electron/core/providers/errors'
import type {
  CancelOutcome,
  KeyCheck,
  ProviderSubmission,
  RemotePage,
  RemoteSnapshot,
  VideoProvider,
} from '../../electron/core/providers/port'
import { type ProviderId, providerInfo } from '../../electron/shared/providers'

export function snapshot(remoteId: string, over: Partial<RemoteSnapshot> = {}): RemoteSnapshot {
  return {
    remoteId,
    phase: 'queued',
    serviceStatus: 'queued',
    error: null,
    queuePosition: null,
    eta: null,
    createdAt: null,
    completedAt: null,
    runMs: null,
    videoUrl: null,
    lastFrameUrl: null,
    thumbnailUrl: null,
    linkExpiresAt: null,
    width: null,
    height: null,
    declaredBytes: null,
    cost: null,
    seed: null,
    echo: null,
    ...over,
  }
}

export interface FakeCall {
  method: 'submit' | 'get' | 'list' | 'cancel' | 'checkKey'
  ids: string[]
}

export class FakeProvider implements VideoProvider {
  readonly id: ProviderId
  readonly info
  readonly baseUrl: string
  readonly calls: FakeCall[] = []
  /** What the service holds, by remote id. */
  readonly remote = new Map<string, RemoteSnapshot>()
  /** The next submissions' fate: 'ok' (accepted), 'lost' (created, answer lost), 'lost-nothing' (not created, answer lost), or an error to throw. */
  readonly submitScript: Array<'ok' | 'lost' | 'lost-nothing' | ApiError> = []
  /** Set to throw this from the next get (a passing fault). */
  getFault: ApiError | null = null
  cancelOutcome: CancelOutcome | ApiError = 'cancelled'
  private seq = 0
  declare list?: VideoProvider['list']

  constructor(
    id: ProviderId,
    o: {
      baseUrl?: string
      canList?: boolean
      now?: () => number /** the service's ETA, after submit */
      etaMs?: number
    } = {},
  ) {
    this.id = id
    this.etaMs = o.etaMs ?? null
    this.info = providerInfo(id)
    this.baseUrl = o.baseUrl ?? `https://${id}.example`
    const now = o.now ?? Date.now
    this.now = now
    if (o.canList ?? this.info.canList)
      this.list = async ({ limit }: { limit: number; cursor?: string | null }): Promise<RemotePage> => {
        this.calls.push({ method: 'list', ids: [] })
        return { jobs: [...this.remote.values()].reverse().slice(0, limit), next: null }
      }
  }

  private readonly now: () => number
  private readonly etaMs: number | null

  submitted(): number {
    return this.calls.filter((c) => c.method === 'submit').length
  }

  /** Move a job at the service (the test plays the service finishing or failing it). */
  set(remoteId: string, over: Partial<RemoteSnapshot>): void {
    const current = this.remote.get(remoteId) ?? snapshot(remoteId)
    this.remote.set(remoteId, { ...current, ...over })
  }

  async submit({ request }: ProviderSubmission): Promise<RemoteSnapshot> {
    const fate = this.submitScript.shift() ?? 'ok'
    this.seq += 1
    const remoteId = `${this.id}_${this.seq}`
    this.calls.push({ method: 'submit', ids: [remoteId] })
    if (fate instanceof ApiError) throw fate
    if (fate !== 'lost-nothing') {
      this.remote.set(
        remoteId,
        snapshot(remoteId, {
          createdAt: this.now(),
          eta: this.etaMs === null ? null : this.now() + this.etaMs,
          echo: {
            prompt: request.prompt,
            model: request.model,
            mode: request.mode,
            duration: request.duration,
            resolution: request.resolution,
            ...(request.aspectRatio ? { ratio: request.aspectRatio } : {}),
          },
        }),
      )
    }
    if (fate !== 'ok')
      throw new ApiError({ code: CLIENT_ERROR.outcomeUnknown, message: 'no answer', outcomeUnknown: true })
    return this.remote.get(remoteId) as RemoteSnapshot
  }

  async get(jobs: ReadonlyArray<{ remoteId: string; model: string }>): Promise<Map<string, RemoteSnapshot | null>> {
    this.calls.push({ method: 'get', ids: jobs.map((j) => j.remoteId) })
    if (this.getFault) throw this.getFault
    return new Map(jobs.map((j) => [j.remoteId, this.remote.get(j.remoteId) ?? null]))
  }

  async cancel(job: { remoteId: string; model: string }): Promise<CancelOutcome> {
    this.calls.push({ method: 'cancel', ids: [job.remoteId] })
    if (this.cancelOutcome instanceof ApiError) throw this.cancelOutcome
    return this.cancelOutcome
  }

  async checkKey(): Promise<KeyCheck> {
    this.calls.push({ method: 'checkKey', ids: [] })
    return { limit: null, remaining: null, resetAt: null }
  }
}
