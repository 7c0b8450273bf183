#!/usr/bin/env node
// `npm run setup`: everything the tests need, in one command (CI runs it too, see .ci/run).
//   - Debian / Ubuntu: the OS packages (a Secret Service keyring under D-Bus for the keychain tests, Chromium for
//     the browser tests on Debian, ffmpeg and exiftool for the media tests), through apt-get as root or with sudo;
//     then `npm ci`.
//   - Ubuntu's `chromium` is a snap shim that does not run in containers, so there (and on any machine without a
//     system Chromium, macOS and Windows included) Playwright installs its own Chromium build.
// Uses only Node built-ins: it runs before `npm ci`. Idempotent: OS packages and Chromium are installed only when
// missing, and `npm ci` runs only when node_modules is missing or older than the lock file (npm ci empties
// node_modules first, which would throw away an Electron binary `npm start` downloaded).
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** Debian packages the tests need: gnome-keyring + dbus for the real-keychain tests (see scripts/test.mjs). */
export const KEYRING_PACKAGES = ['gnome-keyring', 'dbus', 'dbus-x11', 'libsecret-1-0']
/**
 * ffprobe and exiftool read back the settings the app writes into each MP4 (issue 11): the tests check them with
 * tools nobody here wrote; ffmpeg also joins a sequence whose clips differ (re-encoding) where no copy is possible.
 */
export const MEDIA_PACKAGES = ['ffmpeg', 'libimage-exiftool-perl']
// Debian's package. Ubuntu's /usr/bin/chromium-browser is a snap shim that does not run in containers: not listed.
export const SYSTEM_CHROMIUM = ['/usr/bin/chromium']

/** `ID` and `ID_LIKE` from /etc/os-release, lower-cased. */
export function parseOsRelease(text) {
  const field = (name) =>
    (text.match(new RegExp(`^${name}=(.*)$`, 'm'))?.[1] ?? '').replace(/^["']|["']$/g, '').toLowerCase()
  return { id: field('ID'), like: field('ID_LIKE').split(/\s+/).filter(Boolean) }
}

/**
 * What to install on this machine, as a list of steps (pure: the caller runs them).
 * @param {{ platform: string, osRelease: string | null, isRoot: boolean, hasSudo: boolean,
 *   installed(pkg: string): boolean, systemChromium: string | null, env: Record<string, string | undefined>,
 *   npmUpToDate?: boolean }} m
 * @returns {{ steps: Array<{ why: string, command: string[] }>, error: string | null }}
 */
export function planSetup({
  platform,
  osRelease,
  isRoot,
  hasSudo,
  installed,
  systemChromium,
  env,
  npmUpToDate = false,
}) {
  const steps = []
  const os = osRelease ? parseOsRelease(osRelease) : { id: '', like: [] }
  const debianLike = platform === 'linux' && (os.id === 'debian' || os.id === 'ubuntu' || os.like.includes('debian'))
  const ubuntuLike = os.id === 'ubuntu' || os.like.includes('ubuntu')
  const chromiumFromApt = debianLike && !ubuntuLike && !env.SEEDANCE_CHROMIUM
  if (debianLike) {
    const wanted = [...KEYRING_PACKAGES, ...MEDIA_PACKAGES, ...(chromiumFromApt ? ['chromium'] : [])]
    const missing = wanted.filter((p) => !installed(p))
    if (missing.length > 0) {
      if (!isRoot && !hasSudo) {
        return {
          steps: [],
          error: `These Debian packages are missing: ${missing.join(' ')}.\nRun this as root, or install sudo, or install them yourself:\n  apt-get install --no-install-recommends ${missing.join(' ')}`,
        }
      }
      const sudo = isRoot ? [] : ['sudo']
      steps.push({ why: 'refresh the package lists', command: [...sudo, 'apt-get', 'update', '-qq'] })
      steps.push({
        why: `install ${missing.join(' ')}`,
        command: [
          ...sudo,
          'env',
          'DEBIAN_FRONTEND=noninteractive',
          'apt-get',
          'install',
          '-y',
          '-qq',
          '--no-install-recommends',
          ...missing,
        ],
      })
    }
  }
  if (!npmUpToDate)
    steps.push({
      why: 'install the npm packages from the lock file',
      command: ['npm', 'ci', '--no-audit', '--no-fund'],
    })
  const chromiumThere = env.SEEDANCE_CHROMIUM || (chromiumFromApt ? true : systemChromium)
  if (!chromiumThere) {
    // --with-deps installs Chromium's own OS libraries through apt-get (Linux only; needs root or sudo).
    const withDeps = platform === 'linux' && debianLike ? ['--with-deps'] : []
    steps.push({
      why: "install Playwright's Chromium for the browser tests",
      command: ['npx', 'playwright', 'install', ...withDeps, 'chromium'],
    })
  }
  return { steps, error: null }
}

/** node_modules was installed from this lock file: npm's own record of it is newer than the lock and package.json. */
function npmInstalledFromLock(root) {
  const record = path.join(root, 'node_modules', '.package-lock.json')
  if (!existsSync(record)) return false
  const installedAt = statSync(record).mtimeMs
  return ['package-lock.json', 'package.json'].every((f) => statSync(path.join(root, f)).mtimeMs <= installedAt)
}

function commandExists(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0
}

function debInstalled(pkg) {
  // dpkg-query's own ${Status} field, not a template placeholder.
  const r = spawnSync('dpkg-query', ['-W', `-f=${'$'}{Status}`, pkg], { encoding: 'utf8' })
  return r.status === 0 && r.stdout.includes('install ok installed')
}

function main() {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
  const linux = process.platform === 'linux'
  const plan = planSetup({
    platform: process.platform,
    osRelease: linux && existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : null,
    isRoot: process.getuid?.() === 0,
    hasSudo: linux && commandExists('sudo'),
    installed: debInstalled,
    systemChromium: SYSTEM_CHROMIUM.find((p) => existsSync(p)) ?? null,
    env: process.env,
    npmUpToDate: npmInstalledFromLock(root),
  })
  if (plan.error) {
    console.error(`npm run setup: ${plan.error}`)
    process.exit(1)
  }
  for (const { why, command } of plan.steps) {
    console.log(`\n==> ${why}: ${command.join(' ')}`)
    // npm and npx are .cmd files on Windows: they need a shell there.
    const r = spawnSync(command[0], command.slice(1), {
      cwd: root,
      stdio: 'inherit',
      shell: process.platform === 'win32',
    })
    if (r.status !== 0) {
      console.error(
        `\nnpm run setup: this step failed (${r.error?.message ?? `exit ${r.status}`}): ${command.join(' ')}`,
      )
      process.exit(1)
    }
  }
  console.log('\nSet up. Next: `npm test` (everything) or `npm start` (the app).')
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main()
