// The Sandbox's jobs: created on submit, rendered at once by the worker pool, and reported as
// queued → processing → completed | failed on the schedule a real generation would keep.
import { randomUUID } from 'node:crypto'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'
import type { ProviderId, Resolution } from '../shared/providers'
import type { RenderPool } from './render/pool'
import type { SceneInput } from './render/protocol'
import { seedFrom } from './render/rng'
import type { UrlSigner } from './signed-urls'
import type { WebhookRegistry } from './webhooks'

/** The guide's status names (its list filter); every door maps the store's phase to its own words. */
export const JOB_STATUSES = ['queued', 'processing', 'completed', 'failed'] as const
export type JobStatus = (typeof JOB_STATUSES)[number]
/** A job's phase in the store: the guide's four, and cancelled (doors with a cancel endpoint). */
export type JobPhase = JobStatus | 'cancelled'
export type JobMode = 'text-to-video' | 'image-to-video'

/** What a job was asked for, whichever door it came through. */
export interface JobParams {
  prompt: string
  duration: number
  resolution: Resolution
  /** A concrete ratio ('16:9'…): `adaptive` is resolved by the door before the job is made. */
  aspect_ratio: string
  style: string | null
  motion_intensity: number | null
  /** The model asked for (doors other than the guide's). */
  model?: string
  /** The seed used (a door picks one when the client asks for random): the same seed, the same video. */
  seed?: number | null
  camera_fixed?: boolean | null
  audio?: boolean | null
  /** Keep the clip's last frame as a PNG (Ark's `return_last_frame`), served as /files/<id>/last_frame.png. */
  lastFrame?: boolean
}

export const FPS = 24

export interface SandboxJob {
  id: string
  /** The door it came through: a door sees only its own jobs. */
  door: ProviderId
  owner: string
  mode: JobMode
  params: JobParams
  width: number
  height: number
  credits: number
  createdAt: number
  queuedUntil: number
  estimatedAt: number
  willFail: boolean
  render: 'pending' | 'done' | 'error'
  renderError?: string
  renderedAt?: number
  fileBytes?: number
  refunded: boolean
  notified: boolean
  /** Cancelled while queued (doors with a cancel endpoint). */
  cancelled: boolean
}

export interface JobResource {
  job_id: string
  status: JobStatus
  mode: JobMode
  prompt: string
  duration: number
  resolution: Resolution
  aspect_ratio: string
  style: string | null
  motion_intensity: number | null
  credits_used: number
  created_at: string
  estimated_completion: string
  completed_at: string | null
  output?: {
    video_url: string
    thumbnail_url: string
    duration: number
    resolution: Resolution
    width: number
    height: number
    file_size_mb: number
    expires_at: string
  }
  error?: { code: string; message: string }
}

export interface JobStoreDeps {
  now: () => number
  random: () => number
  pool: RenderPool
  outputDir: string
  signer: UrlSigner
  baseUrl: () => string
  webhooks: WebhookRegistry
  genSeconds: { min: number; max: number }
  jobFailureRate: number
  urlTtlSeconds: number
  retentionSeconds: number
  refund: (credits: number) => void
  log: ((line: string) => void) | null
}

const iso = (ms: number) => new Date(ms).toISOString()

export class JobStore {
  private readonly jobs = new Map<string, SandboxJob>()
  private readonly timers = new Set<ReturnType<typeof setTimeout>>()
  /** Renders under way, so close() can wait for their last writes before the output folder is removed. */
  private readonly rendering = new Set<Promise<void>>()
  private closed = false

  constructor(private readonly deps: JobStoreDeps) {}

