// `seedance library info <file>`: the settings a video carries inside its MP4 (issue 11, point 1), read from the
// file alone: any video the app saved, wherever it is now (another machine, a folder without .seedance).
import { Mp4MetaError, readSettingsFile } from '../../node/mp4-settings-file'
import { UsageError, type Values } from '../args'
import { EXIT } from '../exit-codes'
import type { Io } from '../session'
import { clean } from '../terminal'

export async function libraryInfo(positionals: string[], values: Values, io: Io): Promise<number> {
  const file = positionals[0]
  if (!file || positionals.length > 1)
    throw new UsageError('library info takes one video file: seedance library info <file.mp4>')
  let found: Awaited<ReturnType<typeof readSettingsFile>>
  try {
    found = await readSettingsFile(file)
  } catch (error) {
    const e = error as Error & { code?: string }
    if (e.code === 'ENOENT') io.err.write(`seedance: no file ${clean(file)}\n`)
    else if (error instanceof Mp4MetaError) io.err.write(`seedance: ${error.code}: ${clean(error.message)}\n`)
    else throw error
    return EXIT.usage
  }
  const s = found.settings
  if (values.json) {
    io.out.write(`${JSON.stringify(s, null, 2)}\n`)
    return EXIT.ok
  }
  const onOff = (v: boolean | null) => (v === null ? '-' : v ? 'yes' : 'no')
  const image = (i: { sha256: string; name: string } | null) => (i ? `${clean(i.name)} (sha256 ${i.sha256})` : '-')
  const rows: Array<[string, string]> = [
    ['title', clean(s.title)],
    ['prompt', clean(s.prompt)],
    ['made with', `${clean(s.provider)} / ${clean(s.model)}`],
    ['mode', s.mode],
    ['duration', `${s.duration} s`],
    ['resolution', s.resolution],
    ['aspect ratio', s.aspectRatio ?? '-'],
    ['seed', s.seed === null ? 'random' : String(s.seed)],
    ['style', s.style === null ? '-' : clean(s.style)],
    ['motion', s.motionIntensity === null ? '-' : String(s.motionIntensity)],
    ['fixed camera', onOff(s.cameraFixed)],
    ['sound', onOff(s.audio)],
    ['image', s.imageUrl ? clean(s.imageUrl) : image(s.image)],
    ['last frame', image(s.lastImage)],
    ['job', clean(s.jobId ?? '-')],
    ['created', s.created],
    ['saved by', `${clean(s.app.name)} ${clean(s.app.version)}`],
  ]
  for (const [label, value] of rows) io.out.write(`${label.padEnd(13)} ${value}\n`)
  return EXIT.ok
}
