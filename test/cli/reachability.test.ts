// The bound on an unreachable service (issue 9, point 11), with time driven by the test.
import { describe, expect, it } from 'vitest'
import { type Timer, unreachableBoundMs, watchReachability } from '../../electron/cli/reachability'

function manualTimer(): Timer & { advance(ms: number): void } {
  let t = 0
  const timers = new Map<number, { at: number; fn: () => void }>()
  let next = 1
  return {
    now: () => t,
    setTimeout(fn, ms) {
      timers.set(next, { at: t + ms, fn })
      return next++
    },
    clearTimeout(h) {
      timers.delete(h as number)
    },
    advance(ms) {
      const end = t + ms
      for (;;) {
        const due = [...timers.entries()].filter(([, x]) => x.at <= end).sort((a, b) => a[1].at - b[1].at)[0]
        if (!due) break
        timers.delete(due[0])
        t = due[1].at
        due[1].fn()
      }
      t = end
    },
  }
}

const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } })

describe('watchReachability', () => {
  it('gives up only after the whole bound passed with nothing but failures; any answer starts it again', async () => {
    const timer = manualTimer()
    let up = false
    const failing: string[] = []
    const reach = watchReachability({
      boundMs: 120_000,
      timer,
      onFailing: ({ cause }) => failing.push(cause),
      fetch: async () => {
        if (up) return new Response('{}', { status: 500 }) // an error status is still an answer
        throw refused
      },
    })
    let gaveUp: unknown = null
    void reach.gaveUp.then((u) => {
      gaveUp = u
    })
    const call = () => reach.fetch('https://api.example.test/v1/jobs').catch(() => null)
    await call()
    timer.advance(90_000)
    await call()
    up = true
    await call() // the service answered at 90 s: the count starts again
    up = false
    timer.advance(60_000)
    await call() // failing again from 150 s
    timer.advance(119_999)
    await Promise.resolve()
    expect(gaveUp).toBeNull()
    timer.advance(1)
    await Promise.resolve()
    expect(gaveUp).toEqual({ host: 'api.example.test', cause: 'ECONNREFUSED', forMs: 120_000 })
    expect(failing).toEqual(['ECONNREFUSED', 'ECONNREFUSED']) // told once per outage, not per failed call
    reach.stop()
  })

  it('never gives up while nothing fails, and not after stop()', async () => {
    const timer = manualTimer()
    const reach = watchReachability({ boundMs: 1000, timer, fetch: async () => new Response('ok') })
    let gaveUp = false
    void reach.gaveUp.then(() => {
      gaveUp = true
    })
    await reach.fetch('http://127.0.0.1:9/v1/jobs')
    timer.advance(10_000)
    await Promise.resolve()
    expect(gaveUp).toBe(false)
  })

  it('takes the bound from the option, then the environment, in seconds; refuses nonsense', () => {
    expect(unreachableBoundMs(undefined, undefined)).toBe(120_000)
    expect(unreachableBoundMs(undefined, '5')).toBe(5000)
    expect(unreachableBoundMs('0.5', '5')).toBe(500)
    expect(() => unreachableBoundMs('soon', undefined)).toThrow(/must be a number of seconds/)
    expect(() => unreachableBoundMs('-1', undefined)).toThrow(/must be a number of seconds/)
  })
})
