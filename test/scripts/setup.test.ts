// `npm run setup` (scripts/setup.mjs) and `npm test` (scripts/test.mjs): what each decides to do on a given
// machine, driven with fakes (nothing is installed here).
import { describe, expect, it } from 'vitest'
// @ts-expect-error: a plain .mjs script without type declarations
import { KEYRING_PACKAGES, MEDIA_PACKAGES, planSetup } from '../../scripts/setup.mjs'
// @ts-expect-error: a plain .mjs script without type declarations
import { planTestRun } from '../../scripts/test.mjs'

const debian = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n'
const ubuntu = 'NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="24.04"\n'

type Step = { why: string; command: string[] }
const machine = {
  platform: 'linux',
  osRelease: debian,
  isRoot: true,
  hasSudo: false,
  installed: (_: string) => false,
  systemChromium: null as string | null,
  env: {} as Record<string, string>,
}
const commands = (plan: { steps: Step[] }) => plan.steps.map((s) => s.command.join(' '))

describe('npm run setup', () => {
  it('a fresh Debian machine as root: keyring, dbus, ffmpeg, exiftool and Chromium from apt, then npm ci', () => {
    const plan = planSetup(machine)
    expect(plan.error).toBeNull()
    expect(commands(plan)).toEqual([
      'apt-get update -qq',
      `env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${[...KEYRING_PACKAGES, ...MEDIA_PACKAGES, 'chromium'].join(' ')}`,
      'npm ci --no-audit --no-fund',
    ])
  })

  it('npm ci only when node_modules is missing or older than the lock file', () => {
    const fresh = planSetup({ ...machine, installed: () => true, systemChromium: '/usr/bin/chromium' })
    expect(commands(fresh)).toEqual(['npm ci --no-audit --no-fund'])
    expect(
      commands(
        planSetup({ ...machine, installed: () => true, systemChromium: '/usr/bin/chromium', npmUpToDate: true }),
      ),
    ).toEqual([])
  })

  it('not root: through sudo; without sudo: names the packages and the command to run', () => {
    expect(commands(planSetup({ ...machine, isRoot: false, hasSudo: true }))[0]).toBe('sudo apt-get update -qq')
    const refused = planSetup({ ...machine, isRoot: false, hasSudo: false })
    expect(refused.steps).toEqual([])
    expect(refused.error).toContain('apt-get install --no-install-recommends gnome-keyring dbus dbus-x11')
  })

  it('installs nothing twice: with every package there it only runs npm ci', () => {
    expect(commands(planSetup({ ...machine, installed: () => true }))).toEqual(['npm ci --no-audit --no-fund'])
  })

  it("Ubuntu: keyring from apt, Chromium from Playwright (Ubuntu's chromium package is a snap shim)", () => {
    const list = commands(planSetup({ ...machine, osRelease: ubuntu }))
    expect(list[1]).not.toContain('chromium')
    expect(list.at(-1)).toBe('npx playwright install --with-deps chromium')
  })

  it("macOS and Windows: npm ci and Playwright's Chromium, no apt", () => {
    for (const platform of ['darwin', 'win32']) {
      expect(commands(planSetup({ ...machine, platform, osRelease: null }))).toEqual([
        'npm ci --no-audit --no-fund',
        'npx playwright install chromium',
      ])
    }
  })

  it('a Chromium named by SEEDANCE_CHROMIUM or found on the machine is used, not downloaded', () => {
    const mac = { ...machine, platform: 'darwin', osRelease: null }
    expect(commands(planSetup({ ...mac, systemChromium: '/usr/bin/chromium' }))).toEqual([
      'npm ci --no-audit --no-fund',
    ])
    expect(commands(planSetup({ ...mac, env: { SEEDANCE_CHROMIUM: '/opt/chrome' } }))).toEqual([
      'npm ci --no-audit --no-fund',
    ])
  })
})

describe('npm test', () => {
  const has = () => true
  it('headless Linux (CI): runs inside a private D-Bus session with a throwaway gnome-keyring', () => {
    expect(planTestRun({ platform: 'linux', env: {}, has })).toEqual({ mode: 'keyring-session' })
  })

  it('a desktop session, macOS, Windows, or already inside the private session: runs as it is', () => {
    expect(
      planTestRun({ platform: 'linux', env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus' }, has }),
    ).toEqual({
      mode: 'direct',
    })
    expect(planTestRun({ platform: 'darwin', env: {}, has })).toEqual({ mode: 'direct' })
    expect(planTestRun({ platform: 'win32', env: {}, has })).toEqual({ mode: 'direct' })
  })

  it('headless without the packages: runs, and says the keychain tests need `npm run setup`', () => {
    const plan = planTestRun({ platform: 'linux', env: {}, has: () => false })
    expect(plan.mode).toBe('direct')
    expect(plan.warning).toContain('npm run setup')
  })
})
