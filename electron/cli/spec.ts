// What `seedance` accepts: its commands, their options and the global ones. The parser (args.ts) and the help
// (help.ts) both read this table, so an option is declared once.

export interface OptionSpec {
  type: 'string' | 'boolean'
  short?: string
  /** The value's placeholder in help ("FILE", "N"). */
  value?: string
  help: string
}

export interface CommandSpec {
  name: string
  /** Positional arguments, as shown in usage lines. */
  args: string
  summary: string
  /** More lines for `seedance help <command>`. */
  details?: string[]
  options: Record<string, OptionSpec>
  /** For `sandbox`: everything after the command is the Sandbox's own (see: seedance sandbox --help). */
  passThrough?: boolean
}

/** Anywhere on the line, before or after the command. */
export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  'base-url': {
    type: 'string',
    value: 'URL',
    help: "the chosen provider's base URL, for a proxy or a test server (env SEEDANCE_BASE_URL, ARK_BASE_URL, FAL_BASE_URL, REPLICATE_BASE_URL)",
  },
  library: { type: 'string', value: 'DIR', help: 'library folder (env SEEDANCE_LIBRARY)' },
  'data-dir': {
    type: 'string',
    value: 'DIR',
    help: 'data folder for settings, journal and logs (env SEEDANCE_DATA_DIR)',
  },
  sandbox: { type: 'boolean', help: 'use an in-process Sandbox (the default when no API key is set)' },
  help: { type: 'boolean', short: 'h', help: 'show help (also: seedance help <command>)' },
  version: { type: 'boolean', help: 'print the version' },
}

/** For every command that waits for jobs at the service (issue 9: a run without network must end). */
const UNREACHABLE: Record<string, OptionSpec> = {
  'unreachable-timeout': {
    type: 'string',
    value: 'S',
    help: 'give up (exit 6) after S seconds without an answer (env SEEDANCE_UNREACHABLE_TIMEOUT; default 120)',
  },
}

/** Which door and model a new video goes through (issue 10); `seedance providers` lists them. */
const TARGET: Record<string, OptionSpec> = {
  provider: {
    type: 'string',
    value: 'P',
    help: "seedance, ark, fal or replicate (env SEEDANCE_PROVIDER; default: the app's, else the one with a key)",
  },
  model: {
    type: 'string',
    value: 'M',
    help: "the provider's model id (env SEEDANCE_MODEL; default: the provider's default model)",
  },
}

