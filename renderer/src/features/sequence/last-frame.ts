// A video's last frame, taken in the renderer (issue 11, continue a shot): the browser's own H.264 decoder reads the
// library file through the media: protocol, so this works offline on any machine, with no ffmpeg. The video is
// fetched with CORS (the media: protocol allows the app's page), so the canvas it is drawn on may be read.

function once(target: HTMLVideoElement, event: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`The video did not answer (${event}).`)), timeoutMs)
    const ok = () => done(null)
    const fail = () => done(new Error('The video could not be read.'))
    function done(error: Error | null) {
      clearTimeout(timer)
      target.removeEventListener(event, ok)
      target.removeEventListener('error', fail)
      if (error) reject(error)
      else resolve()
    }
    target.addEventListener(event, ok, { once: true })
    target.addEventListener('error', fail, { once: true })
  })
}

/** The last frame of the video at `url`, as PNG bytes at the video's own size. */
export async function captureLastFrame(url: string, timeoutMs = 20_000): Promise<Uint8Array<ArrayBuffer>> {
  const video = document.createElement('video')
  video.crossOrigin = 'anonymous'
  video.muted = true
  video.preload = 'auto'
  video.playsInline = true
  try {
    const loaded = once(video, 'loadedmetadata', timeoutMs)
    video.src = url
    await loaded
    if (!Number.isFinite(video.duration) || video.duration <= 0) throw new Error('The video has no length.')
    // Just before the end: the frame shown there is the last one (seeking to the very end may show nothing).
    const seeked = once(video, 'seeked', timeoutMs)
    video.currentTime = Math.max(0, video.duration - 0.01)
    await seeked
    if (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) await once(video, 'loadeddata', timeoutMs)
    const canvas = document.createElement('canvas')
    canvas.width = video.videoWidth
    canvas.height = video.videoHeight
    const context = canvas.getContext('2d')
    if (!context || !canvas.width || !canvas.height) throw new Error('The video has no picture.')
    context.drawImage(video, 0, 0, canvas.width, canvas.height)
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'))
    if (!blob) throw new Error('The frame could not be encoded.')
    return new Uint8Array(await blob.arrayBuffer())
  } finally {
    video.removeAttribute('src')
    video.load()
  }
}
