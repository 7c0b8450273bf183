// Keychain backends that fail the ways real ones do, for tests of what the app and the CLI do then.
import type { KeytarLike } from '../../electron/core/secrets/keychain'

const denied = () => new Error("Couldn't access platform storage: AccessDenied")

/**
 * A store that fails half-way, as @napi-rs/keyring does on Linux without a Secret Service: the entry is added
 * to the kernel session keyring, linking it to the persistent keyring is refused, and the call fails, leaving an
 * entry every later read finds but cannot open. Deleting it works.
 */
export function halfFailingBackend(): KeytarLike & { entries: Map<string, string> } {
  const entries = new Map<string, string>()
  const unreadable = new Set<string>()
  const k = (service: string, account: string) => `${service}/${account}`
  return {
    entries,
    async getPassword(service, account) {
      if (unreadable.has(k(service, account))) throw denied()
      return entries.get(k(service, account)) ?? null
    },
    async setPassword(service, account, password) {
      entries.set(k(service, account), password)
      unreadable.add(k(service, account))
      throw denied()
    },
    async deletePassword(service, account) {
      unreadable.delete(k(service, account))
      return entries.delete(k(service, account))
    },
  }
}

/** A keychain that cannot be used at all (locked, or no Secret Service): every call is refused. */
export function lockedBackend(): KeytarLike {
  return {
    getPassword: async () => {
      throw denied()
    },
    setPassword: async () => {
      throw denied()
    },
    deletePassword: async () => {
      throw denied()
    },
  }
}

/**
 * A keychain that reads but refuses every write (macOS when the user denies access to the entry), or, with
 * `writesThenFails`, one whose first write lands and then reports failure; `entries` holds what it keeps.
 */
export function refusingWritesBackend(
  initial: Record<string, string> = {},
  { writesThenFails = false } = {},
): KeytarLike & { entries: Map<string, string>; writes: number } {
  const entries = new Map(Object.entries(initial))
  const k = (service: string, account: string) => `${service}/${account}`
  const backend = {
    entries,
    writes: 0,
    async getPassword(service: string, account: string) {
      return entries.get(k(service, account)) ?? null
    },
    async setPassword(service: string, account: string, password: string) {
      backend.writes += 1
      if (!writesThenFails) throw denied()
      entries.set(k(service, account), password)
      if (backend.writes === 1) throw denied() // the first write lands, then reports failure; later ones succeed
    },
    async deletePassword(service: string, account: string) {
      return entries.delete(k(service, account))
    },
  }
  return backend
}
