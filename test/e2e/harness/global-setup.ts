// Bundles the harness bridge (bridge-entry.ts + the real bridge factory) into one classic script that
// page.addInitScript can inject. The renderer itself is built by `npm run build` before the tests.
import { existsSync } from 'node:fs'
import path from 'node:path'
import { bundleScript } from './bundle'
import { harnessBundle, rendererDir, repoRoot } from './paths'

export default async function globalSetup(): Promise<void> {
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error('out/renderer is missing: run `npm run build` first (npm test does).')
  }
  await bundleScript(path.join(repoRoot, 'test/e2e/harness/bridge-entry.ts'), harnessBundle)
}