export const COMMANDS: CommandSpec[] = [
  {
    name: 'generate',
    args: '<prompt>',
    summary: 'make one video; prints its path',
    details: [
      'If the library already holds a video made from the same prompt, settings and image, prints that one',
      'instead of spending credits again (--force makes a new one).',
    ],
    options: {
      ...TARGET,
      image: { type: 'string', value: 'FILE', help: 'animate this image: the first frame (JPEG, PNG or WebP)' },
      'last-frame': {
        type: 'string',
        value: 'FILE',
        help: 'end on this image (with --image, on models with first and last frames)',
      },
      duration: {
        type: 'string',
        value: 'N',
        help: "seconds, within the model's range (the guide's API: 1-8), or auto where the model chooses (2.x)",
      },
      resolution: {
        type: 'string',
        value: 'R',
        help: '480p, 720p or 1080p, as the model offers (see: seedance providers)',
      },
      aspect: {
        type: 'string',
        value: 'A',
        help: '16:9, 4:3, 1:1, 3:4, 9:16, 21:9, or adaptive (follows --image), as the model offers',
      },
      seed: {
        type: 'string',
        value: 'N',
        help: 'a fixed seed, 0-4294967295, for a repeatable result (models with a seed)',
      },
      'camera-fixed': { type: 'boolean', help: 'keep the camera still (models that take it)' },
      audio: { type: 'boolean', help: 'generate sound with the video (models that make sound)' },
      'no-audio': { type: 'boolean', help: 'a silent video (models that make sound do by default)' },
      style: { type: 'string', value: 'S', help: "a style, e.g. cinematic (the guide's API)" },
      motion: { type: 'string', value: 'M', help: "motion intensity 0-1 (with --image, the guide's API; default 0.5)" },
      force: { type: 'boolean', help: 'generate even if the library already holds this video' },
      ...UNREACHABLE,
    },
  },
  {
    name: 'batch',
    args: '<file.csv>',
    summary: 'make a video for every row of a CSV; writes a results CSV',
    details: [
      'Columns: id, prompt, and optionally filename (the title, up to 200 characters), image (relative to the',
      'CSV), duration, resolution, aspect_ratio, style, motion_intensity (rows with an image only), provider and',
      "model (a row's own door and model; empty: --provider and --model, else the default).",
      'Invalid rows are reported on stderr and in the results, and never stop the other rows. Running the same',
      'batch again resumes rows still in flight and skips rows already in the library.',
    ],
    options: {
      ...TARGET,
      results: { type: 'string', value: 'FILE', help: 'write the results CSV here (default: standard output)' },
      ...UNREACHABLE,
    },
  },
  {
    name: 'jobs',
    args: '',
    summary: 'list the jobs in the journal (changes nothing; see: seedance resume)',
    options: { json: { type: 'boolean', help: 'print JSON' } },
  },
  {
    name: 'resume',
    args: '',
    summary: 'finish every unfinished job (interrupted runs, jobs queued in the app)',
    options: { ...UNREACHABLE },
  },
  {
    name: 'library',
    args: '[fetch <id> | info <file>]',
    summary:
      'list the videos in the library; fetch <id> downloads again a paid video not saved yet; info <file> prints a video’s settings',
    options: {
      search: { type: 'string', value: 'Q', help: 'only videos whose title, prompt or style match' },
      provider: { type: 'string', value: 'P', help: 'only videos made through this provider' },
      model: { type: 'string', value: 'M', help: 'only videos made with this model' },
      json: { type: 'boolean', help: 'print JSON' },
      rescan: { type: 'boolean', help: 'look at the library folder again first' },
    },
  },
  {
    name: 'sync',
    args: '',
    summary: 'import finished jobs from your account that are not in the library',
    options: { ...UNREACHABLE },
  },
  {
    name: 'usage',
    args: '',
    summary: 'jobs, success rate, generation time p50/p95, credits per day, errors by code',
    options: { json: { type: 'boolean', help: 'print JSON' } },
  },
  {
    name: 'providers',
    args: '',
    summary: 'the providers and their models (durations, resolutions, ratios, price), each key, where jobs go',
    options: { json: { type: 'boolean', help: 'print JSON' } },
  },
  {
    name: 'key',
    args: 'set|clear|status',
    summary: 'the API key in the system keychain (set reads it from standard input)',
    options: {},
  },
  {
    name: 'sandbox',
    args: '[sandbox options]',
    summary: 'run the Sandbox in the foreground (see: seedance sandbox --help)',
    options: {},
    passThrough: true,
  },
  // Issue 11 (sweep).
  {
    name: 'sweep',
    args: '',
    summary: 'a grid of prompts × seeds × models (× durations × resolutions); prints its cost, then makes it',
    details: [
      'Repeat --prompt, --seed, --model, --duration and --resolution: every combination is one job. The grid is',
      "printed with each job's cost (or why its model refuses it) and the total per provider and in USD before",
      'anything is queued; --dry-run stops there. At most 100 jobs. --model is provider:model (ark:seedance-1-0-pro-250528,',
      'fal:bytedance/seedance-2.0), or a model only one provider has; without --model, the default model.',
    ],
    options: {
      prompt: { type: 'string', value: 'P', help: 'a prompt (repeat for more)' },
      seed: { type: 'string', value: 'N', help: 'a fixed seed (repeat for more; none: random)' },
      model: { type: 'string', value: 'P:M', help: 'provider:model (repeat for more)' },
      provider: { type: 'string', value: 'P', help: 'the provider of --model values that name none' },
      duration: { type: 'string', value: 'N', help: "seconds, or auto (repeat for more; none: each model's default)" },
      resolution: {
        type: 'string',
        value: 'R',
        help: "480p, 720p or 1080p (repeat for more; none: each model's default)",
      },
      aspect: { type: 'string', value: 'A', help: 'the shape of every job (default: each model’s)' },
      'camera-fixed': { type: 'boolean', help: 'keep the camera still (on the models that take it)' },
      audio: { type: 'boolean', help: 'generate sound (on the models that make it)' },
      'no-audio': { type: 'boolean', help: 'silent videos' },
      'dry-run': { type: 'boolean', help: 'print the grid and its cost, queue nothing' },
      results: { type: 'string', value: 'FILE', help: 'write the results CSV here (default: standard output)' },
      ...UNREACHABLE,
    },
  },
  // Budget (issue 11): spending caps per provider.
  {
    name: 'budget',
    args: '[set|clear]',
    summary: "spend today and this month against each provider's caps; set or clear a daily or monthly cap",
    details: [
      "A job that would pass a cap is not sent: it waits, and its provider's queue pauses until the cap is raised",
      'or cleared, or the day (month) ends at local midnight. A run whose jobs are held exits 7.',
      'Examples: seedance budget set --provider fal --daily 5 --unit usd',
      '          seedance budget set --provider seedance --monthly 400    (in credits, its unit)',
      '          seedance budget clear --provider fal --period daily',
    ],
    options: {
      provider: { type: 'string', value: 'P', help: 'the provider whose caps to set or clear' },
      daily: { type: 'string', value: 'N', help: 'set: the daily cap' },
      monthly: { type: 'string', value: 'N', help: 'set: the monthly cap' },
      unit: { type: 'string', value: 'U', help: "set: usd or the provider's unit (credits, tokens, seconds; default)" },
      period: { type: 'string', value: 'daily|monthly', help: 'clear: only this cap (default: both)' },
      json: { type: 'boolean', help: 'print JSON' },
    },
  },
  // Prompt history (issue 11)
  {
    name: 'prompts',
    args: '[star|unstar "<prompt>"]',
    summary: 'every prompt used, starred first, with its use count, last use and videos; star keeps one at hand',
    details: [
      'Prompts that differ only in spacing are one prompt. Stars are kept in the data folder (prompt-stars.json),',
      'shared with the app, whose composer inserts a prompt from this history.',
    ],
    options: {
      search: { type: 'string', value: 'Q', help: 'only prompts containing every word of Q' },
      starred: { type: 'boolean', help: 'only starred prompts' },
      json: { type: 'boolean', help: "print JSON (with each video's path)" },
    },
  },
  { name: 'help', args: '[command]', summary: 'show help for a command', options: {} },
  // Sequence (issue 11).
  {
    name: 'continue',
    args: '<id|file>',
    summary: 'continue a library video from its last frame, with its settings (another prompt with --prompt)',
    details: [
      'The first frame is the service’s image of the last frame where it gave one (ModelArk), else the last frame',
      'of the file, taken with ffmpeg. The new clip joins the video’s sequence (seedance export <id>).',
    ],
    options: {
      prompt: { type: 'string', value: 'TEXT', help: 'the continuation’s prompt (default: the video’s own)' },
      ...UNREACHABLE,
    },
  },
  {
    name: 'export',
    args: '<id>',
    summary: 'export the sequence a library video belongs to as one MP4',
    details: [
      'Clips that share one encoding are joined without re-encoding; others are re-encoded with ffmpeg. Without',
      'ffmpeg a sequence that needs re-encoding is refused (exit 8).',
    ],
    options: {
      out: { type: 'string', short: 'o', value: 'FILE', help: 'the MP4 to write (required)' },
      force: { type: 'boolean', help: 'replace FILE if it exists' },
    },
  },
]

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name)
}
