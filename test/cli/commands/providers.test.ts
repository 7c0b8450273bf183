// `seedance providers` as a user runs it: every door with its models, prices and key, from the one catalog.
import { describe, expect, it } from 'vitest'
import { PROVIDERS } from '../../../electron/shared/providers'
import { memoryBackend, runMain } from '../run-main'

describe('seedance providers', () => {
  it('lists every provider with its models, durations, resolutions, ratios and price, and where jobs go', async () => {
    const r = await runMain(['providers'])
    expect(r.code).toBe(0)
    for (const p of PROVIDERS) {
      expect(r.stdout).toContain(`${p.label} (${p.id})`)
      for (const m of p.models)
        expect(r.stdout).toContain(`    ${m.id}${m.id === p.defaultModel ? ' (default)' : ''}: ${m.label}`)
    }
    expect(r.stdout).toContain('      2-12 s · 480p 720p 1080p · 16:9 4:3 1:1 3:4 9:16 21:9 adaptive')
    expect(r.stdout).toContain('      $1.20, $2.40 with sound per million tokens')
    expect(r.stdout).toContain('      $0.1028 (480p), $0.2312 (720p) per second of video')
    expect(r.stdout).toContain('      price not published')
    expect(r.stdout).toContain('      in credits; no USD price published')
    expect(r.stdout).toContain('  key: not set (system keychain, or FAL_KEY)')
    expect(r.stdout).toMatch(
      /Seedance API \(seedance\)\n.*\n {2}key: not set.*\n {2}jobs go to: the built-in Sandbox\n/,
    )
  })

  it('says which keys are set and where from, never more than their last four characters', async () => {
    const backend = memoryBackend()
    await backend.setPassword('Seedance Studio CLI test keys', 'cloud', 'sd-secret-key-9876')
    const r = await runMain(['providers'], {
      backend,
      env: { SEEDANCE_KEYCHAIN_SERVICE: 'Seedance Studio CLI test keys', REPLICATE_API_TOKEN: 'r8_secret_token_4321' },
    })
    expect(r.stdout).toContain('  key: set, ending in …9876 (in the system keychain)')
    expect(r.stdout).toContain('  key: set, ending in …4321 (from REPLICATE_API_TOKEN)')
    expect(r.stdout + r.stderr).not.toContain('secret')
  })

  it('prints JSON with each provider’s models and key status', async () => {
    const r = await runMain(['providers', '--json'])
    expect(r.code).toBe(0)
    const list = JSON.parse(r.stdout) as Array<{ id: string; key: { hasKey: boolean }; models: Array<{ id: string }> }>
    expect(list.map((p) => p.id)).toEqual(['seedance', 'ark', 'fal', 'replicate'])
    expect(list[1]?.models.map((m) => m.id)).toContain('dreamina-seedance-2-0-260128')
    expect(list.every((p) => p.key.hasKey === false)).toBe(true)
  })
})

describe('the CLI’s door and model flags', () => {
  it('refuses an unknown provider or model before anything runs, exit 2', async () => {
    const a = await runMain(['generate', 'a cat', '--provider', 'openai'])
    expect(a.code).toBe(2)
    expect(a.stderr).toContain('--provider "openai" is not a provider.')
    const b = await runMain(['generate', 'a cat', '--model', 'bytedance/seedance-2.0'])
    expect(b.code).toBe(2)
    expect(b.stderr).toContain('is offered by fal and replicate: choose one with --provider.')
  })

  it('documents the new flags and the providers command in the help', async () => {
    const general = await runMain(['--help'])
    expect(general.stdout).toContain('providers ')
    expect(general.stdout).toContain('ARK_API_KEY (ark), FAL_KEY (fal), REPLICATE_API_TOKEN (replicate)')
    const gen = await runMain(['help', 'generate'])
    for (const flag of [
      '--provider P',
      '--model M',
      '--seed N',
      '--camera-fixed',
      '--audio',
      '--no-audio',
      '--last-frame FILE',
    ])
      expect(gen.stdout).toContain(flag)
    const batch = await runMain(['help', 'batch'])
    expect(batch.stdout).toContain('provider and')
    expect(batch.stdout).toContain('--provider P')
  })
})
