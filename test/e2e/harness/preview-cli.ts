// `npm run ui`: see the app in any browser, with the real engine on the built-in Sandbox (preview.ts).
//   npm run ui -- [--home DIR] [--gen-seconds N] [--seed N]
// --home keeps the data (settings, queue, library) in DIR; by default a fresh temporary folder, removed on exit.
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { startPreview } from './preview'
import { seedLibrary } from './seed'

const USAGE = 'Usage: npm run ui -- [--home DIR] [--gen-seconds N] [--seed N]'

async function main(): Promise<void> {
  let values: { home?: string; 'gen-seconds'?: string; seed?: string; help?: boolean }
  try {
    ;({ values } = parseArgs({
      options: {
        home: { type: 'string' },
        'gen-seconds': { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }))
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`)
    process.exit(2)
  }
  if (values.help) {
    console.log(USAGE)
    return
  }
  const genSeconds = Number(values['gen-seconds'] ?? 5)
  const seed = Number(values.seed ?? 0)
  if (!Number.isFinite(genSeconds) || genSeconds < 0 || !Number.isInteger(seed) || seed < 0 || seed > 12) {
    console.error(`--gen-seconds takes seconds (0 or more), --seed a count from 0 to 12.\n${USAGE}`)
    process.exit(2)
  }
  const temporary = values.home === undefined
  const home = values.home ? path.resolve(values.home) : await mkdtemp(path.join(os.tmpdir(), 'seedance-ui-'))
  const preview = await startPreview({ home, genSeconds })
  if (seed > 0) await seedLibrary(preview.core.engine, seed)
  console.log(`Seedance Studio in your browser, on the built-in Sandbox (jobs take ${genSeconds} s):\n`)
  console.log(`  ${preview.url}\n`)
  console.log(`Data: ${home}${temporary ? ' (temporary, removed on exit)' : ''}. Ctrl+C stops.`)
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    await preview.close()
    if (temporary) await rm(home, { recursive: true, force: true })
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}

await main()
