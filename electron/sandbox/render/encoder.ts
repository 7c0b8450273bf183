// H.264 encoding with h264-mp4-encoder (minih264 compiled to WebAssembly): no native binary, no ffmpeg.
// Frames are converted to I420 in JavaScript first (yuv.ts), which is much faster than the encoder's RGBA path.
import HME from 'h264-mp4-encoder'
import { i420Size, rgbaToI420 } from './yuv'

type EncoderModule = typeof import('h264-mp4-encoder')
const { createH264MP4Encoder } = HME as unknown as EncoderModule

/** Constant quality (QP) and the fastest preset: the Sandbox's job is speed, not bitrate. */
export const ENCODER_SETTINGS = { quantizationParameter: 28, speed: 10, groupOfPictures: 24 } as const

let sequence = 0

/**
 * Encode `count` frames produced by `draw(frameIndex, rgba)` into an MP4 (moov at the end, as the
 * encoder writes it; electron/node/mp4-mux.ts rewrites it for fast start).
 */
export async function encodeFrames(
  width: number,
  height: number,
  fps: number,
  first: number,
  count: number,
  draw: (frame: number, rgba: Uint8Array) => void,
  onFrame?: (frame: number, rgba: Uint8Array) => void,
): Promise<Uint8Array> {
  const encoder = await createH264MP4Encoder()
  encoder.outputFilename = `segment-${process.pid}-${++sequence}.mp4`
  encoder.width = width
  encoder.height = height
  encoder.frameRate = fps
  encoder.quantizationParameter = ENCODER_SETTINGS.quantizationParameter
  encoder.speed = ENCODER_SETTINGS.speed
  encoder.groupOfPictures = ENCODER_SETTINGS.groupOfPictures
  try {
    encoder.initialize()
    const rgba = new Uint8Array(width * height * 4)
    const yuv = new Uint8Array(i420Size(width, height))
    for (let f = first; f < first + count; f++) {
      draw(f, rgba)
      onFrame?.(f, rgba)
      rgbaToI420(rgba, width, height, yuv)
      encoder.addFrameYuv(yuv)
    }
    encoder.finalize()
    const data = encoder.FS.readFile(encoder.outputFilename)
    encoder.FS.unlink(encoder.outputFilename)
    return data
  } finally {
    encoder.delete()
  }
}