  /**
   * A new job, rendered at once. `door` defaults to the guide's; `startAt` (ms) holds it queued until then (a door
   * whose service queues past its concurrency, such as fal); `id` lets a door use its service's id form.
   */
  create(
    owner: string,
    mode: JobMode,
    params: JobParams,
    size: { width: number; height: number },
    credits: number,
    image?: Omit<Extract<SceneInput, { kind: 'image' }>, 'kind' | 'prompt' | 'motion'>,
    more: { door?: ProviderId; startAt?: number; id?: string } = {},
  ): SandboxJob {
    const { now, random, genSeconds } = this.deps
    const createdAt = now()
    const genMs = Math.round((genSeconds.min + (genSeconds.max - genSeconds.min) * random()) * 1000)
    const queueMs = Math.min(2000, genMs * 0.15)
    const queuedUntil = Math.max(createdAt + queueMs, more.startAt ?? 0)
    const job: SandboxJob = {
      id: more.id ?? `job_${randomUUID().replace(/-/g, '').slice(0, 20)}`,
      door: more.door ?? 'seedance',
      owner,
      mode,
      params,
      ...size,
      credits,
      createdAt,
      queuedUntil,
      estimatedAt: queuedUntil + genMs - queueMs,
      willFail: random() < this.deps.jobFailureRate,
      render: 'pending',
      refunded: false,
      notified: false,
      cancelled: false,
    }
    this.jobs.set(job.id, job)
    this.deps.log?.(
      `${job.id} created: ${mode} ${params.duration}s ${params.resolution} ${params.aspect_ratio}, ready in ${(genMs / 1000).toFixed(1)} s${job.willFail ? ' (will fail: injected fault)' : ''}`,
    )
    if (!job.willFail) {
      const render = this.renderJob(job, image).finally(() => this.rendering.delete(render))
      this.rendering.add(render)
    }
    this.after(job.estimatedAt - createdAt, () => this.settle(job))
    return job
  }

  get(owner: string, id: string, door: ProviderId = 'seedance'): SandboxJob | undefined {
    const job = this.jobs.get(id)
    return job && job.owner === owner && job.door === door ? job : undefined
  }

  /** Newest first; jobs made in the same millisecond in the reverse of their creation order too (the map keeps it). */
  list(owner: string, status: JobPhase | null, door: ProviderId = 'seedance'): SandboxJob[] {
    return [...this.jobs.values()]
      .reverse()
      .filter((j) => j.owner === owner && j.door === door && (status === null || this.status(j) === status))
      .sort((a, b) => b.createdAt - a.createdAt)
  }

  /** Jobs queued or generating, of one door. */
  active(owner: string, door: ProviderId = 'seedance'): SandboxJob[] {
    return [...this.jobs.values()].filter(
      (j) => j.owner === owner && j.door === door && ['queued', 'processing'].includes(this.status(j)),
    )
  }

  /**
   * Cancel a job: only while it is still queued (as Ark allows); 'running' or 'final' when too late. A cancelled
   * job's credits are refunded and it never has a result anyone can fetch.
   */
  cancel(job: SandboxJob): 'cancelled' | 'running' | 'final' {
    const status = this.status(job)
    if (status === 'cancelled') return 'cancelled'
    if (status === 'processing') return 'running'
    if (status !== 'queued') return 'final'
    job.cancelled = true
    if (!job.refunded) {
      job.refunded = true
      this.deps.refund(job.credits)
    }
    return 'cancelled'
  }

  /** Remove a job's record (Ark's DELETE of a finished task); its files go with it. */
  forget(job: SandboxJob): void {
    this.jobs.delete(job.id)
    void rm(path.join(this.deps.outputDir, job.id), { recursive: true, force: true })
  }

  /** Signed links to a finished job's files, valid for `ttlSeconds` but never past the Sandbox's retention. */
  fileUrls(
    job: SandboxJob,
    ttlSeconds: number,
  ): { video: string; thumbnail: string; lastFrame: string; expiresAt: number } {
    const completed = this.completedAt(job) ?? this.deps.now()
    const expires = Math.floor(
      Math.min(this.deps.now() + ttlSeconds * 1000, completed + this.deps.retentionSeconds * 1000) / 1000,
    )
    const base = this.deps.baseUrl()
    return {
      video: this.deps.signer.sign(base, `/files/${job.id}/video.mp4`, expires),
      thumbnail: this.deps.signer.sign(base, `/files/${job.id}/thumbnail.jpg`, expires),
      lastFrame: this.deps.signer.sign(base, `/files/${job.id}/last_frame.png`, expires),
      expiresAt: expires * 1000,
    }
  }

