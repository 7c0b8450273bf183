// A plain-text log in the data folder a user can attach to a bug report: one line per API call and job
// transition, rotated at 2 MB (seedance.log, seedance.1.log … seedance.3.log). The API key is never logged:
// lines pass through a redactor that knows it.
import { appendFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs'
import path from 'node:path'

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
  /** Strings that must never reach the log (the API key). */
  addSecret(secret: string): void
}

export interface FileLoggerOptions {
  dir: string
  maxBytes?: number
  keep?: number
  now?: () => number
}

export function createFileLogger({
  dir,
  maxBytes = 2 * 1024 * 1024,
  keep = 3,
  now = Date.now,
}: FileLoggerOptions): Logger {
  mkdirSync(dir, { recursive: true })
  const file = path.join(dir, 'seedance.log')
  const secrets = new Set<string>()
  let size = (() => {
    try {
      return statSync(file).size
    } catch {
      return 0
    }
  })()
  const rotate = () => {
    rmSync(path.join(dir, `seedance.${keep}.log`), { force: true })
    for (let i = keep - 1; i >= 1; i--) {
      try {
        renameSync(path.join(dir, `seedance.${i}.log`), path.join(dir, `seedance.${i + 1}.log`))
      } catch {
        // that generation does not exist yet
      }
    }
    try {
      renameSync(file, path.join(dir, 'seedance.1.log'))
    } catch {
      // nothing to rotate
    }
    size = 0
  }
  const write = (level: string, message: string, fields?: Record<string, unknown>) => {
    let line = `${new Date(now()).toISOString()} ${level} ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}\n`
    for (const s of secrets) line = line.split(s).join('[redacted]')
    try {
      if (size + line.length > maxBytes) rotate()
      appendFileSync(file, line)
      size += Buffer.byteLength(line)
    } catch {
      // Logging must never take the engine down (a full disk is reported where it matters).
    }
  }
  return {
    info: (m, f) => write('INFO', m, f),
    warn: (m, f) => write('WARN', m, f),
    error: (m, f) => write('ERROR', m, f),
    addSecret: (s) => {
      if (s.length >= 4) secrets.add(s)
    },
  }
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {}, addSecret() {} }
