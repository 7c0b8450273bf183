import { describe, expect, it } from 'vitest'
import { contentSecurityPolicy } from '../../electron/shared/csp'

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((d) => {
      const [name = '', ...sources] = d.trim().split(/\s+/)
      return [name, sources]
    }),
  )
}

describe('contentSecurityPolicy', () => {
  it('allows only same-origin scripts: no eval, no inline, no remote', () => {
    const d = directives(contentSecurityPolicy())
    expect(d.get('script-src')).toEqual(["'self'"])
    expect(d.get('default-src')).toEqual(["'none'"])
    expect(d.get('object-src')).toEqual(["'none'"])
  })

  it('lets the renderer reach nothing but its own origin', () => {
    expect(directives(contentSecurityPolicy()).get('connect-src')).toEqual(["'self'"])
  })

  it('plays local media only from the app and its media: protocol', () => {
    const d = directives(contentSecurityPolicy())
    expect(d.get('media-src')).toEqual(["'self'", 'blob:', 'media:'])
    expect(d.get('img-src')).not.toContain('https:')
  })

  it('forbids framing in the header form and leaves frame-ancestors out of the <meta> form', () => {
    expect(directives(contentSecurityPolicy()).get('frame-ancestors')).toEqual(["'none'"])
    expect(directives(contentSecurityPolicy({ forMeta: true })).has('frame-ancestors')).toBe(false)
  })

  it('relaxes only what the dev server needs, and only in dev', () => {
    const dev = directives(contentSecurityPolicy({ dev: true }))
    expect(dev.get('connect-src')).toContain('ws:')
    expect(dev.get('script-src')).not.toContain("'unsafe-eval'")
  })
})
