#!/usr/bin/env node
// `npm start`: make sure the Electron binary is there, then run `electron-vite dev`.
//
// Why a script: the `electron` package ships no install script (npm ci downloads nothing), and its binary is
// fetched only when something first require()s it; electron-vite reads node_modules/electron/path.txt before
// that happens and fails with a bare "Error: Electron uninstall". So we run electron's own installer
// (node_modules/electron/install.js, the `install-electron` bin) when the binary is missing, and when it cannot
// be fetched we say what to do instead of printing a stack trace.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The executable electron's installer writes, relative to node_modules/electron/dist (see its install.js). */
export function platformExecutable(platform) {
  if (platform === 'darwin' || platform === 'mas') return 'Electron.app/Contents/MacOS/Electron'
  if (platform === 'win32') return 'electron.exe'
  return 'electron'
}

/**
 * Where the Electron binary is, or null when it is missing or is not the version the package pins.
 * @param {{ electronDir: string, version: string, platform: string, env: Record<string, string | undefined>,
 *   exists(p: string): boolean, read(p: string): string | null }} io
 */
export function findElectron({ electronDir, version, platform, env, exists, read }) {
  // electron-vite honours ELECTRON_EXEC_PATH; so do we (a binary fetched by hand, or a company mirror's).
  if (env.ELECTRON_EXEC_PATH) return exists(env.ELECTRON_EXEC_PATH) ? env.ELECTRON_EXEC_PATH : null
  const pathTxt = read(path.join(electronDir, 'path.txt'))
  const installed = read(path.join(electronDir, 'dist', 'version'))
  if (!pathTxt || installed?.trim().replace(/^v/, '') !== version) return null
  if (pathTxt !== platformExecutable(platform)) return null
  const exe = path.join(electronDir, 'dist', pathTxt)
  return exists(exe) ? exe : null
}

/** The last meaningful line of the installer's error output: the reason, without its stack. */
export function reasonFrom(stderr) {
  const lines = String(stderr)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('at '))
  return lines.at(-1) ?? 'the installer exited with an error'
}

/** What to tell the user when the binary cannot be fetched: the cause and every way forward. */
export function cannotInstallMessage({ version, reason, env }) {
  return [
    `Seedance Studio cannot start: the Electron ${version} binary is not installed and could not be downloaded.`,
    `  Reason: ${reason}`,
    '',
    'What to do:',
    '  - Connected to the internet? Run `npm start` again (the download is about 100 MB, from github.com).',
    `  - Behind a mirror or proxy: set ELECTRON_MIRROR (now ${env.ELECTRON_MIRROR ? `"${env.ELECTRON_MIRROR}"` : 'unset'}) or HTTPS_PROXY with ELECTRON_GET_USE_PROXY=true, then run \`npm start\`.`,
    `  - Have an Electron ${version} binary already: ELECTRON_EXEC_PATH=/path/to/electron npm start`,
    '  - No Electron at all: `npm run ui` shows the app in your browser on the built-in Sandbox,',
    '    and `npm run cli -- generate "a prompt"` makes videos from the terminal.',
  ].join('\n')
}

/**
 * Find Electron, installing it once if it is missing. Returns the executable, or a message to show.
 * @param {{ find(): string | null, install(): { ok: boolean, stderr: string }, version: string,
 *   env: Record<string, string | undefined>, log(line: string): void }} deps
 */
export function ensureElectron({ find, install, version, env, log }) {
  const found = find()
  if (found) return { ok: true, path: found }
  if (env.ELECTRON_EXEC_PATH) {
    return {
      ok: false,
      message: `Seedance Studio cannot start: ELECTRON_EXEC_PATH is set to "${env.ELECTRON_EXEC_PATH}", which does not exist.\n  Point it at an Electron ${version} executable, or unset it to download Electron.`,
    }
  }
  log(`Electron ${version} is not installed yet: downloading it once (node_modules/electron/install.js)…`)
  const result = install()
  const after = result.ok ? find() : null
  if (after) return { ok: true, path: after }
  return { ok: false, message: cannotInstallMessage({ version, reason: reasonFrom(result.stderr), env }) }
}

function main() {
  const require = createRequire(import.meta.url)
  const electronDir = path.dirname(require.resolve('electron/package.json'))
  const { version } = JSON.parse(readFileSync(path.join(electronDir, 'package.json'), 'utf8'))
  const read = (p) => {
    try {
      return readFileSync(p, 'utf8')
    } catch {
      return null
    }
  }
  const find = () =>
    findElectron({ electronDir, version, platform: process.platform, env: process.env, exists: existsSync, read })
  const install = () => {
    // stdout shows progress; stderr is kept to name the reason if it fails (it ends in a stack trace).
    const r = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], {
      stdio: ['ignore', 'inherit', 'pipe'],
      encoding: 'utf8',
    })
    return { ok: r.status === 0, stderr: r.stderr ?? String(r.error ?? '') }
  }
  const outcome = ensureElectron({ find, install, version, env: process.env, log: (l) => console.log(l) })
  if (!outcome.ok) {
    console.error(outcome.message)
    process.exit(1)
  }
  const bin = path.join(path.dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js')
  const child = spawn(process.execPath, [bin, 'dev', ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, ELECTRON_EXEC_PATH: outcome.path },
  })
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main()
