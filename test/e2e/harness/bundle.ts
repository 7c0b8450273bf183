// Bundles a browser-side bridge entry (and the real bridge factory it imports) into one classic script.
import path from 'node:path'
import { build } from 'vite'
import { repoRoot } from './paths'

export async function bundleScript(entry: string, outFile: string): Promise<void> {
  await build({
    configFile: false,
    logLevel: 'warn',
    root: repoRoot,
    build: {
      outDir: path.dirname(outFile),
      emptyOutDir: true,
      minify: false,
      lib: { entry, formats: ['iife'], name: 'seedanceBridge', fileName: () => path.basename(outFile) },
    },
  })
}
