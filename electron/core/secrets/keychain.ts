// API keys live only in the OS keychain (macOS Keychain, Windows Credential Manager, Linux Secret Service),
// through @napi-rs/keyring's keytar-compatible module: service "Seedance Studio", one account per provider, named
// by its id (`seedance`, `ark`, `fal`, `replicate`; issue 10, point 4). A key is never written anywhere else. Each
// service's own environment variable (SEEDANCE_API_KEY, ARK_API_KEY, FAL_KEY, REPLICATE_API_TOKEN: keyEnv in
// shared/providers.ts) overrides that provider's key only, for the CLI and CI. Shared by the app and the CLI.
import * as keytar from '@napi-rs/keyring/keytar.js'
import { type ProviderId, providerInfo } from '../../shared/providers'

export const KEYCHAIN_SERVICE = 'Seedance Studio'

export type Provider = ProviderId

/** The account the guide's API key was kept under before issue 10 (one key for "Seedance Cloud"). */
export const LEGACY_ACCOUNT = 'cloud'

export interface KeyStatus {
  hasKey: boolean
  /** The last four characters, for the UI to show which key is set; null without a key. */
  last4: string | null
  source: 'keychain' | 'environment' | null
}

export class KeychainError extends Error {
  readonly code = 'KEYCHAIN_UNAVAILABLE'
  constructor(detail: string, outcome = '') {
    super(
      `The system keychain is not available (${detail}).${outcome ? ` ${outcome}` : ''} Seedance Studio stores API keys only there, never in a file: ` +
        "unlock your keychain (on Linux: a Secret Service such as GNOME Keyring or KWallet), or set the service's key variable (SEEDANCE_API_KEY, ARK_API_KEY, FAL_KEY or REPLICATE_API_TOKEN) for this session.",
    )
    this.name = 'KeychainError'
  }
}

/** What we need from a keytar-style backend; tests pass the real module, the shell may pass another. */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>
  setPassword(service: string, account: string, password: string): Promise<void>
  deletePassword(service: string, account: string): Promise<boolean>
}

export interface KeychainOptions {
  backend?: KeytarLike
  service?: string
  env?: Record<string, string | undefined>
}

function detailOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim()
}

function last4(key: string): string {
  return key.slice(-4)
}

export class Keychain {
  private readonly backend: KeytarLike
  private readonly service: string
  private readonly env: Record<string, string | undefined>

  constructor(options: KeychainOptions = {}) {
    this.backend = options.backend ?? keytar
    this.env = options.env ?? process.env
    // SEEDANCE_KEYCHAIN_SERVICE keeps a separate entry (tests, a second profile) away from the real one.
    this.service = options.service ?? (this.env.SEEDANCE_KEYCHAIN_SERVICE || KEYCHAIN_SERVICE)
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (error) {
      throw new KeychainError(detailOf(error))
    }
  }

  /** The provider's own variable only: a FAL_KEY never stands in for Ark's key. */
  private envKey(provider: Provider): string | null {
    const k = this.env[providerInfo(provider).keyEnv]?.trim()
    return k ? k : null
  }

  /** The variable that overrides this provider's key (for messages). */
  envName(provider: Provider): string {
    return providerInfo(provider).keyEnv
  }

  /**
   * The stored key. The guide's key saved before issue 10 sits under the account `cloud`: it is read as
   * `seedance`'s and moved there (best effort: a keychain that refuses the move still serves the old entry).
   */
  private async stored(provider: Provider): Promise<string | null> {
    const key = await this.guard(() => this.backend.getPassword(this.service, provider))
    if (key || provider !== 'seedance') return key
    const legacy = await this.guard(() => this.backend.getPassword(this.service, LEGACY_ACCOUNT))
    if (!legacy) return null
    const moved = await this.backend
      .setPassword(this.service, provider, legacy)
      .then(() => this.backend.getPassword(this.service, provider))
      .catch(() => null)
    if (moved === legacy) await this.backend.deletePassword(this.service, LEGACY_ACCOUNT).catch(() => false)
    return legacy
  }

  /** The key to use: the provider's environment variable if set, else the keychain's. */
  async get(provider: Provider): Promise<string | null> {
    return this.envKey(provider) ?? (await this.stored(provider))
  }

  async set(provider: Provider, key: string): Promise<KeyStatus> {
    const trimmed = key.trim()
    if (trimmed.length < 8 || /\s/.test(trimmed)) {
      throw Object.assign(new Error('That does not look like an API key (at least 8 characters, no spaces).'), {
        code: 'INVALID_API_KEY',
      })
    }
    // The key in use before, kept if this store fails (a failed `key set` must not cost the user a working key).
    // Unreadable: there is no working key to keep.
    const previous = await this.backend.getPassword(this.service, provider).catch(() => undefined)
    try {
      await this.backend.setPassword(this.service, provider, trimmed)
      // Saved means readable: an entry that cannot be read back would fail every later read of the key.
      if ((await this.backend.getPassword(this.service, provider)) !== trimmed)
        throw new Error('the key could not be read back after saving it')
    } catch (error) {
      await this.undoFailedStore(provider, previous)
      throw new KeychainError(
        detailOf(error),
        previous ? 'The key was not saved; the previous key is kept.' : 'The key was not saved.',
      )
    }
    // The old entry would otherwise come back as this provider's key once the new one is removed.
    if (provider === 'seedance') await this.backend.deletePassword(this.service, LEGACY_ACCOUNT).catch(() => false)
    return { hasKey: true, last4: last4(trimmed), source: 'keychain' }
  }

  /**
   * After a failed store, leave the entry as it was. A store can fail half-way: on Linux without a Secret Service,
   * @napi-rs/keyring falls back to the kernel keyring, adds the entry to the session keyring, then fails to link
   * it to the persistent one, leaving an entry later reads cannot open. An entry still holding the previous key
   * is left alone; a changed one gets the previous key back; anything else is removed (best effort: the removal
   * may be refused as well), so no unreadable entry is left.
   */
  private async undoFailedStore(provider: Provider, previous: string | null | undefined): Promise<void> {
    const now = await this.backend.getPassword(this.service, provider).catch(() => undefined)
    if (previous && now === previous) return
    if (previous) {
      const restored = await this.backend
        .setPassword(this.service, provider, previous)
        .then(() => this.backend.getPassword(this.service, provider))
        .catch(() => undefined)
      if (restored === previous) return
    }
    await this.backend.deletePassword(this.service, provider).catch(() => false)
  }

  /** Remove the stored key (for `seedance`, the pre-issue-10 entry too); true if there was one. */
  async delete(provider: Provider): Promise<boolean> {
    const removed = await this.guard(() => this.backend.deletePassword(this.service, provider))
    if (provider !== 'seedance') return removed
    const legacy = await this.guard(() => this.backend.deletePassword(this.service, LEGACY_ACCOUNT))
    return removed || legacy
  }

  async status(provider: Provider): Promise<KeyStatus> {
    const env = this.envKey(provider)
    if (env) return { hasKey: true, last4: last4(env), source: 'environment' }
    const stored = await this.stored(provider)
    return stored
      ? { hasKey: true, last4: last4(stored), source: 'keychain' }
      : { hasKey: false, last4: null, source: null }
  }
}
