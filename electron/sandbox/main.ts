// `npm run sandbox -- [options]`: the Sandbox as a standalone local service.
import { runSandbox } from './run'

void runSandbox(process.argv.slice(2))
