// The engine over a built-in Sandbox the test starts the way the faces do (electron/sandbox/on-demand.ts): the
// engine no longer starts one itself (issue 10, point 3). Closing the engine closes the Sandbox after it.
import { type Engine, type EngineOptions, openEngine } from '../../electron/core/engine'
import { sandboxOnDemand } from '../../electron/sandbox/on-demand'
import type { SandboxOptions } from '../../electron/sandbox/options'
import type { Sandbox } from '../../electron/sandbox/server'

export type SandboxEngine = Engine & {
  /** The Sandbox serving the doors without a key (null until one needed it). */
  readonly sandbox: Sandbox | null
}

export async function openEngineOnSandbox(
  options: EngineOptions & { sandboxOptions?: Partial<SandboxOptions> },
): Promise<SandboxEngine> {
  const { sandboxOptions, ...engineOptions } = options
  const sandbox = sandboxOnDemand(sandboxOptions)
  let engine: Engine
  try {
    engine = await openEngine({ ...engineOptions, sandboxDoors: sandbox.start })
  } catch (error) {
    await sandbox.close()
    throw error
  }
  const close = engine.close
  engine.close = async () => {
    try {
      await close()
    } finally {
      await sandbox.close()
    }
  }
  Object.defineProperty(engine, 'sandbox', { get: () => sandbox.running() })
  return engine as SandboxEngine
}
