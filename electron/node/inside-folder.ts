// "Is this path inside that folder", written once (review of issue 9): the CSV image check, the media/app file
// server and the library's folder picker all ask it. A bare `rel.startsWith('..')` also refused names such as
// `..cover.png`, which are inside; only `..` itself or `..` followed by a separator steps out. `relative()` answers
// an absolute path when the target is on another drive (Windows), which is outside too. The path flavour is a
// parameter so tests cover Windows separators on any machine.
import path from 'node:path'

type PathApi = Pick<typeof path, 'relative' | 'isAbsolute' | 'sep'>

function relation(root: string, target: string, p: PathApi): 'same' | 'inside' | 'outside' {
  const rel = p.relative(root, target)
  if (rel === '') return 'same'
  if (rel === '..' || rel.startsWith(`..${p.sep}`) || p.isAbsolute(rel)) return 'outside'
  return 'inside'
}

/** True when target is strictly below root (not root itself). Both are resolved against the working folder. */
export function isInside(root: string, target: string, p: PathApi = path): boolean {
  return relation(root, target, p) === 'inside'
}

/** True when target is root itself or below it. */
export function isSameOrInside(root: string, target: string, p: PathApi = path): boolean {
  return relation(root, target, p) !== 'outside'
}
