// Development bootstrap: runs the TypeScript render worker through tsx when the Sandbox itself runs from
// sources (tests, `npm run sandbox`). Builds ship a compiled worker instead and never load this file.
import { workerData } from 'node:worker_threads'
import { tsImport } from 'tsx/esm/api'

await tsImport(workerData.entry, workerData.parent)
