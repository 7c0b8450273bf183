import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { signWebhook, verifyWebhook } from '../../electron/node/webhook-signature'

const body = fc.oneof(
  fc.string(),
  fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)),
)
const secret = fc.string({ minLength: 1, maxLength: 64 })

describe('webhook signatures', () => {
  it('accepts what was signed with the same secret (property)', () => {
    fc.assert(fc.property(body, secret, (b, s) => verifyWebhook(b, signWebhook(b, s), s)))
  })

  it('matches the guide: sha256= followed by the hex HMAC-SHA256 of the raw body (known answer)', () => {
    // Computed independently: printf '%s' BODY | openssl dgst -sha256 -hmac your_webhook_secret
    const raw = '{"event":"job.completed","job_id":"job_abc123"}'
    expect(signWebhook(raw, 'your_webhook_secret')).toBe(
      'sha256=4375851dd5a2dc47d517da0107ebb59805d36c73d833e16763947f4d29111021',
    )
    expect(
      verifyWebhook(
        raw,
        'sha256=4375851dd5a2dc47d517da0107ebb59805d36c73d833e16763947f4d29111021',
        'your_webhook_secret',
      ),
    ).toBe(true)
  })

  it('rejects a signature with any single bit flipped (property)', () => {
    fc.assert(
      fc.property(body, secret, fc.nat(255), (b, s, bit) => {
        const sig = signWebhook(b, s)
        const bytes = Buffer.from(sig.slice(7), 'hex')
        bytes[bit >> 3] = (bytes[bit >> 3] as number) ^ (1 << (bit & 7))
        return !verifyWebhook(b, `sha256=${bytes.toString('hex')}`, s)
      }),
    )
  })

  it('rejects a signature of the wrong length (property)', () => {
    fc.assert(
      fc.property(
        body,
        secret,
        fc.integer({ min: 0, max: 200 }).filter((n) => n !== 64),
        (b, s, len) => {
          const hex = signWebhook(b, s).slice(7).repeat(4).slice(0, len)
          return !verifyWebhook(b, `sha256=${hex}`, s)
        },
      ),
    )
  })

  it('rejects a missing or different prefix (property)', () => {
    fc.assert(
      fc.property(body, secret, fc.constantFrom('', 'sha1=', 'SHA256=', 'sha256:', 'sha512='), (b, s, prefix) => {
        return !verifyWebhook(b, prefix + signWebhook(b, s).slice(7), s)
      }),
    )
  })

  it('rejects another body or another secret (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), secret, (a, b, s) => a === b || !verifyWebhook(b, signWebhook(a, s), s)),
    )
    fc.assert(
      fc.property(fc.string(), secret, secret, (b, s1, s2) => s1 === s2 || !verifyWebhook(b, signWebhook(b, s1), s2)),
    )
  })

  it('rejects nothing at all', () => {
    expect(verifyWebhook('x', undefined, 's')).toBe(false)
    expect(verifyWebhook('x', null, 's')).toBe(false)
  })
})
