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
