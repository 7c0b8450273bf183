import { spawn } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { defaultSandboxOptions, parseSandboxArgs } from '../../electron/sandbox/options'

describe('parseSandboxArgs', () => {
  it('reads every documented option', () => {
    const o = parseSandboxArgs([
      '--port',
      '8787',
      '--key',
      'test-key',
      '--credits',
      '50',
      '--rpm',
      '20',
      '--concurrency',
      '3',
      '--gen-seconds',
      '2-4',
      '--url-ttl',
      '60',
      '--retention',
      '120',
      '--fail-rate',
      '0.1',
      '--unavailable-rate',
      '0.2',
      '--latency-ms',
      '250',
      '--drop-rate',
      '0.3',
      '--workers',
      '1',
      '--seed',
      '9',
      '--allow-private-urls',
      '--quiet',
    ])
    expect(o).toMatchObject({
      port: 8787,
      apiKey: 'test-key',
      credits: 50,
      requestsPerMinute: 20,
      maxConcurrentJobs: 3,
      genSeconds: { min: 2, max: 4 },
      urlTtlSeconds: 60,
      retentionSeconds: 120,
      renderWorkers: 1,
      seed: 9,
      allowPrivateUrls: true,
      quiet: true,
      faults: { jobFailureRate: 0.1, unavailableRate: 0.2, latencyMs: 250, dropAfterCreateRate: 0.3 },
    })
    expect(parseSandboxArgs(['--gen-seconds', '3']).genSeconds).toEqual({ min: 3, max: 3 })
    // Loopback is one rule app-wide (electron/shared/service-url.ts): any 127.0.0.0/8 address, ::1, localhost.
    expect(parseSandboxArgs(['--host', '127.0.0.2']).host).toBe('127.0.0.2')
    expect(parseSandboxArgs(['--host', '::1']).host).toBe('::1')
  })

  it('defaults to the free tier and a random key', () => {
    const a = defaultSandboxOptions()
    expect(a).toMatchObject({
      host: '127.0.0.1',
      allowPrivateUrls: false,
      requestsPerMinute: 10,
      maxConcurrentJobs: 2,
      genSeconds: { min: 30, max: 90 },
      urlTtlSeconds: 86400,
    })
    expect(a.apiKey).not.toBe(defaultSandboxOptions().apiKey)
  })

  it.each([
    [['--host', '0.0.0.0'], /loopback/],
    [['--host', '10.0.0.1'], /loopback/],
    [['--host', '127.0.0.1.example.com'], /loopback/],
    [['--fail-rate', '2'], /--fail-rate must be a number from 0 to 1/],
    [['--gen-seconds', '9-3'], /--gen-seconds/],
    [['--key', 'a b'], /--key/],
    [['--bogus'], /Unknown option/],
  ])('refuses %j clearly', (argv, message) => {
    expect(() => parseSandboxArgs(argv)).toThrow(message)
  })
})

describe('npm run sandbox', () => {
  it('starts standalone, prints its URL and key, and answers the API', async () => {
    const root = path.resolve(import.meta.dirname, '../..')
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'electron/sandbox/main.ts', '--port', '0', '--key', 'test-key', '--quiet'],
      { cwd: root },
    )
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = ''
        child.stdout.on('data', (c) => {
          out += c
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(out)
          if (m) resolve(m[1] as string)
        })
        child.on('exit', (code) => reject(new Error(`sandbox exited with ${code}: ${out}`)))
      })
      const res = await fetch(`${url}/jobs`, { headers: { authorization: 'Bearer test-key' } })
      expect(res.status).toBe(200)
      expect(await res.json()).toEqual({ jobs: [], total: 0, limit: 20, offset: 0, has_more: false })
    } finally {
      child.kill('SIGTERM')
    }
  }, 30_000)
})
