#!/usr/bin/env node
// `npm test`: build, then `vitest run`, then `playwright test`: the same command on a desktop and in CI.
//
// The keychain tests (and the browser harness's key handling) talk to the real OS keychain. A desktop session
// has one; a headless Linux machine (CI, a container, SSH) has no D-Bus session and no Secret Service. There we
// start a private D-Bus session with gnome-keyring unlocked by a throwaway password in a throwaway data folder,
// and run the suite inside it (what `npm run setup` installs the packages for). Nothing of the user's is touched.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const SUITE = 'npm run build && vitest run && playwright test'
const INSIDE = 'SEEDANCE_TEST_KEYRING_SESSION'

/**
 * Run the suite as it is, or inside a private keyring session, or as it is with a warning.
 * @param {{ platform: string, env: Record<string, string | undefined>, has(cmd: string): boolean }} m
 * @returns {{ mode: 'direct' } | { mode: 'keyring-session' } | { mode: 'direct', warning: string }}
 */
export function planTestRun({ platform, env, has }) {
  // macOS and Windows always have their keychain; a Linux desktop session has a bus; we are inside ours.
  if (platform !== 'linux' || env.DBUS_SESSION_BUS_ADDRESS || env[INSIDE]) return { mode: 'direct' }
  if (has('dbus-run-session') && has('gnome-keyring-daemon')) return { mode: 'keyring-session' }
  return {
    mode: 'direct',
    warning:
      'No D-Bus session and no gnome-keyring here: the real-keychain tests are skipped (and fail under CI=true).\n' +
      'Install what they need with `npm run setup`.',
  }
}

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0
}

function run(command, args, options) {
  const r = spawnSync(command, args, { stdio: 'inherit', ...options })
  if (r.error) console.error(`npm test: could not run ${command}: ${r.error.message}`)
  return r.status ?? 1
}

function main() {
  const plan = planTestRun({ platform: process.platform, env: process.env, has })
  if (plan.warning) console.warn(`npm test: ${plan.warning}`)
  if (plan.mode === 'direct' && process.env[INSIDE]) {
    // Inside the private session: unlock a fresh login keyring with a throwaway password, then run the suite.
    const unlocked = spawnSync('gnome-keyring-daemon', ['--unlock', '--components=secrets'], {
      input: 'seedance-test-throwaway',
      stdio: ['pipe', 'ignore', 'inherit'],
    })
    if (unlocked.status !== 0) console.warn('npm test: gnome-keyring-daemon did not start; keychain tests will fail.')
  }
  if (plan.mode === 'direct') process.exit(run(SUITE, [], { shell: true }))

  const dataHome = mkdtempSync(path.join(os.tmpdir(), 'seedance-test-keyring-'))
  console.log('npm test: no D-Bus session here; running the suite in a private one with a throwaway gnome-keyring.')
  const status = run('dbus-run-session', ['--', process.execPath, fileURLToPath(import.meta.url)], {
    env: { ...process.env, [INSIDE]: '1', XDG_DATA_HOME: dataHome },
  })
  rmSync(dataHome, { recursive: true, force: true })
  process.exit(status)
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main()
