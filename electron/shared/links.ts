// How long the service keeps a finished video's link, and whether a paid video may still be fetched: one rule
// for the job manager (jobs) and the library's "Download again" (entries). Pure TypeScript, shared by the engine,
// the CLI and the renderer.
import type { LibraryEntry } from './model'
import { isProviderId, providerInfo } from './providers'

/** Links to finished videos stay valid 24 h (the API guide), unless the service says otherwise. */
export const LINK_TTL_MS = 24 * 3600_000

/** How long a provider's links live when the service does not say (ProviderInfo.linkLifetimeMs: Replicate 1 h). */
export function linkLifetime(provider: string | undefined): number {
  return isProviderId(provider) ? providerInfo(provider).linkLifetimeMs : LINK_TTL_MS
}

/** What is known of a paid video's link. */
export interface PaidLink {
  remoteId: string | null
  /** When the service finished the video. */
  completedAt: number
  /** The service's expires_at, when it gave one. */
  expiresAt?: number | null
  /** The service said the video is gone (job unknown, or its link past expires_at). */
  gone?: boolean
  /** How long the provider's links live (default: the guide's 24 h). */
  lifetimeMs?: number
}

/**
 * The last moment the link can be valid: the service's expires_at, or the provider's link lifetime after completion
 * (24 h for the guide, 1 h for Replicate), whichever is later.
 */
export function linkDeadline(link: PaidLink): number {
  return link.gone === true ? 0 : Math.max(link.expiresAt ?? 0, link.completedAt + (link.lifetimeMs ?? LINK_TTL_MS))
}

/** A paid video that may still be fetched: the service has not said it is gone, and its time is not up. */
export function linkMayBeValid(link: PaidLink, now: number): boolean {
  return link.remoteId !== null && now < linkDeadline(link)
}

/**
 * A library entry whose video was not saved but may still be at the service: it offers "Download again". The
 * entry keeps the deadline its job knew (`linkUntil`, 0 once the service said the video is gone); older entries
 * without it fall back to 24 h after completion. The service has the last word when asked.
 */
export function mayDownloadAgain(entry: LibraryEntry, now: number): boolean {
  if (!entry.expired) return false
  if (entry.linkUntil === undefined || entry.linkUntil === null)
    return linkMayBeValid(
      { remoteId: entry.remoteId, completedAt: entry.createdAt, lifetimeMs: linkLifetime(entry.provider) },
      now,
    )
  return entry.remoteId !== null && now < entry.linkUntil
}
