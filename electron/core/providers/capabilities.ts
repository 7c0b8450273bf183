// The one capability checker lives in shared/request-rules.ts (pure), so a sweep's preview in the renderer refuses
// exactly what the engine and the adapters refuse (issue 11, point 4). Kept here for the engine's imports.
export * from '../../shared/request-rules'
