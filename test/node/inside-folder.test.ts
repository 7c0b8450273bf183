// "Is this path inside that folder" is asked by the CSV image check, the media/app file server and the library's
// folder picker; one helper answers it for all (review of issue 9). A name that merely starts with two dots
// (`..cover.png`) is inside; `..` and `../x` are not. Checked with both path flavours, so Windows separators and
// drive letters are covered on any machine.
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { isInside, isSameOrInside } from '../../electron/node/inside-folder'

describe('isInside (POSIX paths)', () => {
  const p = path.posix
  it.each([
    ['/lib/..cover.png', true],
    ['/lib/...', true],
    ['/lib/a/..b/c.mp4', true],
    ['/lib/shots/b.jpg', true],
    ['/lib', false],
    ['/lib/', false],
    ['/', false],
    ['/library/a.mp4', false], // a sibling whose name starts with the root's
    ['/lib/../secret', false],
    ['/other/x', false],
  ])('%s → %s', (target, expected) => {
    expect(isInside('/lib', target, p)).toBe(expected)
  })
})

describe('isInside (Windows paths)', () => {
  const w = path.win32
  it.each([
    ['C:\\lib\\..cover.png', true],
    ['C:\\lib\\shots\\b.jpg', true],
    ['c:\\LIB\\a.mp4', true], // Windows names are case-insensitive
    ['C:\\lib', false],
    ['C:\\lib\\..\\secret.txt', false],
    ['C:\\library\\a.mp4', false],
    ['D:\\lib\\a.mp4', false], // another drive: relative() answers an absolute path
  ])('%s → %s', (target, expected) => {
    expect(isInside('C:\\lib', target, w)).toBe(expected)
  })
})

describe('isSameOrInside', () => {
  it('also accepts the folder itself', () => {
    expect(isSameOrInside('/lib', '/lib', path.posix)).toBe(true)
    expect(isSameOrInside('/lib', '/lib/..cover.png', path.posix)).toBe(true)
    expect(isSameOrInside('/lib', '/lib/..', path.posix)).toBe(false)
    expect(isSameOrInside('C:\\lib', 'C:\\lib', path.win32)).toBe(true)
  })
})
