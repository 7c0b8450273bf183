// Output files are served at signed, expiring URLs, like a CDN's: /files/<job>/<name>?expires=<unix s>&sig=<hmac>.
import { createHmac, timingSafeEqual } from 'node:crypto'

export class UrlSigner {
  constructor(private readonly secret: Buffer) {}

  private sig(path: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${path}\n${expires}`).digest('hex').slice(0, 32)
  }

  sign(base: string, path: string, expires: number): string {
    return `${base}${path}?expires=${expires}&sig=${this.sig(path, expires)}`
  }

  /** 'ok', 'expired' (a valid signature past its time) or 'invalid'. */
  check(
    path: string,
    expiresParam: string | null,
    sigParam: string | null,
    nowSeconds: number,
  ): 'ok' | 'expired' | 'invalid' {
    const expires = Number(expiresParam)
    if (!Number.isInteger(expires) || !sigParam) return 'invalid'
    const want = Buffer.from(this.sig(path, expires))
    const got = Buffer.from(sigParam)
    if (want.length !== got.length || !timingSafeEqual(want, got)) return 'invalid'
    return nowSeconds > expires ? 'expired' : 'ok'
  }
}
