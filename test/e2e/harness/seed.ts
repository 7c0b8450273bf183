// A library with real videos for browser tests that start from a full library: each clip rendered by the
// Sandbox's renderer (one second each, so the seeding stays quick), its thumbnail made as the Sandbox
// makes one, and recorded through the engine's own library, as a finished download would be.
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'
import type { Engine } from '../../../electron/core/engine'
import { videoBaseName } from '../../../electron/core/library/naming'
import { probeMp4 } from '../../../electron/core/media/mp4-probe'
import { RenderPool } from '../../../electron/sandbox/render/pool'
import type { AspectRatio, LibraryEntry } from '../../../electron/shared/model'

const SHAPES: Partial<Record<AspectRatio, [number, number]>> = {
  '16:9': [1280, 720],
  '9:16': [720, 1280],
  '1:1': [720, 720],
}

export const SEED_PROMPTS: Array<{ prompt: string; aspect: AspectRatio; style?: string }> = [
  { prompt: 'Golden hour over the ocean, slow pan', aspect: '16:9', style: 'cinematic' },
  { prompt: 'Neon city street at night in the rain', aspect: '16:9', style: 'cyberpunk' },
  { prompt: 'Aurora over snowy mountains, stars', aspect: '16:9' },
  { prompt: 'Misty forest at dawn, drone shot', aspect: '9:16' },
  { prompt: 'Desert dunes under a red sunset', aspect: '1:1' },
  { prompt: 'Underwater coral reef with fish', aspect: '16:9' },
  { prompt: 'Fireworks over a lake at night', aspect: '9:16', style: 'vivid' },
  { prompt: 'Cherry blossoms in the wind, spring', aspect: '1:1' },
  { prompt: 'Thunderstorm clouds over fields', aspect: '16:9' },
  { prompt: 'Lava flowing into the sea', aspect: '16:9', style: 'documentary' },
  { prompt: 'Snow falling in a quiet village', aspect: '9:16' },
  { prompt: 'Sunrise over a calm harbour', aspect: '16:9' },
]

/**
 * Add real, playable videos to the engine's library; returns their entries, newest first. `over` sets fields of the
 * i-th entry (the door and model that made it, for the provider filters).
 */
export async function seedLibrary(
  engine: Engine,
  count = SEED_PROMPTS.length,
  over: (i: number) => Partial<LibraryEntry> = () => ({}),
): Promise<LibraryEntry[]> {
  const pool = new RenderPool(2)
  const entries: LibraryEntry[] = []
  try {
    const now = Date.now()
    const made = await Promise.all(
      SEED_PROMPTS.slice(0, count).map(async (seed, i) => {
        const [width, height] = SHAPES[seed.aspect] as [number, number]
        const out = await pool.render({
          width,
          height,
          fps: 24,
          frames: 24,
          scene: { kind: 'text', prompt: seed.prompt, style: seed.style ?? '', seed: i + 1 },
        })
        return { seed, i, out }
      }),
    )
    for (const { seed, i, out } of made) {
      const createdAt = now - i * 5 * 3600_000
      const id = `seed${String(i).padStart(3, '0')}`
      const file = `${videoBaseName(createdAt, seed.prompt, id)}.mp4`
      await writeFile(path.join(engine.library.dir, file), out.mp4)
      const thumbnail = `${id}.jpg`
      await sharp(out.thumbnail.rgba, {
        raw: { width: out.thumbnail.width, height: out.thumbnail.height, channels: 4 },
      })
        .resize(640, 640, { fit: 'inside' })
        .jpeg({ quality: 82 })
        .toFile(path.join(engine.library.thumbsDir, thumbnail))
      const probe = probeMp4(out.mp4)
      const entry: LibraryEntry = {
        id,
        file,
        title: seed.prompt,
        prompt: seed.prompt,
        mode: 'text',
        duration: Math.round(probe.durationSeconds * 10) / 10,
        resolution: '720p',
        aspectRatio: seed.aspect,
        style: seed.style ?? null,
        motionIntensity: null,
        width: probe.width,
        height: probe.height,
        sizeBytes: out.mp4.length,
        sha256: '',
        createdAt,
        generationMs: 40_000 + i * 1000,
        credits: 1,
        favorite: i % 4 === 1,
        fingerprint: null,
        jobId: null,
        remoteId: null,
        image: null,
        thumbnail,
        expired: false,
        external: false,
        ...over(i),
      }
      await engine.library.add(entry)
      entries.push(entry)
    }
  } finally {
    await pool.close()
  }
  return entries
}
