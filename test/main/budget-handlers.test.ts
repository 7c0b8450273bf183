// The budget channels through the real handler table into a real engine (built-in Sandbox): a cap set over IPC
// holds the next job (engine:status says BUDGET_CAP, budget:changed carries the hold), a wrong unit is refused with
// its code, and clearing the cap lets the job go.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppInfo } from '../../electron/core/app-info'
import type { Engine } from '../../electron/core/engine'
import { Keychain } from '../../electron/core/secrets/keychain'
import { createHandlers, forwardEvents } from '../../electron/main/handlers'
import { createSenderPolicy, registerHandlers } from '../../electron/main/ipc'
import type { BudgetStatus } from '../../electron/shared/budget'
import type { EngineStatus, IpcResult } from '../../electron/shared/contract'
import type { JobRecord } from '../../electron/shared/model'
import { type TestDirs, testDirs, until } from '../core/jobs/engine-helpers'
import { openEngineOnSandbox } from '../core/sandbox-engine'
import { FakeIpcMain, mainFrame } from '../fakes/electron'

const APP = 'app://renderer/index.html'
let dirs: TestDirs
let engine: Engine
const ipc = new FakeIpcMain()
const events: Array<{ channel: string; payload: unknown }> = []

beforeAll(async () => {
  dirs = await testDirs()
  engine = await openEngineOnSandbox({
    paths: dirs.paths,
    role: 'app',
    sandbox: 'setting',
    keychain: new Keychain({ env: {} }),
    sandboxOptions: { genSeconds: { min: 0.5, max: 0.5 } },
  })
  const appInfo = createAppInfo({
    name: 'Seedance Studio',
    version: '1.0.0',
    platform: 'linux',
    arch: 'x64',
    versions: process.versions,
    paths: dirs.paths,
  })
  registerHandlers(ipc, createHandlers({ appInfo, engine, mediaBase: 'media://' }), createSenderPolicy([APP]))
  forwardEvents(engine, (channel, payload) => events.push({ channel, payload }))
})
afterAll(async () => {
  await engine.close()
  await dirs.cleanup()
})

async function call<T>(channel: string, payload?: unknown): Promise<T> {
  const result = (await ipc.invoke(channel, payload, mainFrame(APP))) as IpcResult<T>
  if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code })
  return result.data
}

const seedance = (s: BudgetStatus) => s.providers.find((p) => p.provider === 'seedance')

describe('budget over IPC', () => {
  it('holds a job past the cap, says so in engine:status and budget:changed, and lets it go when cleared', async () => {
    const set = await call<BudgetStatus>('budget:set', {
      provider: 'seedance',
      period: 'daily',
      amount: 2,
      unit: 'credits',
    })
    expect(seedance(set)?.caps[0]).toMatchObject({ period: 'daily', cap: { amount: 2, unit: 'credits' }, left: 2 })
    await expect(
      call('budget:set', { provider: 'seedance', period: 'daily', amount: 2, unit: 'usd' }),
    ).rejects.toMatchObject({ code: 'BUDGET_UNIT' })
    await expect(
      call('budget:set', { provider: 'seedance', period: 'weekly', amount: 2, unit: 'credits' }),
    ).rejects.toMatchObject({ code: 'IPC_INVALID_PAYLOAD' })

    // 4 s at 720p: 3 credits, more than the cap.
    const { job } = await call<{ job: JobRecord }>('jobs:submit', {
      prompt: 'over the cap',
      duration: 4,
      resolution: '720p',
    })
    await until(() => engine.jobs.paused !== null, 10_000, 'the hold')
    expect((await call<EngineStatus>('engine:status')).paused).toMatchObject({ code: 'BUDGET_CAP' })
    const pushed = events.filter((e) => e.channel === 'budget:changed').map((e) => e.payload as BudgetStatus)
    expect(seedance(pushed[pushed.length - 1] as BudgetStatus)?.hold).toMatchObject({ need: 3, left: 2 })
    expect(engine.jobs.get(job.id)?.state).toBe('pending')

    const cleared = await call<BudgetStatus>('budget:clear', { provider: 'seedance' })
    expect(seedance(cleared)?.caps).toEqual([])
    await until(() => engine.jobs.get(job.id)?.state === 'done', 30_000, 'the job')
    expect(seedance(await call<BudgetStatus>('budget:get'))).toMatchObject({ hold: null, today: { amount: 3 } })
  }, 60_000)
})
