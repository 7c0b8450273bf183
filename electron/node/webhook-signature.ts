// Webhook signatures as the API guide defines them: X-Seedance-Signature: sha256=<hex HMAC-SHA256 of the
// raw body, keyed with the webhook's secret>. Verification is constant-time and rejects any other shape.
import { createHmac, timingSafeEqual } from 'node:crypto'

export const SIGNATURE_HEADER = 'x-seedance-signature'
const PREFIX = 'sha256='

export function signWebhook(rawBody: string | Uint8Array, secret: string): string {
  return PREFIX + createHmac('sha256', secret).update(rawBody).digest('hex')
}

export function verifyWebhook(
  rawBody: string | Uint8Array,
  signature: string | null | undefined,
  secret: string,
): boolean {
  if (typeof signature !== 'string' || !signature.startsWith(PREFIX)) return false
  const hex = signature.slice(PREFIX.length)
  if (!/^[0-9a-f]{64}$/.test(hex)) return false
  const expected = createHmac('sha256', secret).update(rawBody).digest()
  return timingSafeEqual(expected, Buffer.from(hex, 'hex'))
}
