// The API key lives only in the OS keychain (macOS Keychain, Windows Credential Manager, Linux Secret
// Service), through @napi-rs/keyring's keytar-compatible module: service "Seedance Studio", one account
// per provider. It is never written anywhere else; SEEDANCE_API_KEY in the environment overrides it for
// the CLI and CI. Shared by the app and the CLI.
import * as keytar from '@napi-rs/keyring/keytar.js'

export const KEYCHAIN_SERVICE = 'Seedance Studio'

export type Provider = 'sandbox' | 'cloud'

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
        'unlock your keychain (on Linux: a Secret Service such as GNOME Keyring or KWallet), or set SEEDANCE_API_KEY for this session.',
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

  private envKey(): string | null {
    const k = this.env.SEEDANCE_API_KEY?.trim()
    return k ? k : null
  }

  /** The key to use: SEEDANCE_API_KEY if set, else the keychain's. */
  async get(provider: Provider): Promise<string | null> {
    return this.envKey() ?? (await this.guard(() => this.backend.getPassword(this.service, provider)))
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

  /** Remove the stored key; true if there was one. */
  async delete(provider: Provider): Promise<boolean> {
    return this.guard(() => this.backend.deletePassword(this.service, provider))
  }

  async status(provider: Provider): Promise<KeyStatus> {
    const env = this.envKey()
    if (env) return { hasKey: true, last4: last4(env), source: 'environment' }
    const stored = await this.guard(() => this.backend.getPassword(this.service, provider))
    return stored
      ? { hasKey: true, last4: last4(stored), source: 'keychain' }
      : { hasKey: false, last4: null, source: null }
  }
}
