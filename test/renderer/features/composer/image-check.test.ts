// The composer checks an image against the chosen model's rules before it is kept (shared/providers.ts).
import { describe, expect, it } from 'vitest'
import { defaultModel, findModel } from '../../../../electron/shared/providers'
import { acceptedTypes, checkImageFile, describeRules } from '../../../../renderer/src/features/composer/image-check'

const guide = defaultModel('seedance').image
const ark = defaultModel('ark').image
const replicate = (findModel('replicate', 'bytedance/seedance-1-pro') as NonNullable<ReturnType<typeof findModel>>)
  .image

describe('checkImageFile', () => {
  it('takes the formats each model takes (Chromium decodes them; TIFF is left to the CLI)', async () => {
    expect(acceptedTypes(guide)).toEqual(['image/jpeg', 'image/png', 'image/webp'])
    expect(acceptedTypes(ark)).toEqual(['image/jpeg', 'image/png', 'image/webp', 'image/bmp', 'image/gif'])
    const gif = new Blob([new Uint8Array(10)], { type: 'image/gif' })
    expect(await checkImageFile(gif, guide)).toEqual({
      ok: false,
      message: 'GIF is not supported: use JPEG, PNG or WebP.',
    })
  })

  it('holds each model to its own size limit', async () => {
    const big = new Blob([new Uint8Array(8 * 1024 * 1024)], { type: 'image/png' })
    expect(await checkImageFile(big, replicate)).toEqual({
      ok: false,
      message: 'The image is 8.0 MB; the limit is 7 MB.',
    })
    expect(describeRules(ark)).toBe('JPEG, PNG, WebP, BMP or GIF · up to 30 MB · 300–6,000 px a side')
  })
})
