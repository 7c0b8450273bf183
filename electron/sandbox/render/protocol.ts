// Messages between the render pool (server thread) and its workers.

export type SceneInput =
  | { kind: 'text'; prompt: string; style: string; seed: number }
  | {
      kind: 'image'
      prompt: string
      motion: number
      canvas: SharedArrayBuffer
      canvasWidth: number
      canvasHeight: number
    }

export interface SegmentTask {
  id: number
  width: number
  height: number
  fps: number
  totalFrames: number
  start: number
  end: number
  scene: SceneInput
  /** The frame to hand back as RGBA for the thumbnail, if it falls in this segment. */
  thumbnailFrame: number | null
  /** The clip's last frame, handed back as RGBA when it falls in this segment (Ark's `last_frame_url`). */
  lastFrame: number | null
}

export type SegmentResult =
  | { id: number; ok: true; mp4: Uint8Array; thumbnail: Uint8Array | null; lastFrame: Uint8Array | null }
  | { id: number; ok: false; message: string }
