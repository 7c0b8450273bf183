// Chooses the frame renderer for a scene: procedural (text-to-video) or a camera move (image-to-video).
import { planImageMove, renderImageFrame } from './camera'
import type { SceneInput } from './protocol'
import { planScene } from './scene-plan'
import { renderSceneFrame } from './scene-render'

export type DrawFrame = (frame: number, rgba: Uint8Array) => void

export function frameDrawer(
  scene: SceneInput,
  width: number,
  height: number,
  fps: number,
  totalFrames: number,
): DrawFrame {
  if (scene.kind === 'text') {
    const plan = planScene(scene.prompt, scene.style, scene.seed)
    return (frame, rgba) => renderSceneFrame(plan, frame, fps, width, height, rgba)
  }
  const plan = planImageMove(scene.prompt, scene.motion)
  const canvas = new Uint8Array(scene.canvas)
  return (frame, rgba) =>
    renderImageFrame(plan, canvas, scene.canvasWidth, scene.canvasHeight, frame, totalFrames, width, height, rgba)
}