  status(job: SandboxJob): JobPhase {
    const now = this.deps.now()
    if (job.cancelled) return 'cancelled'
    if (now < job.queuedUntil) return 'queued'
    if (now < job.estimatedAt) return 'processing'
    if (job.willFail || job.render === 'error') return 'failed'
    return job.render === 'done' ? 'completed' : 'processing'
  }

  completedAt(job: SandboxJob): number | null {
    const status = this.status(job)
    if (status === 'completed') return Math.max(job.estimatedAt, job.renderedAt ?? job.estimatedAt)
    if (status === 'failed') return job.estimatedAt
    return null
  }

  /** Where a finished job's file lives; null once it has expired or for an unknown job. */
  filePath(jobId: string, name: string): string | null {
    const job = this.jobs.get(jobId)
    const done = job && this.completedAt(job)
    if (!job || !done || this.status(job) !== 'completed') return null
    if (this.deps.now() > done + this.deps.retentionSeconds * 1000) return null
    return path.join(this.deps.outputDir, jobId, name)
  }

  /** The guide's job resource (its door has no cancel, so a guide job is never cancelled). */
  resource(job: SandboxJob): JobResource {
    const status = this.status(job) as JobStatus
    const completed = this.completedAt(job)
    const r: JobResource = {
      job_id: job.id,
      status,
      mode: job.mode,
      prompt: job.params.prompt,
      duration: job.params.duration,
      resolution: job.params.resolution,
      aspect_ratio: job.params.aspect_ratio,
      style: job.params.style,
      motion_intensity: job.params.motion_intensity,
      credits_used: job.credits,
      created_at: iso(job.createdAt),
      estimated_completion: iso(job.estimatedAt),
      completed_at: completed === null ? null : iso(completed),
    }
    if (status === 'completed' && completed !== null) {
      const urls = this.fileUrls(job, this.deps.urlTtlSeconds)
      r.output = {
        video_url: urls.video,
        thumbnail_url: urls.thumbnail,
        duration: job.params.duration,
        resolution: job.params.resolution,
        width: job.width,
        height: job.height,
        file_size_mb: Math.round(((job.fileBytes ?? 0) / 1024 / 1024) * 100) / 100,
        expires_at: iso(urls.expiresAt),
      }
    }
    if (status === 'failed') {
      r.error = job.willFail
        ? { code: 'JOB_FAILED', message: 'Generation failed. Retry with the same parameters.' }
        : { code: 'JOB_FAILED', message: `Generation failed while rendering: ${job.renderError ?? 'unknown error'}` }
    }
    return r
  }

  close(): void {
    this.closed = true
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
  }

  /** Once the render pool is closed: every render has ended (failed, or written its files), none writes any more. */
  async drained(): Promise<void> {
    await Promise.allSettled([...this.rendering])
  }

  private after(ms: number, fn: () => void): void {
    if (this.closed) return
    const t = setTimeout(
      () => {
        this.timers.delete(t)
        fn()
      },
      Math.max(0, ms),
    )
    t.unref()
    this.timers.add(t)
  }

