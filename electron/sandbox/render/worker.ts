// Render worker: draws and encodes one segment of a clip off the server's thread.
import { parentPort } from 'node:worker_threads'
import { frameDrawer } from './draw'
import { encodeFrames } from './encoder'
import type { SegmentResult, SegmentTask } from './protocol'

const port = parentPort
if (!port) throw new Error('render worker must run in a worker thread')

port.on('message', async (task: SegmentTask) => {
  let result: SegmentResult
  try {
    const draw = frameDrawer(task.scene, task.width, task.height, task.fps, task.totalFrames)
    let thumbnail: Uint8Array | null = null
    let lastFrame: Uint8Array | null = null
    const mp4 = await encodeFrames(
      task.width,
      task.height,
      task.fps,
      task.start,
      task.end - task.start,
      draw,
      (f, rgba) => {
        if (f === task.thumbnailFrame) thumbnail = rgba.slice()
        if (f === task.lastFrame) lastFrame = rgba.slice()
      },
    )
    result = { id: task.id, ok: true, mp4, thumbnail, lastFrame }
    port.postMessage(result, [
      mp4.buffer as ArrayBuffer,
      ...(thumbnail ? [(thumbnail as Uint8Array).buffer as ArrayBuffer] : []),
      ...(lastFrame ? [(lastFrame as Uint8Array).buffer as ArrayBuffer] : []),
    ])
  } catch (error) {
    result = { id: task.id, ok: false, message: error instanceof Error ? error.message : String(error) }
    port.postMessage(result)
  }
})
