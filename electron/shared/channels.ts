// The names of every IPC channel, kept free of schemas so the sandboxed preload can allow-list them
// without bundling a validation library. contract.ts pairs each name with its schemas and types.

export const INVOKE_CHANNELS = [
  'app:info',
  'engine:status',
  'jobs:list',
  'jobs:submit',
  'jobs:cancel',
  'jobs:retry',
  'jobs:remove',
  'library:query',
  'library:favorite',
  'library:rename',
  'library:delete',
  'library:rescan',
  'library:locate',
  'library:reveal',
  'library:source-image',
  'library:drag',
  'library:fetch',
  'library:location',
  'library:choose-folder',
  'library:inspect-folder',
  'library:change-folder',
  'usage:get',
  'providers:list',
  'settings:get',
  'settings:update',
  'key:status',
  'key:set',
  'key:remove',
  'key:test',
  'batch:choose-file',
  'batch:preview',
  'batch:submit',
  // Issue 11 (sweep): a grid of prompts × seeds × models queued in one step.
  'sweep:submit',
  // Budget (issue 11): spending caps per provider.
  'budget:get',
  'budget:set',
  'budget:clear',
  // issue 11 (meta): a kept source image by its content hash, for settings restored from a video
  'library:image-by-hash',
  // Sequence (issue 11): continue a video from its last frame; export its sequence as one MP4.
  'library:continue',
  'library:export-sequence',
  // Prompt history (issue 11)
  'prompts:starred',
  'prompts:star',
] as const
// Events main pushes to the renderer: engine state the renderer's stores mirror.
export const EVENT_CHANNELS = [
  'jobs:changed',
  'jobs:removed',
  'library:changed',
  'engine:changed',
  'ui:navigate',
  // Budget (issue 11): spend, caps or a held queue changed.
  'budget:changed',
] as const

export type InvokeChannel = (typeof INVOKE_CHANNELS)[number]
export type EventChannel = (typeof EVENT_CHANNELS)[number]

const invokeSet: ReadonlySet<string> = new Set(INVOKE_CHANNELS)
const eventSet: ReadonlySet<string> = new Set(EVENT_CHANNELS)

export function isInvokeChannel(value: unknown): value is InvokeChannel {
  return typeof value === 'string' && invokeSet.has(value)
}

export function isEventChannel(value: unknown): value is EventChannel {
  return typeof value === 'string' && eventSet.has(value)
}