  private async renderJob(
    job: SandboxJob,
    image?: Omit<Extract<SceneInput, { kind: 'image' }>, 'kind' | 'prompt' | 'motion'>,
  ): Promise<void> {
    const { params } = job
    const scene: SceneInput = image
      ? { kind: 'image', prompt: params.prompt, motion: params.motion_intensity ?? 0.5, ...image }
      : {
          kind: 'text',
          prompt: params.prompt,
          style: params.style ?? '',
          // Same request, same video: the seed is the request itself.
          seed: seedFrom(
            job.mode,
            params.prompt,
            params.style ?? '',
            String(params.duration),
            params.resolution,
            params.aspect_ratio,
            // A seed the client fixed (or a door picked) picks the scene too: same seed, same video.
            ...(params.seed !== undefined && params.seed !== null ? [String(params.seed), params.model ?? ''] : []),
          ),
        }
    const started = this.deps.now()
    try {
      const out = await this.deps.pool.render({
        width: job.width,
        height: job.height,
        fps: FPS,
        frames: params.duration * FPS,
        scene,
      })
      const dir = path.join(this.deps.outputDir, job.id)
      await mkdir(dir, { recursive: true })
      const thumb = await sharp(out.thumbnail.rgba, {
        raw: { width: out.thumbnail.width, height: out.thumbnail.height, channels: 4 },
      })
        .resize(640, 640, { fit: 'inside' })
        .jpeg({ quality: 82, mozjpeg: true })
        .toBuffer()
      await writeFile(path.join(dir, 'thumbnail.jpg.part'), thumb)
      await rename(path.join(dir, 'thumbnail.jpg.part'), path.join(dir, 'thumbnail.jpg'))
      if (params.lastFrame) {
        // Ark: "a PNG at the same size, without watermark" (providers.md A1).
        const png = await sharp(out.lastFrame.rgba, {
          raw: { width: out.lastFrame.width, height: out.lastFrame.height, channels: 4 },
        })
          .png()
          .toBuffer()
        await writeFile(path.join(dir, 'last_frame.png.part'), png)
        await rename(path.join(dir, 'last_frame.png.part'), path.join(dir, 'last_frame.png'))
      }
      await writeFile(path.join(dir, 'video.mp4.part'), out.mp4)
      await rename(path.join(dir, 'video.mp4.part'), path.join(dir, 'video.mp4'))
      job.fileBytes = out.mp4.length
      job.render = 'done'
      job.renderedAt = this.deps.now()
      this.deps.log?.(
        `${job.id} rendered in ${((job.renderedAt - started) / 1000).toFixed(1)} s (${(out.mp4.length / 1024).toFixed(0)} KB)`,
      )
    } catch (error) {
      job.render = 'error'
      job.renderError = (error as Error).message
      this.deps.log?.(`${job.id} render failed: ${job.renderError}`)
    }
    if (this.deps.now() >= job.estimatedAt) this.settle(job)
  }

  /** Called when a job may have reached its end: notify webhooks, refund a failure, schedule cleanup. */
  private settle(job: SandboxJob): void {
    const status = this.status(job)
    if (job.notified || (status !== 'completed' && status !== 'failed')) return
    job.notified = true
    const resource = this.resource(job)
    const timestamp = iso(this.deps.now())
    // The guide's webhooks are the guide's door's: a job made through another door never fires them.
    const guide = job.door === 'seedance'
    if (status === 'failed') {
      if (!job.refunded) {
        job.refunded = true
        this.deps.refund(job.credits)
      }
      if (guide)
        this.deps.webhooks.dispatch(job.owner, 'job.failed', {
          event: 'job.failed',
          job_id: job.id,
          timestamp,
          error: resource.error,
        })
      return
    }
    const { video_url, thumbnail_url, duration, resolution } =
      resource.output ?? ({} as NonNullable<JobResource['output']>)
    if (guide)
      this.deps.webhooks.dispatch(job.owner, 'job.completed', {
        event: 'job.completed',
        job_id: job.id,
        timestamp,
        output: { video_url, thumbnail_url, duration, resolution },
      })
    // Files go away after the retention period, as the real service's do (setTimeout caps near 24.8 days).
    const keepMs = Math.min(this.deps.retentionSeconds * 1000, 2 ** 31 - 1)
    this.after(keepMs, () => void rm(path.join(this.deps.outputDir, job.id), { recursive: true, force: true }))
  }
}
