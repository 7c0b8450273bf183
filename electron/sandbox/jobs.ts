// The Sandbox's jobs: created on submit, rendered at once by the worker pool, and reported as
// queued → processing → completed | failed on the schedule a real generation would keep.
import { randomUUID } from 'node:crypto'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'
import type { RenderPool } from './render/pool'
import type { SceneInput } from './render/protocol'
import { seedFrom } from './render/rng'
import type { UrlSigner } from './signed-urls'
import type { AspectRatio, GenerationParams, Resolution } from './validation'
import type { WebhookRegistry } from './webhooks'

export const JOB_STATUSES = ['queued', 'processing', 'completed', 'failed'] as const
export type JobStatus = (typeof JOB_STATUSES)[number]
export type JobMode = 'text-to-video' | 'image-to-video'

export const FPS = 24

export interface SandboxJob {
  id: string
  owner: string
  mode: JobMode
  params: GenerationParams & { aspect_ratio: AspectRatio }
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
}

export interface JobResource {
  job_id: string
  status: JobStatus
  mode: JobMode
  prompt: string
  duration: number
  resolution: Resolution
  aspect_ratio: AspectRatio
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

  constructor(private readonly deps: JobStoreDeps) {}

  create(
    owner: string,
    mode: JobMode,
    params: SandboxJob['params'],
    size: { width: number; height: number },
    credits: number,
    image?: Omit<Extract<SceneInput, { kind: 'image' }>, 'kind' | 'prompt' | 'motion'>,
  ): SandboxJob {
    const { now, random, genSeconds } = this.deps
    const createdAt = now()
    const genMs = Math.round((genSeconds.min + (genSeconds.max - genSeconds.min) * random()) * 1000)
    const job: SandboxJob = {
      id: `job_${randomUUID().replace(/-/g, '').slice(0, 20)}`,
      owner,
      mode,
      params,
      ...size,
      credits,
      createdAt,
      queuedUntil: createdAt + Math.min(2000, genMs * 0.15),
      estimatedAt: createdAt + genMs,
      willFail: random() < this.deps.jobFailureRate,
      render: 'pending',
      refunded: false,
      notified: false,
    }
    this.jobs.set(job.id, job)
    this.deps.log?.(
      `${job.id} created: ${mode} ${params.duration}s ${params.resolution} ${params.aspect_ratio}, ready in ${(genMs / 1000).toFixed(1)} s${job.willFail ? ' (will fail: injected fault)' : ''}`,
    )
    if (!job.willFail) void this.renderJob(job, image)
    this.after(job.estimatedAt - createdAt, () => this.settle(job))
    return job
  }

  get(owner: string, id: string): SandboxJob | undefined {
    const job = this.jobs.get(id)
    return job && job.owner === owner ? job : undefined
  }

  /** Newest first. */
  list(owner: string, status: JobStatus | null): SandboxJob[] {
    return [...this.jobs.values()]
      .filter((j) => j.owner === owner && (status === null || this.status(j) === status))
      .sort((a, b) => b.createdAt - a.createdAt)
  }

  active(owner: string): SandboxJob[] {
    return [...this.jobs.values()].filter((j) => j.owner === owner && ['queued', 'processing'].includes(this.status(j)))
  }

  status(job: SandboxJob): JobStatus {
    const now = this.deps.now()
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

  resource(job: SandboxJob): JobResource {
    const status = this.status(job)
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
      const { urlTtlSeconds, retentionSeconds, signer } = this.deps
      const expires = Math.floor(
        Math.min(this.deps.now() + urlTtlSeconds * 1000, completed + retentionSeconds * 1000) / 1000,
      )
      const base = this.deps.baseUrl()
      r.output = {
        video_url: signer.sign(base, `/files/${job.id}/video.mp4`, expires),
        thumbnail_url: signer.sign(base, `/files/${job.id}/thumbnail.jpg`, expires),
        duration: job.params.duration,
        resolution: job.params.resolution,
        width: job.width,
        height: job.height,
        file_size_mb: Math.round(((job.fileBytes ?? 0) / 1024 / 1024) * 100) / 100,
        expires_at: iso(expires * 1000),
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
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
  }

  private after(ms: number, fn: () => void): void {
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
    if (status === 'failed') {
      if (!job.refunded) {
        job.refunded = true
        this.deps.refund(job.credits)
      }
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
