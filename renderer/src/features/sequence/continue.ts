// "Continue from last frame" (issue 11): the one helper every view calls (the library's detail panel, the studio's
// takes through onContinue). Where the service kept an image of the last frame (entry.lastFrame), main uses it;
// otherwise the frame is taken here from the file (last-frame.ts) and sent with the request.
import type { InvokeResponse } from '../../../../electron/shared/contract'
import { mediaUrl } from '../../../../electron/shared/media'
import { frameName } from '../../../../electron/shared/sequence'
import { AppError, call } from '../../bridge'
import { useEngine } from '../../stores/engine'
import { useLibrary } from '../../stores/library'
import { captureLastFrame } from './last-frame'

export async function continueFrom(id: string, prompt?: string | null): Promise<InvokeResponse<'library:continue'>> {
  const entry = useLibrary.getState().entries.find((e) => e.id === id)
  if (!entry) throw new AppError('VIDEO_NOT_FOUND', 'That video is no longer in the library.')
  if (entry.lastFrame) {
    try {
      return await call('library:continue', { id, prompt: prompt ?? null })
    } catch (error) {
      // The kept image is gone (a library copied without .seedance/): take the frame from the file instead.
      if (!(error instanceof AppError) || error.code !== 'LAST_FRAME_UNAVAILABLE') throw error
    }
  }
  if (entry.expired || entry.missing)
    throw new AppError('VIDEO_MISSING', 'This video’s file is not in the library, so its last frame cannot be taken.')
  let data: Uint8Array<ArrayBuffer>
  try {
    data = await captureLastFrame(mediaUrl('library', entry.file, useEngine.getState().status?.mediaBase))
  } catch (error) {
    throw new AppError('LAST_FRAME_UNAVAILABLE', `The last frame could not be taken: ${(error as Error).message}`)
  }
  return call('library:continue', { id, prompt: prompt ?? null, frame: { name: frameName(entry.title), data } })
}
