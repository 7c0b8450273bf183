// Sandbox render time of an 8 s clip (192 frames at 24 fps), per resolution: median of 3 runs.
// Target (issue 3): 8 s at 720p in under 10 s on a 2-core machine.
import { RenderPool } from '../electron/sandbox/render/pool'
import { seedFrom } from '../electron/sandbox/render/rng'

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}

export async function benchSandboxRender(runs = 3): Promise<void> {
  const pool = new RenderPool()
  const prompt = 'Aerial view of a mountain range at golden hour, slow drone shot, cinematic'
  try {
    // Warm the workers (WebAssembly compile) so the first run is not charged for it.
    await pool.render({
      width: 640,
      height: 360,
      fps: 24,
      frames: 24,
      scene: { kind: 'text', prompt, style: '', seed: 1 },
    })
    for (const [label, width, height] of [
      ['720p', 1280, 720],
      ['1080p', 1920, 1080],
    ] as const) {
      const times: number[] = []
      let bytes = 0
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now()
        const out = await pool.render({
          width,
          height,
          fps: 24,
          frames: 192,
          scene: { kind: 'text', prompt, style: '', seed: seedFrom(prompt, String(i)) },
        })
        times.push(performance.now() - t0)
        bytes = out.mp4.length
      }
      const fps = 192 / (median(times) / 1000)
      console.log(
        `sandbox-render ${label}: 8 s clip in ${(median(times) / 1000).toFixed(2)} s median of ${runs} [${times.map((t) => (t / 1000).toFixed(2)).join(', ')}], ${fps.toFixed(0)} frames/s, ${(bytes / 1024 / 1024).toFixed(2)} MB, ${pool.size} workers${label === '720p' ? ' (target < 10 s)' : ''}`,
      )
    }
  } finally {
    await pool.close()
  }
}
