#!/usr/bin/env node
// Layering rule (HOUSE-STYLE): only electron/main and electron/preload may import `electron` or
// `electron-store` at run time. Type-only imports are allowed everywhere. Biome's noRestrictedImports
// cannot tell the two apart, so this check parses each file and looks at real module loads:
// import declarations, re-exports, dynamic import() and require().
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseAst } from 'vite'

export const RESTRICTED_MODULES = ['electron', 'electron-store']
export const GUARDED_DIRS = [
  'electron/core',
  'electron/node',
  'electron/sandbox',
  'electron/shared',
  'electron/cli',
  'renderer',
]

function isRestricted(source) {
  return RESTRICTED_MODULES.some((m) => source === m || source.startsWith(`${m}/`))
}

function walk(node, visit) {
  if (!node || typeof node !== 'object') return
  if (Array.isArray(node)) {
    for (const child of node) walk(child, visit)
    return
  }
  if (typeof node.type === 'string') visit(node)
  for (const key of Object.keys(node)) {
    if (key !== 'parent') walk(node[key], visit)
  }
}

function lineOf(code, offset) {
  return code.slice(0, offset).split('\n').length
}

/** Runtime module loads of restricted modules in one source file: [{ line, source }]. */
export function runtimeRestrictedImports(code, filename) {
  const lang = filename.endsWith('.tsx') ? 'tsx' : filename.endsWith('.ts') || filename.endsWith('.mts') ? 'ts' : 'js'
  const ast = parseAst(code, { lang, sourceType: 'module' }, filename)
  const found = []
  walk(ast, (node) => {
    let source
    if (node.type === 'ImportDeclaration') {
      // Only `import type` is erased for sure: `import { type X }` keeps a bare import under verbatimModuleSyntax.
      if (node.importKind !== 'type') source = node.source.value
    } else if ((node.type === 'ExportNamedDeclaration' || node.type === 'ExportAllDeclaration') && node.source) {
      if (node.exportKind !== 'type') source = node.source.value
    } else if (node.type === 'ImportExpression' && node.source.type === 'Literal') {
      source = node.source.value
    } else if (
      node.type === 'CallExpression' &&
      node.callee.type === 'Identifier' &&
      node.callee.name === 'require' &&
      node.arguments[0]?.type === 'Literal'
    ) {
      source = node.arguments[0].value
    }
    if (typeof source === 'string' && isRestricted(source)) found.push({ line: lineOf(code, node.start), source })
  })
  return found
}

function sourceFiles(dir) {
  let entries
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true })
  } catch {
    return []
  }
  return entries
    .filter((e) => e.isFile() && /\.(m?[jt]sx?)$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => path.join(e.parentPath, e.name))
}

/** Every violation under root's guarded folders, as "file:line imports X" strings. */
export function findLayerViolations(root) {
  const problems = []
  for (const dir of GUARDED_DIRS) {
    for (const file of sourceFiles(path.join(root, dir))) {
      for (const hit of runtimeRestrictedImports(readFileSync(file, 'utf8'), file)) {
        problems.push(`${path.relative(root, file)}:${hit.line} imports '${hit.source}' at run time`)
      }
    }
  }
  return problems
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
  const problems = findLayerViolations(root)
  if (problems.length > 0) {
    console.error(
      'Layering: only electron/main and electron/preload may import electron or electron-store at run time.',
    )
    for (const p of problems) console.error(`  ${p}`)
    process.exit(1)
  }
  console.log(`layers: ok (${GUARDED_DIRS.join(', ')})`)
}
