// Settings restored from a dropped video (issue 11, point 1), read in the renderer from the File itself.
import { beforeEach, describe, expect, it } from 'vitest'
import { makeBox } from '../../../../electron/shared/mp4-meta/boxes'
import { moovWithSettings } from '../../../../electron/shared/mp4-meta/edit'
import type { VideoSettings } from '../../../../electron/shared/mp4-meta/video-settings'
import { restoreFromVideo } from '../../../../renderer/src/features/composer/video-settings'
import { COMPOSER_DEFAULTS, useComposer } from '../../../../renderer/src/stores/composer'
import { sampleSettings } from '../../../fixtures/video-settings'
import { installBridge } from '../../bridge-stub'

/** A small MP4 (ftyp, moov, mdat) with the settings in its moov, or none. */
function mp4(settings: VideoSettings | null, name = 'take.mp4'): File {
  const ftyp = makeBox('ftyp', new TextEncoder().encode('isom\0\0\0\0isomavc1'))
  const bare = makeBox('moov')
  const moov = settings ? moovWithSettings(bare, ftyp.length, settings, false) : bare
  const mdat = makeBox('mdat', new Uint8Array(64))
  return new File(
    [ftyp, moov, mdat].map((b) => new Uint8Array(b)),
    name,
    { type: 'video/mp4' },
  )
}

beforeEach(() => {
  useComposer.setState(COMPOSER_DEFAULTS)
})

describe('restoreFromVideo', () => {
  it('fills the composer: door, model, prompt, mode, seed, duration, resolution, ratio, fixed camera', async () => {
    const bridge = installBridge({ 'library:image-by-hash': () => null })
    const outcome = await restoreFromVideo(mp4(sampleSettings()))
    const c = useComposer.getState()
    expect({
      provider: c.provider,
      model: c.model,
      prompt: c.prompt,
      mode: c.mode,
      seed: c.seed,
      duration: c.duration,
      resolution: c.resolution,
      aspectRatio: c.aspectRatio,
      cameraFixed: c.cameraFixed,
      audio: c.audio,
      chosen: c.chosen,
    }).toEqual({
      provider: 'ark',
      model: 'seedance-1-0-pro-250528',
      prompt: 'Sunset over the ocean, slow pan — «éclat» 夕日',
      mode: 'image',
      seed: '421',
      duration: 5,
      resolution: '720p',
      aspectRatio: '16:9',
      cameraFixed: true,
      audio: false,
      chosen: true,
    })
    // The source image is asked for by its hash; this machine does not keep it, and the drop zone says so.
    expect(bridge.calls).toEqual([{ channel: 'library:image-by-hash', payload: { sha256: 'a'.repeat(64) } }])
    expect(c.imageError).toBe('The source image beach.png is not kept on this machine; choose it again.')
    expect(outcome).toEqual({
      ok: true,
      lines: [
        'Settings of “Sunset over the ocean, slow pan” restored.',
        'Its source image (beach.png) is not kept here: choose it again.',
      ],
    })
  })

  it('asks for the last frame too, only where the model makes first + last frame videos', async () => {
    const lastImage = { sha256: 'b'.repeat(64), name: 'end.png' }
    const bridge = installBridge({ 'library:image-by-hash': () => null })
    const both = await restoreFromVideo(mp4(sampleSettings({ lastImage })))
    expect(bridge.calls.map((c) => c.payload)).toEqual([{ sha256: 'a'.repeat(64) }, { sha256: 'b'.repeat(64) }])
    expect(both.lines[2]).toBe('Its last frame (end.png) is not kept here: choose it again.')
    expect(useComposer.getState().lastImageError).toBe(
      'The last frame end.png is not kept on this machine; choose it again.',
    )

    const fast = installBridge({ 'library:image-by-hash': () => null })
    await restoreFromVideo(mp4(sampleSettings({ lastImage, model: 'seedance-1-0-pro-fast-251015' })))
    expect(useComposer.getState().model).toBe('seedance-1-0-pro-fast-251015')
    expect(fast.calls.map((c) => c.payload)).toEqual([{ sha256: 'a'.repeat(64) }])
  })

  it('keeps the default service for a video made through one this version does not know', async () => {
    installBridge()
    const outcome = await restoreFromVideo(mp4(sampleSettings({ provider: 'kling', image: null, mode: 'text' })))
    expect(useComposer.getState().provider).toBe('seedance')
    expect(useComposer.getState().prompt).toBe('Sunset over the ocean, slow pan — «éclat» 夕日')
    expect(outcome.lines[1]).toBe(
      'It was made through “kling”, which this version of the app does not know: the default service is kept.',
    )
  })

  it('says a video carries no settings, and leaves the form as it was', async () => {
    installBridge()
    useComposer.setState({ prompt: 'mine' })
    expect(await restoreFromVideo(mp4(null, 'holiday.mp4'))).toEqual({
      ok: false,
      lines: ['holiday.mp4 carries no Seedance Studio settings: it was not saved by the app.'],
    })
    expect(useComposer.getState().prompt).toBe('mine')
  })

  it('says a file that is not a video is not one', async () => {
    installBridge()
    const page = new File(['<html>not found</html>'], 'page.mp4', { type: 'video/mp4' })
    const outcome = await restoreFromVideo(page)
    expect(outcome.ok).toBe(false)
    expect(outcome.lines[0]).toMatch(/^page\.mp4 is not a video the app can read \(/)
  })
})
