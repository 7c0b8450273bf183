#!/usr/bin/env node
// Layering rules (HOUSE-STYLE), checked on the parsed source of every file, not by pattern:
// 1. Only electron/main and electron/preload may import `electron` or `electron-store` at run time. Type-only
//    imports are allowed everywhere (Biome's noRestrictedImports cannot tell the two apart): import declarations,
//    re-exports, dynamic import() and require() are looked at.
// 2. Folders import only the folders below them (issue 10, point 3):
//      shared ← node ← core ← main, cli;  node ← sandbox ← main, cli;  renderer → shared only;  preload → shared.
//    core and sandbox never import each other. Type-only imports count too: a type is a dependency of the design
//    (the engine learns the Sandbox's shape through its own SandboxEndpoints interface, which the Sandbox matches
//    structurally), and a type import today is a value import tomorrow.
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

/** Each layer and the layers it may import (itself included). The first matching prefix names a file's layer. */
export const LAYERS = {
  'electron/shared': ['electron/shared'],
  'electron/node': ['electron/node', 'electron/shared'],
  'electron/core': ['electron/core', 'electron/node', 'electron/shared'],
  'electron/sandbox': ['electron/sandbox', 'electron/node', 'electron/shared'],
  'electron/main': ['electron/main', 'electron/core', 'electron/sandbox', 'electron/node', 'electron/shared'],
  'electron/cli': ['electron/cli', 'electron/core', 'electron/sandbox', 'electron/node', 'electron/shared'],
  'electron/preload': ['electron/preload', 'electron/shared'],
  renderer: ['renderer', 'electron/shared'],
}

/** The layer a repository-relative path belongs to, or null (package.json, scripts, tests). */
export function layerOf(relative) {
  const posix = relative.split(path.sep).join('/')
  return Object.keys(LAYERS).find((layer) => posix === layer || posix.startsWith(`${layer}/`)) ?? null
}

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

/** Every module a source file names: [{ line, source, typeOnly }] (import, re-export, import(), require()). */
export function moduleReferences(code, filename) {
  const lang = filename.endsWith('.tsx') ? 'tsx' : filename.endsWith('.ts') || filename.endsWith('.mts') ? 'ts' : 'js'
  const ast = parseAst(code, { lang, sourceType: 'module' }, filename)
  const found = []
  walk(ast, (node) => {
    let source
    let typeOnly = false
    if (node.type === 'ImportDeclaration') {
      // Only `import type` is erased for sure: `import { type X }` keeps a bare import under verbatimModuleSyntax.
      source = node.source.value
      typeOnly = node.importKind === 'type'
    } else if ((node.type === 'ExportNamedDeclaration' || node.type === 'ExportAllDeclaration') && node.source) {
      source = node.source.value
      typeOnly = node.exportKind === 'type'
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
    if (typeof source === 'string') found.push({ line: lineOf(code, node.start), source, typeOnly })
  })
  return found
}

/** Runtime module loads of restricted modules in one source file: [{ line, source }]. */
export function runtimeRestrictedImports(code, filename) {
  return moduleReferences(code, filename)
    .filter((r) => !r.typeOnly && isRestricted(r.source))
    .map(({ line, source }) => ({ line, source }))
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

/** Every violation under root, as "file:line …" strings. */
export function findLayerViolations(root) {
  const problems = []
  for (const dir of new Set([...GUARDED_DIRS, ...Object.keys(LAYERS)])) {
    for (const file of sourceFiles(path.join(root, dir))) {
      const relative = path.relative(root, file)
      const code = readFileSync(file, 'utf8')
      if (GUARDED_DIRS.some((g) => layerOf(relative) === g || relative.startsWith(`${g}${path.sep}`)))
        for (const hit of runtimeRestrictedImports(code, file))
          problems.push(`${relative}:${hit.line} imports '${hit.source}' at run time`)
      const from = layerOf(relative)
      if (!from) continue
      for (const ref of moduleReferences(code, file)) {
        if (!ref.source.startsWith('.')) continue
        const to = layerOf(path.relative(root, path.resolve(path.dirname(file), ref.source)))
        if (to && !LAYERS[from].includes(to))
          problems.push(
            `${relative}:${ref.line} ${from} may not import ${to}${ref.typeOnly ? ' (not even a type)' : ''}: '${ref.source}'`,
          )
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
      'Layering: only electron/main and electron/preload may import electron or electron-store at run time; ' +
        'shared ← node ← core ← main, cli; node ← sandbox ← main, cli; renderer → shared; core and sandbox never meet.',
    )
    for (const p of problems) console.error(`  ${p}`)
    process.exit(1)
  }
  console.log(`layers: ok (${GUARDED_DIRS.join(', ')})`)
}
