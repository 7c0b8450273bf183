// Takes to compare, for the compare view's browser test and benchmark: clips of one size and length rendered by
// the Sandbox's renderer (so they differ as takes of one prompt do: another seed, another picture), optionally
// kept in a cache folder between runs, and recorded in the engine's library as finished downloads are.
import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'
import type { Engine } from '../../../electron/core/engine'
import { videoBaseName } from '../../../electron/core/library/naming'
import { probeMp4 } from '../../../electron/core/media/mp4-probe'
import { RenderPool } from '../../../electron/sandbox/render/pool'
import type { LibraryEntry, Resolution } from '../../../electron/shared/model'

export interface TakeSpec {
  count: number
  width: number
  height: number
  resolution: Resolution
  seconds: number
  prompt: string
  /** Keep the rendered clips here and reuse them on the next run (a benchmark's 1080p clips take a while). */
  cacheDir?: string
}

interface Clip {
  mp4: Uint8Array
  thumb: Buffer
}

async function renderTakes(spec: TakeSpec): Promise<Clip[]> {
  const names = Array.from(
    { length: spec.count },
    (_, i) => `take-${spec.width}x${spec.height}-${spec.seconds}s-${i + 1}`,
  )
  const cached = spec.cacheDir ? names.every((n) => existsSync(path.join(spec.cacheDir as string, `${n}.mp4`))) : false
  if (cached && spec.cacheDir) {
    const dir = spec.cacheDir
    return Promise.all(
      names.map(async (n) => ({
        mp4: new Uint8Array(await readFile(path.join(dir, `${n}.mp4`))),
        thumb: await readFile(path.join(dir, `${n}.jpg`)),
      })),
    )
  }
  const pool = new RenderPool(2)
  try {
    const clips: Clip[] = []
    // One at a time: each render already uses every worker.
    for (let i = 0; i < spec.count; i++) {
      const out = await pool.render({
        width: spec.width,
        height: spec.height,
        fps: 24,
        frames: Math.round(spec.seconds * 24),
        scene: { kind: 'text', prompt: spec.prompt, style: '', seed: 101 + i },
      })
      const thumb = await sharp(out.thumbnail.rgba, {
        raw: { width: out.thumbnail.width, height: out.thumbnail.height, channels: 4 },
      })
        .resize(640, 640, { fit: 'inside' })
        .jpeg({ quality: 82 })
        .toBuffer()
      clips.push({ mp4: out.mp4, thumb })
    }
    if (spec.cacheDir) {
      await mkdir(spec.cacheDir, { recursive: true })
      for (const [i, n] of names.entries()) {
        await writeFile(path.join(spec.cacheDir, `${n}.mp4`), (clips[i] as Clip).mp4)
        await writeFile(path.join(spec.cacheDir, `${n}.jpg`), (clips[i] as Clip).thumb)
      }
    }
    return clips
  } finally {
    await pool.close()
  }
}

/** Render (or reuse) the takes and add them to the library; returns their entries in take order. */
export async function seedTakes(engine: Engine, spec: TakeSpec): Promise<LibraryEntry[]> {
  const clips = await renderTakes(spec)
  const now = Date.now()
  const entries: LibraryEntry[] = []
  for (const [i, clip] of clips.entries()) {
    const createdAt = now - i * 60_000
    const id = `take${String(i + 1).padStart(2, '0')}`
    const file = `${videoBaseName(createdAt, `${spec.prompt} take ${i + 1}`, id)}.mp4`
    await writeFile(path.join(engine.library.dir, file), clip.mp4)
    const thumbnail = `${id}.jpg`
    await writeFile(path.join(engine.library.thumbsDir, thumbnail), clip.thumb)
    const probe = probeMp4(clip.mp4)
    const entry: LibraryEntry = {
      id,
      file,
      title: `${spec.prompt} (take ${i + 1})`,
      prompt: spec.prompt,
      mode: 'text',
      duration: Math.round(probe.durationSeconds * 10) / 10,
      resolution: spec.resolution,
      aspectRatio: '16:9',
      style: null,
      motionIntensity: null,
      width: probe.width,
      height: probe.height,
      sizeBytes: clip.mp4.length,
      sha256: '',
      createdAt,
      generationMs: 40_000,
      credits: 1,
      favorite: false,
      fingerprint: null,
      jobId: null,
      remoteId: null,
      image: null,
      thumbnail,
      expired: false,
      external: false,
    }
    await engine.library.add(entry)
    entries.push(entry)
  }
  return entries
}
