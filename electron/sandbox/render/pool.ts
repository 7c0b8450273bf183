// A pool of render workers. A clip is cut into key-frame-aligned segments that workers draw and encode
// in parallel; the segments are then joined into one fast-start MP4. The server thread only routes
// messages, so the Sandbox keeps answering HTTP requests while it renders.
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { joinSegments, readAvcTrack, writeAvcMp4 } from '../../node/mp4-mux'
import type { SceneInput, SegmentResult, SegmentTask } from './protocol'

export interface RenderRequest {
  width: number
  height: number
  fps: number
  frames: number
  scene: SceneInput
}

export interface RenderOutput {
  mp4: Uint8Array
  /** The middle frame, RGBA, for the thumbnail. */
  thumbnail: { rgba: Uint8Array; width: number; height: number }
  /** The last frame, RGBA (Ark's `last_frame_url`: a PNG of the clip's final frame). */
  lastFrame: { rgba: Uint8Array; width: number; height: number }
}

interface Pending {
  task: SegmentTask
  resolve(result: SegmentResult & { ok: true }): void
  reject(error: Error): void
}

/**
 * A build ships the worker as JavaScript beside this bundle. Running from TypeScript sources (tests,
 * `npm run sandbox`), a small bootstrap loads the TypeScript worker through tsx.
 */
function createWorker(): Worker {
  const here = import.meta.url
  if (!/\.ts$/.test(new URL(here).pathname)) return new Worker(new URL('./render-worker.js', here))
  return new Worker(new URL('./worker-from-source.mjs', here), {
    workerData: { entry: new URL('./worker.ts', here).href, parent: here },
  })
}

/** One GOP (a second at 24 fps) is the smallest segment worth a worker. */
const SEGMENT_ALIGN = 24

export function segmentBounds(frames: number, parts: number): Array<[number, number]> {
  const gops = Math.ceil(frames / SEGMENT_ALIGN)
  const n = Math.max(1, Math.min(parts, gops))
  const bounds: Array<[number, number]> = []
  let start = 0
  for (let i = 0; i < n; i++) {
    const end = i === n - 1 ? frames : Math.min(frames, Math.round((gops * (i + 1)) / n) * SEGMENT_ALIGN)
    if (end > start) bounds.push([start, end])
    start = end
  }
  return bounds
}

export class RenderPool {
  private readonly workers: Worker[] = []
  private readonly idle: Worker[] = []
  private readonly queue: Pending[] = []
  private readonly running = new Map<Worker, Pending>()
  private nextId = 1
  private closed = false

  constructor(readonly size: number = Math.max(1, Math.min(4, availableParallelism()))) {}

  async render(request: RenderRequest): Promise<RenderOutput> {
    const middle = Math.floor(request.frames / 2)
    const last = request.frames - 1
    const results = await Promise.all(
      segmentBounds(request.frames, this.size).map(([start, end]) =>
        this.run({
          id: this.nextId++,
          width: request.width,
          height: request.height,
          fps: request.fps,
          totalFrames: request.frames,
          start,
          end,
          scene: request.scene,
          thumbnailFrame: middle >= start && middle < end ? middle : null,
          lastFrame: last >= start && last < end ? last : null,
        }),
      ),
    )
    const track = joinSegments(results.map((r) => readAvcTrack(r.mp4)))
    if (track.samples.length !== request.frames) {
      throw new Error(`Encoder produced ${track.samples.length} frames, expected ${request.frames}`)
    }
    const thumbnail = results.find((r) => r.thumbnail)?.thumbnail
    const lastFrame = results.find((r) => r.lastFrame)?.lastFrame
    if (!thumbnail) throw new Error('No thumbnail frame was rendered')
    if (!lastFrame) throw new Error('No last frame was rendered')
    return {
      mp4: writeAvcMp4(track, request.fps),
      thumbnail: { rgba: thumbnail, width: request.width, height: request.height },
      lastFrame: { rgba: lastFrame, width: request.width, height: request.height },
    }
  }

  async close(): Promise<void> {
    this.closed = true
    for (const p of this.queue.splice(0)) p.reject(new Error('Render pool closed'))
    await Promise.all(this.workers.map((w) => w.terminate()))
    this.workers.length = 0
    this.idle.length = 0
  }

  private run(task: SegmentTask): Promise<SegmentResult & { ok: true }> {
    if (this.closed) return Promise.reject(new Error('Render pool closed'))
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject })
      this.pump()
    })
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const worker = this.idle.pop() ?? (this.workers.length < this.size ? this.spawn() : undefined)
      if (!worker) return
      const job = this.queue.shift() as Pending
      this.running.set(worker, job)
      worker.postMessage(job.task)
    }
  }

  private spawn(): Worker {
    const worker = createWorker()
    worker.unref()
    worker.on('message', (result: SegmentResult) => {
      const job = this.running.get(worker)
      this.running.delete(worker)
      if (job) {
        if (result.ok) job.resolve(result)
        else job.reject(new Error(`Render failed: ${result.message}`))
      }
      this.idle.push(worker)
      this.pump()
    })
    const fail = (error: Error) => {
      const job = this.running.get(worker)
      this.running.delete(worker)
      this.workers.splice(this.workers.indexOf(worker), 1)
      const at = this.idle.indexOf(worker)
      if (at >= 0) this.idle.splice(at, 1)
      job?.reject(error)
      if (!this.closed) this.pump()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => {
      if (this.workers.includes(worker)) fail(new Error(`Render worker exited with code ${code}`))
    })
    this.workers.push(worker)
    return worker
  }
}
