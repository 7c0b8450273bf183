import path from 'node:path'

export const repoRoot = path.resolve(import.meta.dirname, '../../..')
export const rendererDir = path.join(repoRoot, 'out/renderer')
export const harnessBundle = path.join(repoRoot, 'out/test-harness/bridge.js')
export const previewBundle = path.join(repoRoot, 'out/preview/bridge.js')
