// The `seedance` exit codes, written once: the help text and the README's table list these.

export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  refused: 3,
  busy: 4,
  keychain: 5,
  unreachable: 6,
  /** Budget (issue 11): a job held by a spending cap. */
  held: 7,
  /** Sequence (issue 11): an export needs re-encoding and this machine has no ffmpeg (encoder). */
  noEncoder: 8,
  interrupted: 130,
} as const

export const EXIT_MEANINGS: [number, string][] = [
  [EXIT.ok, 'done'],
  [EXIT.failed, 'a job failed'],
  [EXIT.usage, 'bad usage or input (unknown command or option, invalid prompt, image, title or CSV)'],
  [EXIT.refused, 'the service rejected the key, or the account is out of credits (jobs stay queued)'],
  [EXIT.busy, 'the data folder is in use by the app or another seedance'],
  [EXIT.keychain, 'the system keychain is not available (only for key commands and sync)'],
  [EXIT.unreachable, 'the service could not be reached for the whole time limit (jobs resume with: seedance resume)'],
  [EXIT.held, 'a job is held by a spending cap (see: seedance budget; jobs stay queued)'],
  [
    EXIT.noEncoder,
    'needs ffmpeg and there is none: an export that must re-encode, a continue with no last-frame image',
  ],
  [EXIT.interrupted, 'interrupted (jobs resume with: seedance resume)'],
]

/**
 * Errors where the service refused the request itself (API guide: 400 INVALID_PROMPT, e.g. a prompt against its
 * content policy, INVALID_IMAGE): bad input, exit 2, as for the same check made locally.
 */
export const INPUT_ERROR_CODES = new Set([
  'INVALID_PROMPT',
  'INVALID_IMAGE',
  'INVALID_DURATION',
  'INVALID_RESOLUTION',
  'INVALID_ASPECT_RATIO',
  'INVALID_STYLE',
  'INVALID_MOTION_INTENSITY',
  'INVALID_REQUEST',
  'INVALID_TITLE',
])
